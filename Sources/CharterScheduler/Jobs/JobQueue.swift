public import CharterPostgres
import Foundation

/// Writing jobs. A job is written inside the caller's tenant transaction
/// (`Database.withTenant`), together with the event that creates it: a rolled-back event
/// schedules nothing (RELIABILITY R10).
public enum JobQueue {
  /// The LISTEN/NOTIFY channel on which every enqueue announces its due time (seconds since
  /// 1970 by the database clock, as text). NOTIFY is transactional: daemons hear it at commit,
  /// never for a rolled-back job.
  public static let notificationChannel = "charter_jobs"

  /// Writes `job` for the transaction's tenant (`charter.current_tenant()`), unless a job with
  /// the same unique key exists. A concurrent transaction inserting the same key makes this
  /// one wait for its outcome: if it commits this one writes nothing, if it rolls back this
  /// one writes the job.
  /// - Throws: `SchedulerError.noTenantContext` outside a tenant transaction.
  public static func enqueue(_ job: NewJob, on connection: PostgresConnection) async throws
    -> EnqueueResult
  {
    var dueAt: Date?
    var delaySeconds = 0.0
    switch job.due {
    case .at(let date): dueAt = date
    case .after(let delay): delaySeconds = delay.schedulerSeconds
    }
    let result = try await connection.query(
      """
      with inserted as (
          insert into charter.deadline_jobs
              (tenant_id, kind, subject, unique_key, due_at, payload, max_attempts)
          select charter.current_tenant(), $1, $2, $3,
                 coalesce($4::timestamptz, now() + make_interval(secs => $5::float8)),
                 $6, $7::integer
          where charter.current_tenant() is not null
          on conflict (tenant_id, unique_key) do nothing
          returning id, due_at
      )
      select i.id, i.due_at,
             pg_notify($8, extract(epoch from i.due_at)::text) is null as notified
      from inserted i
      """,
      [
        job.kind, job.subject, job.uniqueKey, dueAt, delaySeconds, job.payload,
        job.maxAttempts, notificationChannel,
      ])
    guard let row = result.rows.first else {
      // Nothing written: a duplicate, or no tenant (row-level security would refuse it).
      let hasTenant = try await connection.query(
        "select charter.current_tenant() is not null", []
      ).scalar(as: Bool.self)
      if !hasTenant { throw SchedulerError.noTenantContext }
      return .duplicate
    }
    return .created(
      jobID: try row.decode(0, as: UUID.self), dueAt: try row.decode(1, as: Date.self))
  }
}
