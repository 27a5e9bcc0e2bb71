import CharterGovernance
import CharterPostgres
import Foundation

/// Scheduling of the recurring obligations outside a transition (CHARTER LOAD, FEE REMINDERS,
/// a new group): a job is written only when its obligation has none yet, so loading an
/// amendment or repeating a command never revives a job that ran or was cancelled (a fee
/// paid, a reminder sent) nor adds a second minimum-meetings check beside a pending one.
enum RecurringJobs {
  /// Writes `job` unless a job of its key exists in any state, or (for `minimumMeetings`) a
  /// check of the same subject is pending. Returns whether it was written.
  @discardableResult
  static func scheduleIfNew(
    _ job: DeadlineJob, charterVersion: Int?, on connection: PostgresConnection
  ) async throws -> Bool {
    let exists = try await connection.query(
      """
      select exists (
          select 1 from charter.deadline_jobs
          where unique_key = $1
             or ($2 and kind = $3 and subject = $4 and state in ('pending', 'running')))
      """,
      [
        job.key, job.kind == .minimumMeetings, DeadlineJobs.jobKind(job.kind),
        job.subject.description,
      ]
    ).scalar(as: Bool.self)
    guard !exists else { return false }
    try await DeadlineJobs.schedule(job, charterVersion: charterVersion, on: connection)
    return true
  }
}
