public import CharterStore
public import Foundation

/// A job leased to one daemon instance by `charter.claim_due_jobs`: who owns it and which
/// claim this is. No payload: that is read in the tenant's transaction.
public struct ClaimedJob: Sendable, Hashable {
  public var tenant: TenantID
  public var id: UUID
  public var kind: String
  /// The attempt this claim starts (1 for the first).
  public var attempt: Int
  /// Fresh for every claim. Completing or releasing the job requires it, so a runner whose
  /// lease expired cannot complete a job that was rescued and claimed again (RELIABILITY R9).
  public var leaseToken: UUID
}

/// What running a claimed job came to.
public enum JobExecutionResult: Sendable, Equatable {
  case done
  /// Back to pending, due again at the given instant (database clock).
  case retryScheduled(at: Date)
  /// No attempts left, or the handler gave up.
  case dead(reason: String)
  /// The lease is no longer ours (expired and rescued, or released): nothing was run or
  /// nothing was written.
  case leaseLost
  /// The handler was cancelled (drain past its grace): its writes were undone; the caller
  /// releases the job.
  case interrupted
  /// Not started: its batch used up its time budget first. The lease still holds; the caller
  /// runs the job in a later batch.
  case notStarted
}
