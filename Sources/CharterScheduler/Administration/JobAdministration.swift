public import CharterPostgres
public import CharterStore
public import Foundation

/// The queries behind the admin commands JOBS LIST / SHOW / RETRY / CANCEL and STATS. Each
/// runs in the named tenant's transaction, so row-level security bounds it to that tenant; an
/// installation operator names the tenant too (there is no cross-tenant listing of jobs).
public struct JobAdministration: Sendable {
  public let database: Database

  public init(database: Database) {
    self.database = database
  }

  /// Jobs of `tenant` matching `filter`, in due order, `limit` (1...1000) at a time. Pass the
  /// returned `next` cursor to get the following page; nil means there is none.
  public func list(
    tenant: TenantID, filter: JobFilter = JobFilter(), after cursor: JobCursor? = nil,
    limit: Int = 50
  ) async throws -> JobPage {
    let pageSize = min(1000, max(1, limit))
    let jobs = try await database.withTenant(tenant) { connection in
      let result = try await connection.query(
        """
        select \(JobSummary.columns)
        from charter.deadline_jobs
        where ($1::text is null or kind = $1::text)
          and ($2::text[] is null or state = any($2::text[]))
          and ($3::timestamptz is null or due_at >= $3::timestamptz)
          and ($4::timestamptz is null or due_at < $4::timestamptz)
          and ($5::timestamptz is null or (due_at, id) > ($5::timestamptz, $6::uuid))
        order by due_at, id
        limit $7::integer
        """,
        [
          filter.kind, filter.states.map { $0.map(\.rawValue) }, filter.dueFrom, filter.dueBefore,
          cursor?.dueAt, cursor?.id, pageSize + 1,
        ])
      return try result.rows.map { try JobSummary(row: $0, tenant: tenant) }
    }
    let page = Array(jobs.prefix(pageSize))
    let next = jobs.count > pageSize ? page.last.map { JobCursor(dueAt: $0.dueAt, id: $0.id) } : nil
    return JobPage(jobs: page, next: next)
  }

  /// One job with its payload and lease, or nil when `tenant` has no such job.
  public func show(tenant: TenantID, id: UUID) async throws -> JobDetail? {
    try await database.withTenant(tenant) { connection in
      let rows = try await connection.query(
        """
        select \(JobSummary.columns), unique_key, payload, lease_owner, lease_expires_at,
               created_at, finished_at
        from charter.deadline_jobs where id = $1
        """, [id]
      ).rows
      guard let row = rows.first else { return nil }
      let base = JobSummary.columnCount
      return JobDetail(
        summary: try JobSummary(row: row, tenant: tenant),
        uniqueKey: try row.decode(base, as: String?.self),
        payload: try row.decode(base + 1, as: PostgresJSON.self),
        leaseOwner: try row.decode(base + 2, as: String?.self),
        leaseExpiresAt: try row.decode(base + 3, as: Date?.self),
        createdAt: try row.decode(base + 4, as: Date.self),
        finishedAt: try row.decode(base + 5, as: Date?.self))
    }
  }

  /// RETRY: a dead (or failed) job runs again now, with its attempts counted from zero. The
  /// last error is kept until the next outcome replaces it.
  public func retry(tenant: TenantID, id: UUID) async throws -> JobCommandResult {
    try await database.withTenant(tenant) { try await Self.retry(id: id, on: $0) }
  }

  /// RETRY inside a tenant transaction the caller holds, so that the caller's audit record
  /// commits with the change (or neither does).
  public static func retry(id: UUID, on connection: PostgresConnection) async throws
    -> JobCommandResult
  {
    try await change(
      id: id, on: connection,
      """
      update charter.deadline_jobs
      set state = 'pending', attempts = 0, due_at = now(), finished_at = null,
          updated_at = clock_timestamp()
      where id = $1 and state in ('dead', 'failed')
      returning pg_notify($2, extract(epoch from due_at)::text) is null
      """)
  }

  /// CANCEL: a pending job will not run. A running job cannot be cancelled (its handler is
  /// committing or its lease will expire); cancel it once it is pending again.
  public func cancel(tenant: TenantID, id: UUID) async throws -> JobCommandResult {
    try await database.withTenant(tenant) { try await Self.cancel(id: id, on: $0) }
  }

  /// CANCEL inside a tenant transaction the caller holds (see `retry(id:on:)`).
  public static func cancel(id: UUID, on connection: PostgresConnection) async throws
    -> JobCommandResult
  {
    try await change(
      id: id, on: connection,
      """
      update charter.deadline_jobs
      set state = 'cancelled', finished_at = clock_timestamp(), updated_at = clock_timestamp()
      where id = $1 and state = 'pending'
      returning $2::text is null
      """)
  }

  /// STATS for one tenant: jobs by state, the oldest pending due time and how late the oldest
  /// overdue job is (database clock), jobs waiting for a retry, dead jobs.
  public func statistics(tenant: TenantID) async throws -> JobStatistics {
    try await database.withTenant(tenant) { connection in
      var statistics = JobStatistics()
      let byState = try await connection.query(
        "select state, count(*) from charter.deadline_jobs group by state", [])
      for row in byState.rows {
        statistics.countsByState[try row.decode(0, as: JobState.self)] = Int(
          try row.decode(1, as: Int64.self))
      }
      let row = try await connection.query(
        """
        select min(due_at) filter (where state = 'pending'),
               extract(epoch from clock_timestamp()
                   - min(due_at) filter (where state = 'pending' and due_at <= now()))::float8,
               count(*) filter (where state = 'pending' and attempts > 0)
        from charter.deadline_jobs
        """, []
      ).rows[0]
      statistics.oldestPendingDue = try row.decode(0, as: Date?.self)
      statistics.oldestOverdueLateness = try row.decode(1, as: Double?.self).map {
        Duration.milliseconds(Int64(($0 * 1000).rounded()))
      }
      statistics.waitingForRetry = Int(try row.decode(2, as: Int64.self))
      return statistics
    }
  }

  /// STATS for the whole installation (an operator): every tenant's statistics summed, the
  /// oldest due time and the largest lateness kept. One tenant transaction per tenant: there
  /// is no cross-tenant read of jobs besides the dispatcher's.
  public func installationStatistics() async throws -> JobStatistics {
    let tenants = try await database.withInstallationScope { connection in
      try await connection.query("select id from charter.tenants order by id", []).rows.map {
        try $0.decode(0, as: TenantID.self)
      }
    }
    var total = JobStatistics()
    for tenant in tenants {
      let one = try await statistics(tenant: tenant)
      total.countsByState.merge(one.countsByState, uniquingKeysWith: +)
      total.waitingForRetry += one.waitingForRetry
      if let due = one.oldestPendingDue {
        total.oldestPendingDue = min(total.oldestPendingDue ?? due, due)
      }
      if let lateness = one.oldestOverdueLateness {
        total.oldestOverdueLateness = max(total.oldestOverdueLateness ?? lateness, lateness)
      }
    }
    return total
  }

  private static func change(
    id: UUID, on connection: PostgresConnection, _ sql: String
  ) async throws -> JobCommandResult {
    let updated = try await connection.query(sql, [id, JobQueue.notificationChannel])
    if updated.affectedRows == 1 { return .changed }
    let current = try await connection.query(
      "select state from charter.deadline_jobs where id = $1", [id]
    ).rows
    guard let row = current.first else { return .notFound }
    return .refused(current: try row.decode(0, as: JobState.self))
  }
}

/// Which jobs JOBS LIST shows. Nil fields do not filter.
public struct JobFilter: Sendable, Equatable {
  public var kind: String?
  public var states: [JobState]?
  /// Due at or after.
  public var dueFrom: Date?
  /// Due before.
  public var dueBefore: Date?

  public init(
    kind: String? = nil, states: [JobState]? = nil, dueFrom: Date? = nil, dueBefore: Date? = nil
  ) {
    self.kind = kind
    self.states = states
    self.dueFrom = dueFrom
    self.dueBefore = dueBefore
  }
}

/// Where a page of JOBS LIST ended: the last job's due time and id. `token` is its text form
/// for the admin protocol.
public struct JobCursor: Sendable, Hashable {
  public var dueAt: Date
  public var id: UUID

  public init(dueAt: Date, id: UUID) {
    self.dueAt = dueAt
    self.id = id
  }

  /// `<microseconds since 1970>.<uuid>`.
  public var token: String {
    "\(Int64((dueAt.timeIntervalSince1970 * 1_000_000).rounded())).\(id.uuidString.lowercased())"
  }

  public init(token: String) throws {
    let parts = token.split(separator: ".", maxSplits: 1)
    guard parts.count == 2, let micros = Int64(parts[0]),
      let id = UUID(uuidString: String(parts[1]))
    else { throw SchedulerError.invalidCursor }
    self.init(dueAt: Date(timeIntervalSince1970: Double(micros) / 1_000_000), id: id)
  }
}

public struct JobPage: Sendable {
  public var jobs: [JobSummary]
  public var next: JobCursor?
}

/// A line of JOBS LIST.
public struct JobSummary: Sendable, Equatable {
  public var tenant: TenantID
  public var id: UUID
  public var kind: String
  public var subject: String
  public var state: JobState
  public var dueAt: Date
  public var attempts: Int
  public var maxAttempts: Int
  public var lastError: String?
  public var updatedAt: Date

  static let columns =
    "id, kind, subject, state, due_at, attempts, max_attempts, last_error, updated_at"
  static let columnCount = 9

  init(row: PostgresRow, tenant: TenantID) throws {
    self.tenant = tenant
    id = try row.decode(0, as: UUID.self)
    kind = try row.decode(1, as: String.self)
    subject = try row.decode(2, as: String.self)
    state = try row.decode(3, as: JobState.self)
    dueAt = try row.decode(4, as: Date.self)
    attempts = Int(try row.decode(5, as: Int32.self))
    maxAttempts = Int(try row.decode(6, as: Int32.self))
    lastError = try row.decode(7, as: String?.self)
    updatedAt = try row.decode(8, as: Date.self)
  }
}

/// JOBS SHOW.
public struct JobDetail: Sendable, Equatable {
  public var summary: JobSummary
  public var uniqueKey: String?
  public var payload: PostgresJSON
  public var leaseOwner: String?
  public var leaseExpiresAt: Date?
  public var createdAt: Date
  public var finishedAt: Date?
}

/// What RETRY or CANCEL did.
public enum JobCommandResult: Sendable, Equatable {
  case changed
  case notFound
  /// The job is in a state the command does not apply to.
  case refused(current: JobState)
}

/// STATS of one tenant's jobs.
public struct JobStatistics: Sendable, Equatable {
  public var countsByState: [JobState: Int] = [:]
  public var oldestPendingDue: Date?
  /// How long ago the oldest overdue pending job fell due; nil when none is overdue.
  public var oldestOverdueLateness: Duration?
  /// Pending jobs that already failed at least once.
  public var waitingForRetry = 0

  public init() {}

  public var dead: Int { countsByState[.dead, default: 0] }
}
