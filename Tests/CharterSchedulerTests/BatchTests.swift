import CharterPostgres
import CharterStore
import Foundation
import Testing

@testable import CharterScheduler

/// Several due jobs of one tenant run in one tenant transaction (docs/scheduler.md, "Several
/// jobs per transaction"). Each job's writes still commit with its completion; a failing job
/// costs the others of its batch a rerun of their handlers, never a second commit.
@Suite struct BatchTests {
  /// The jobs of each tenant due in one second run in one transaction; every job runs and
  /// commits once, and two tenants never share a transaction.
  @Test func jobsOfOneTenantDueInOneSecondShareATransaction() async throws {
    try await SchedulerFixture.with(tenants: 2) { fixture in
      for tenant in fixture.tenants {
        try await fixture.insertJobs(tenant: tenant, subjects: (1...5).map { "j\($0)" })
      }
      let scheduler = fixture.scheduler(
        fixture.registry(Self.transactionRecordingHandler()), instance: "a",
        configure: Self.unhurried)
      try await scheduler.start()
      #expect(
        try await eventually(timeout: .seconds(30)) { try await fixture.jobStates()[.done] == 10 })
      await scheduler.stop()
      let counts = try await fixture.executionCounts()
      #expect(counts.count == 10 && counts.values.allSatisfy { $0 == 1 })
      let transactions = try await fixture.transactionsByTenant()
      #expect(transactions.count == 2)
      #expect(transactions.values.allSatisfy { $0.count == 1 }, "\(transactions)")
      #expect(Set(transactions.values.flatMap { $0 }).count == 2)
    }
  }

  /// One handler of a batch throws: nothing of the batch is kept, each job runs again alone;
  /// the others commit once, the failing one is retried (its deferred row never written).
  @Test func aFailingJobCostsTheOthersOfItsBatchNoSecondCommit() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      let tenant = fixture.tenants[0]
      try await fixture.insertJobs(
        tenant: tenant, subjects: ["j1", "j2", "bad", "j4", "j5", "j6"], maxAttempts: 2)
      let runs = Counter()
      let handler = ClosureJobHandler { job, connection in
        runs.increment()
        job.deferredWrites.append(ExecutionRow(job: job.id, attempt: job.attempt, note: "deferred"))
        if job.subject == "bad" { throw Boom() }
        return try await Self.transactionRecordingHandler().run(job, on: connection)
      }
      let scheduler = fixture.scheduler(
        fixture.registry(handler), instance: "a", configure: Self.unhurried)
      try await scheduler.start()
      #expect(
        try await eventually(timeout: .seconds(30)) {
          try await fixture.jobStates() == [.done: 5, .dead: 1]
        })
      await scheduler.stop()
      // Each good job: its direct row and its deferred row, once.
      let counts = try await fixture.executionCounts()
      let bad = try await fixture.jobID(subject: "bad")
      #expect(counts[bad] == nil, "a failed run's deferred row is not written")
      #expect(counts.count == 5 && counts.values.allSatisfy { $0 == 2 }, "\(counts)")
      // The batch up to the failing one (3), then each alone (6), then the failing one's
      // second and last attempt (1).
      #expect(runs.value == 10)
      let error = try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query(
          "select last_error from charter.deadline_jobs where id = $1", [bad]
        ).scalar(as: String.self)
      }
      #expect(error.contains("boom"))
    }
  }

  /// The rows handlers leave in `deferredWrites` go to the database in one statement per batch.
  @Test func deferredRowsOfABatchAreWrittenInOneStatement() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      try await fixture.insertJobs(tenant: fixture.tenants[0], subjects: (1...8).map { "j\($0)" })
      let handler = ClosureJobHandler { job, _ in
        job.deferredWrites.append(ExecutionRow(job: job.id, attempt: job.attempt, note: "a"))
        job.deferredWrites.append(ExecutionRow(job: job.id, attempt: job.attempt, note: "b"))
        return .done
      }
      let scheduler = fixture.scheduler(
        fixture.registry(handler), instance: "a", configure: Self.unhurried)
      try await scheduler.start()
      #expect(
        try await eventually(timeout: .seconds(30)) { try await fixture.jobStates()[.done] == 8 })
      await scheduler.stop()
      let statements = try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query(
          "select count(distinct instance) from public.test_executions", []
        ).scalar(as: Int64.self)
      }
      #expect(statements == 1)
      let counts = try await fixture.executionCounts()
      #expect(counts.count == 8 && counts.values.allSatisfy { $0 == 2 })
    }
  }

  /// A job of the batch whose lease was taken over (rescued and claimed again) is left alone;
  /// the rest of the batch runs.
  @Test func aJobWhoseLeaseWasLostIsSkippedAndTheRestOfItsBatchRuns() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      try await fixture.insertJobs(tenant: fixture.tenants[0], subjects: ["j1", "j2", "j3", "j4"])
      let worker = JobWorker(
        database: fixture.app, instanceID: "w",
        handlers: fixture.registry(SchedulerFixture.recordingHandler(instance: "w")))
      let claims = try await worker.claim(max: 10)
      #expect(claims.count == 4)
      try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query(
          "update charter.deadline_jobs set lease_token = gen_random_uuid() where id = $1",
          [claims[1].id])
      }
      let results = try await worker.execute(batch: claims, budget: .seconds(60))
      #expect(results == [.done, .leaseLost, .done, .done])
      #expect(
        Set(try await fixture.executionCounts().keys) == [claims[0].id, claims[2].id, claims[3].id])
      #expect(try await fixture.jobStates() == [.done: 3, .running: 1])
    }
  }

  /// The claim leases the oldest due jobs and returns them by second of due time, then by
  /// tenant: within a second a tenant's jobs are adjacent, and no job comes before one due in
  /// an earlier second.
  @Test func theClaimGroupsATenantsJobsWithinASecondOnly() async throws {
    try await SchedulerFixture.with(tenants: 2) { fixture in
      let (a, b) = (fixture.tenants[0], fixture.tenants[1])
      // One second for every insert, however slowly they run.
      let second = try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query("select date_trunc('second', now())", []).scalar(as: Date.self)
      }
      try await fixture.insertJobs(
        tenant: a, subjects: ["a1", "a2"], secondsAgo: 10, spacing: 300, second: second)
      try await fixture.insertJobs(
        tenant: b, subjects: ["b1"], secondsAgo: 10, spacing: 200, second: second)
      try await fixture.insertJobs(
        tenant: b, subjects: ["b2"], secondsAgo: 9, spacing: 100, second: second)
      try await fixture.insertJobs(
        tenant: a, subjects: ["a3"], secondsAgo: 9, spacing: 200, second: second)
      let worker = JobWorker(
        database: fixture.app, instanceID: "w",
        handlers: fixture.registry(SchedulerFixture.recordingHandler(instance: "w")))
      let claims = try await worker.claim(max: 10)
      var subjects: [String] = []
      for claim in claims {
        subjects.append(try await fixture.subject(of: claim.id))
      }
      let earlier = a.description < b.description ? ["a1", "a2", "b1"] : ["b1", "a1", "a2"]
      let later = a.description < b.description ? ["a3", "b2"] : ["b2", "a3"]
      #expect(subjects == earlier + later)
    }
  }

  /// The batch's lock and completion find their jobs by primary key even when the statistics
  /// say that no job runs (a generic plan, as the prepared-statement cache uses): before
  /// SQL/0009 the planner took the index of running leases and walked every tenant's running
  /// jobs, 1,000 here, for each batch.
  @Test func theBatchStatementsUseThePrimaryKeyWithStaleStatistics() async throws {
    try await SchedulerFixture.with(tenants: 20) { fixture in
      // Statistics taken while nothing ran, as autovacuum takes them between bursts.
      try await fixture.insertDueJobs(perTenant: 100)
      try await fixture.database.withConnection(as: .superuser) { superuser in
        try await superuser.executeScript(
          "alter table charter.deadline_jobs set (autovacuum_enabled = false)")
        try await superuser.executeScript("vacuum analyze charter.deadline_jobs")
      }
      let worker = JobWorker(
        database: fixture.app, instanceID: "w",
        handlers: fixture.registry(SchedulerFixture.recordingHandler(instance: "w")))
      let claims = try await worker.claim(max: 1000)
      #expect(claims.count == 1000)
      let tenant = claims[0].tenant
      let batch = claims.filter { $0.tenant == tenant }
      let ids = "{" + batch.map(\.id.uuidString).joined(separator: ",") + "}"
      let tokens = "{" + batch.map(\.leaseToken.uuidString).joined(separator: ",") + "}"
      let plans = try await fixture.app.withTenant(tenant) { connection in
        try await connection.executeScript(
          """
          set local plan_cache_mode = force_generic_plan;
          prepare batch_lock_plan(uuid, uuid[], uuid[], text) as \(JobWorker.batchLockSQL);
          prepare batch_completion_plan(uuid, uuid[], uuid[]) as \(JobWorker.batchCompletionSQL);
          """)
        // EXPLAIN takes no parameters: the values are uuids we generated, written as literals.
        let arguments = "'\(tenant)', '\(ids)', '\(tokens)'"
        let lock = try await connection.query(
          "explain (format json) execute batch_lock_plan(\(arguments), 'w')", []
        ).scalar(as: PostgresJSON.self).text
        let completion = try await connection.query(
          "explain (format json) execute batch_completion_plan(\(arguments))", []
        ).scalar(as: PostgresJSON.self).text
        try await connection.executeScript(
          "deallocate batch_lock_plan; deallocate batch_completion_plan")
        return [("lock", lock), ("completion", completion)]
      }
      for (name, plan) in plans {
        #expect(plan.contains("\"Index Name\": \"deadline_jobs_pkey\""), "\(name): \(plan)")
        #expect(!plan.contains("deadline_jobs_lease_expiry"), "\(name): \(plan)")
        #expect(!plan.contains("Seq Scan"), "\(name): \(plan)")
      }
    }
  }

  /// Once a batch has run for its time budget it starts no further handler; the rest run in
  /// later batches, each job still once.
  @Test func aBatchStartsNoHandlerOnceItsTimeIsUp() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      try await fixture.insertJobs(tenant: fixture.tenants[0], subjects: (1...6).map { "j\($0)" })
      let recording = Self.transactionRecordingHandler()
      let handler = ClosureJobHandler { job, connection in
        try await Task.sleep(for: .milliseconds(80))
        return try await recording.run(job, on: connection)
      }
      let scheduler = fixture.scheduler(fixture.registry(handler), instance: "a") {
        $0.maxConcurrentJobs = 1
        $0.batchTimeBudget = .milliseconds(100)
      }
      try await scheduler.start()
      #expect(
        try await eventually(timeout: .seconds(30)) { try await fixture.jobStates()[.done] == 6 })
      await scheduler.stop()
      #expect(try await fixture.executionCounts().values.sorted() == [1, 1, 1, 1, 1, 1])
      // 80 ms per handler, 100 ms per batch: two handlers at most (the second starts at 80 ms).
      let jobsPerTransaction = try await fixture.database.withConnection(as: .superuser) {
        connection in
        try await connection.query(
          "select count(*) from public.test_executions group by note", []
        ).rows.map { Int(try $0.decode(0, as: Int64.self)) }
      }
      #expect(jobsPerTransaction.count >= 3 && jobsPerTransaction.allSatisfy { $0 <= 2 })
      #expect(scheduler.statistics.leaseLost == 0 && scheduler.statistics.rescued == 0)
    }
  }

  /// Batches as large as their jobs allow: these tests count transactions, which a loaded
  /// machine must not split by the time budget.
  static func unhurried(_ configuration: inout SchedulerConfiguration) {
    configuration.batchTimeBudget = .seconds(60)
  }

  /// Records the run with the transaction's id in `note`.
  static func transactionRecordingHandler() -> ClosureJobHandler {
    ClosureJobHandler { job, connection in
      try await connection.query(
        """
        insert into public.test_executions (tenant_id, job_id, attempt, instance, note)
        values ($1, $2, $3, 'a', txid_current()::text)
        """, [job.tenant, job.id, job.attempt])
      return .done
    }
  }
}

private struct Boom: Error, CustomStringConvertible {
  var description: String { "boom" }
}

/// A row of test_executions left to the scheduler; its `instance` names the statement that
/// wrote it (`deferred <statement start>`).
private struct ExecutionRow: BatchedWrite {
  var job: UUID
  var attempt: Int
  var note: String

  static func write(_ rows: [ExecutionRow], on connection: PostgresConnection) async throws {
    try await connection.query(
      """
      insert into public.test_executions (tenant_id, job_id, attempt, instance, note)
      select charter.current_tenant(), r.job, r.attempt, 'deferred ' || statement_timestamp(),
             r.note
      from unnest($1::uuid[], $2::bigint[], $3::text[]) as r(job, attempt, note)
      """, [rows.map(\.job), rows.map(\.attempt), rows.map(\.note)])
  }
}

extension SchedulerFixture {
  /// Jobs of `tenant` due `secondsAgo` seconds before `second` (default: the start of the
  /// current second), plus `spacing` milliseconds times their position (from 1): all due
  /// within one second while `spacing` times their count stays under 1,000.
  func insertJobs(
    tenant: TenantID, subjects: [String], secondsAgo: Double = 5, spacing: Int = 1,
    maxAttempts: Int = 5, second: Date? = nil
  ) async throws {
    try await app.withTenant(tenant) { connection in
      try await connection.query(
        """
        insert into charter.deadline_jobs (tenant_id, kind, subject, due_at, max_attempts)
        select charter.current_tenant(), $1, s.subject,
               coalesce($6::timestamptz, date_trunc('second', now()))
                   - make_interval(secs => $2::float8)
                   + s.position * $3::integer * interval '1 millisecond', $4::integer
        from unnest($5::text[]) with ordinality as s(subject, position)
        """, [Self.recordingKind, secondsAgo, spacing, maxAttempts, subjects, second])
    }
  }

  func jobID(subject: String) async throws -> UUID {
    try await database.withConnection(as: .superuser) { connection in
      try await connection.query(
        "select id from charter.deadline_jobs where subject = $1", [subject]
      ).scalar(as: UUID.self)
    }
  }

  func subject(of job: UUID) async throws -> String {
    try await database.withConnection(as: .superuser) { connection in
      try await connection.query(
        "select subject from charter.deadline_jobs where id = $1", [job]
      ).scalar(as: String.self)
    }
  }

  /// The transactions (`note` of the recorded runs) each tenant's jobs committed in.
  func transactionsByTenant() async throws -> [UUID: Set<String>] {
    try await database.withConnection(as: .superuser) { connection in
      var result: [UUID: Set<String>] = [:]
      for row in try await connection.query(
        "select tenant_id, note from public.test_executions where instance = 'a'", []
      ).rows {
        result[try row.decode(0, as: UUID.self), default: []].insert(
          try row.decode(1, as: String.self))
      }
      return result
    }
  }
}
