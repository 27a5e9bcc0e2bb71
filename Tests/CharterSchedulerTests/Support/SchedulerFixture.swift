import CharterPostgres
import CharterScheduler
import CharterStore
import CharterTestSupport
import Foundation
import Testing

/// A migrated test database with tenants, the run-time pool, and a table in which test
/// handlers record each run they commit (`public.test_executions`, outside the charter
/// schema and its posture rules).
struct SchedulerFixture: Sendable {
  let database: TestDatabase
  let app: Database
  let tenants: [TenantID]

  static let recordingKind = "test.record"

  /// Runs `body` on a fresh database with `tenantCount` tenants; closes the pool afterwards.
  static func with(
    tenants tenantCount: Int = 2, poolSize: Int = 8, _ body: (SchedulerFixture) async throws -> Void
  ) async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .owner) { owner in
        try await owner.executeScript(
          """
          create table public.test_executions (
              tenant_id uuid not null, job_id uuid not null, attempt integer not null,
              instance text not null, ran_at timestamptz not null default clock_timestamp(),
              note text);
          grant select, insert on public.test_executions to charter_runtime;
          """)
      }
      let pool = PostgresPool(
        configuration: try PostgresConfiguration(url: database.url(as: .app)),
        maxConnections: poolSize)
      let app = Database(pool: pool)
      var tenants: [TenantID] = []
      do {
        for index in 0..<tenantCount {
          let tenant = TenantID(UUID())
          try await app.withInstallationScope { connection in
            try await connection.query(
              "insert into charter.tenants (id, slug, name) values ($1, $2, $3)",
              [tenant, "t\(index)-\(tenant.description.prefix(8))", "联盟 \(index)"])
          }
          tenants.append(tenant)
        }
        try await body(SchedulerFixture(database: database, app: app, tenants: tenants))
      } catch {
        await pool.shutdown()
        throw error
      }
      await pool.shutdown()
    }
  }

  /// A handler that records its run in test_executions (committed with the job's completion)
  /// and then returns `outcome`.
  static func recordingHandler(
    instance: String, delay: Duration = .zero, outcome: JobOutcome = .done
  ) -> ClosureJobHandler {
    ClosureJobHandler { job, connection in
      if delay > .zero { try await Task.sleep(for: delay) }
      try await connection.query(
        "insert into public.test_executions (tenant_id, job_id, attempt, instance) values ($1, $2, $3, $4)",
        [job.tenant, job.id, job.attempt, instance])
      return outcome
    }
  }

  func registry(_ handler: any JobHandler, kind: String = recordingKind) -> JobHandlerRegistry {
    var registry = JobHandlerRegistry()
    registry.register(kind, handler)
    return registry
  }

  /// Enqueues one job in its own tenant transaction.
  @discardableResult
  func enqueue(
    tenant: TenantID, kind: String = recordingKind, subject: String = "subject",
    key: String? = nil, due: JobDue, maxAttempts: Int = 5
  ) async throws -> EnqueueResult {
    try await app.withTenant(tenant) { connection in
      try await JobQueue.enqueue(
        NewJob(kind: kind, subject: subject, uniqueKey: key, due: due, maxAttempts: maxAttempts),
        on: connection)
    }
  }

  /// Inserts many jobs due `secondsAgo` (staggered by a millisecond each, in order) per
  /// tenant in one statement each: fast set-up for the volume tests.
  func insertDueJobs(perTenant count: Int, tenants: [TenantID]? = nil, secondsAgo: Double = 1)
    async throws
  {
    for tenant in tenants ?? self.tenants {
      try await app.withTenant(tenant) { connection in
        try await connection.query(
          """
          insert into charter.deadline_jobs (tenant_id, kind, subject, due_at)
          select charter.current_tenant(), $1, 'bulk ' || g,
                 now() - make_interval(secs => $2::float8) + g * interval '1 millisecond'
          from generate_series(1, $3::integer) g
          """, [Self.recordingKind, secondsAgo, count])
      }
    }
  }

  /// Superuser view of the executions, every tenant: (job id, count of committed runs).
  func executionCounts() async throws -> [UUID: Int] {
    try await database.withConnection(as: .superuser) { connection in
      let rows = try await connection.query(
        "select job_id, count(*) from public.test_executions group by job_id", []
      ).rows
      var counts: [UUID: Int] = [:]
      for row in rows {
        counts[try row.decode(0, as: UUID.self)] = Int(try row.decode(1, as: Int64.self))
      }
      return counts
    }
  }

  /// Superuser count of jobs by state, every tenant.
  func jobStates() async throws -> [JobState: Int] {
    try await database.withConnection(as: .superuser) { connection in
      let rows = try await connection.query(
        "select state, count(*) from charter.deadline_jobs group by state", []
      ).rows
      var counts: [JobState: Int] = [:]
      for row in rows {
        counts[try row.decode(0, as: JobState.self)] = Int(try row.decode(1, as: Int64.self))
      }
      return counts
    }
  }

  func scheduler(
    _ handlers: JobHandlerRegistry, instance: String,
    configure: (inout SchedulerConfiguration) -> Void = { _ in }
  ) -> Scheduler {
    var configuration = SchedulerConfiguration(
      instanceID: instance, safetyPollInterval: .seconds(60),
      retryPolicy: RetryPolicy(base: .milliseconds(100), maximum: .seconds(2), jitter: 0))
    configure(&configuration)
    return Scheduler(database: app, handlers: handlers, configuration: configuration)
  }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
func eventually(
  timeout: Duration, _ condition: () async throws -> Bool
) async rethrows -> Bool {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if try await condition() { return true }
    try? await Task.sleep(for: .milliseconds(20))
  }
  return try await condition()
}
