public import CharterAccounts
public import CharterCalendar
public import CharterGovernance
public import CharterPostgres
public import CharterScheduler
public import CharterStore
public import Foundation

/// The deadlines of RULES.md §8 as rows of charter.deadline_jobs: written by `record` in the
/// transaction of the event that creates them, run by `DeadlineJobRunner`.
enum DeadlineJobs {
  /// The scheduler's job kind of a deadline kind: `governance.exitEffective`.
  static func jobKind(_ kind: DeadlineKind) -> String { "governance.\(kind.rawValue)" }

  /// Writes the job, or replaces the pending (or finished) job of the same key: the engine's
  /// keys are per obligation, so the same key means the same obligation, re-computed (new
  /// activity moves the inactivity exit). A job of the key that is running now is left alone:
  /// it is the one doing the re-scheduling, or it finishes and the next event re-schedules.
  static func schedule(
    _ job: DeadlineJob, charterVersion: Int?, on connection: PostgresConnection
  ) async throws {
    var payload = job.payload
    payload["subject"] = job.subject.description
    payload["due_day"] = job.dueDay.description
    payload["article"] = job.article.description
    if let charterVersion { payload["charter_version"] = String(charterVersion) }
    try await connection.query(
      """
      with written as (
          insert into charter.deadline_jobs
              (tenant_id, kind, subject, unique_key, due_at, payload, max_attempts)
          values (charter.current_tenant(), $1, $2, $3, $4, $5, 8)
          on conflict (tenant_id, unique_key) do update
              set kind = excluded.kind, subject = excluded.subject, due_at = excluded.due_at,
                  payload = excluded.payload, state = 'pending', attempts = 0,
                  last_error = null, finished_at = null, lease_owner = null,
                  lease_expires_at = null, updated_at = now()
              where charter.deadline_jobs.state <> 'running'
          returning due_at
      )
      select pg_notify($6, extract(epoch from due_at)::text) from written
      """,
      [
        jobKind(job.kind), job.subject.description, job.key, job.due,
        try JSONText.object(payload), JobQueue.notificationChannel,
      ])
  }

  /// Cancels the pending jobs of `keys` (their obligation was met or the case closed).
  static func cancel(keys: [String], on connection: PostgresConnection) async throws {
    guard !keys.isEmpty else { return }
    try await connection.query(
      """
      update charter.deadline_jobs
      set state = 'cancelled', finished_at = now(), updated_at = now()
      where tenant_id = charter.current_tenant() and unique_key = any($1) and state = 'pending'
      """, [keys])
  }
}

/// A deadline job as its handler sees it.
public struct DeadlineJobContext: Sendable {
  public let kind: DeadlineKind
  public let subject: Subject
  public let key: String?
  public let dueAt: Date
  /// The engine's payload plus `subject`, `due_day`, `article`, `charter_version`.
  public let payload: [String: String]
  public let attempt: Int
}

/// Runs one deadline kind: loads the subject, feeds the event back to the engine and records
/// the transition through `scope`, in the job's transaction.
typealias DeadlineHandler = @Sendable (WorkflowScope, DeadlineJobContext) async throws -> JobOutcome

/// The scheduler's handler for one deadline kind: builds the workflow scope of the job's
/// tenant (actor `system`) and turns a refusal into a failed job (an operator looks at it:
/// JOBS SHOW). A stale job (the obligation was met) is the engine's `nothingDue`, recorded
/// like any decision.
struct DeadlineJobRunner: JobHandler {
  let service: WorkflowService
  let body: DeadlineHandler

  func run(_ job: JobContext, on connection: PostgresConnection) async throws -> JobOutcome {
    let payload = try decodePayload(job.payload)
    guard
      let kindName = job.kind.split(separator: ".").last,
      let kind = DeadlineKind(rawValue: String(kindName)),
      let subjectText = payload["subject"], let subject = Subject(parsing: subjectText)
    else {
      return .fail(reason: "not a governance deadline: kind \(job.kind), subject \(job.subject)")
    }
    let slug = try await connection.query(
      "select slug from charter.tenants where id = $1", [job.tenant]
    ).rows.first?.decode(0, as: String.self)
    guard let slug else { return .fail(reason: "the job's tenant is gone") }
    let scope = try await service.scope(
      tenant: TenantRef(id: job.tenant, slug: slug), connection: connection, actor: "system",
      command: "job \(job.kind) \(job.uniqueKey ?? job.id.uuidString.lowercased())")
    let context = DeadlineJobContext(
      kind: kind, subject: subject, key: job.uniqueKey, dueAt: job.dueAt, payload: payload,
      attempt: job.attempt)
    // In a savepoint of its own: the scheduler runs handlers without one, and a refusal met
    // after some writes must take them back before the job is failed in this transaction.
    do {
      return try await connection.savepoint { _ in try await body(scope, context) }
    } catch let refusal as Refusal {
      return .fail(reason: refusal.description)
    }
  }

  private func decodePayload(_ json: PostgresJSON) throws -> [String: String] {
    let object = try JSONSerialization.jsonObject(with: Data(json.text.utf8))
    guard let dictionary = object as? [String: Any] else { return [:] }
    return dictionary.compactMapValues { value in
      if let text = value as? String { return text }
      if let number = value as? NSNumber { return number.stringValue }
      return nil
    }
  }
}

extension Subject {
  /// Reads back `Subject.description` (`member:<id>`, `working-group:<id>`, …).
  public init?(parsing text: String) {
    guard let colon = text.firstIndex(of: ":") else { return nil }
    let kind = text[..<colon]
    let id = String(text[text.index(after: colon)...])
    guard !id.isEmpty else { return nil }
    switch kind {
    case "member": self = .member(MemberID(id))
    case "person": self = .person(PersonID(id))
    case "working-group": self = .workingGroup(WorkingGroupID(id))
    case "meeting": self = .meeting(MeetingID(id))
    case "case": self = .filedCase(CaseID(id))
    case "body": self = .body(id)
    default: return nil
    }
  }
}
