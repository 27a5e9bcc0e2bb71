public import CharterPostgres
public import Foundation

/// A deadline to write, in the transaction of the event that creates it.
public struct NewJob: Sendable {
  /// Selects the handler (`JobHandlerRegistry`), e.g. `office.term_end_reminder`.
  public var kind: String
  /// What the job is about, for operators (e.g. a member or meeting id).
  public var subject: String
  /// At most one job per tenant and key (RELIABILITY R11): a repeated event schedules
  /// nothing new. Nil for a job that needs no deduplication.
  public var uniqueKey: String?
  public var due: JobDue
  /// The handler's input; read only inside the tenant's transaction.
  public var payload: PostgresJSON
  /// Attempts before the job goes to `dead` (a lease that expires counts as one).
  public var maxAttempts: Int

  public init(
    kind: String, subject: String, uniqueKey: String?, due: JobDue,
    payload: PostgresJSON = PostgresJSON("{}"), maxAttempts: Int = 5
  ) {
    self.kind = kind
    self.subject = subject
    self.uniqueKey = uniqueKey
    self.due = due
    self.payload = payload
    self.maxAttempts = maxAttempts
  }
}

/// When a job falls due.
public enum JobDue: Sendable, Equatable {
  /// An instant (a statutory deadline computed from the calendar).
  case at(Date)
  /// This long after the database's clock at the enqueuing statement (RELIABILITY R8: the
  /// host's clock plays no part).
  case after(Duration)

  public static let now = JobDue.after(.zero)
}

/// What `JobQueue.enqueue` did.
public enum EnqueueResult: Sendable, Equatable {
  case created(jobID: UUID, dueAt: Date)
  /// A job with the same unique key exists (committed, or being committed by a concurrent
  /// transaction that then committed): nothing was written.
  case duplicate

  public var isNew: Bool {
    if case .created = self { return true }
    return false
  }
}
