import CharterPostgres
import CharterScheduler
import CharterStore
import Foundation
import Testing

/// Failing jobs back off exponentially and end in `dead`; a permanent failure goes straight
/// to `dead`; RETRY brings a dead job back.
@Suite struct RetryTests {
  @Test func backoffDelaysGrowAndEndWithJitterBounds() {
    let policy = RetryPolicy(base: .seconds(10), maximum: .seconds(100), jitter: 0)
    #expect(
      (1...6).map { policy.delay(afterAttempt: $0) }
        == [10, 20, 40, 80, 100, 100].map { Duration.seconds($0) })
    let low = RetryPolicy(base: .seconds(10), jitter: 0.2, random: { 0 })
    let high = RetryPolicy(base: .seconds(10), jitter: 0.2, random: { 0.999_999 })
    #expect(low.delay(afterAttempt: 1) == .seconds(8))
    #expect(high.delay(afterAttempt: 1) > .milliseconds(11_999))
    #expect(high.delay(afterAttempt: 1) <= .seconds(12))
  }

  @Test func aJobThatKeepsFailingIsRetriedWithGrowingDelaysThenDead() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      let tenant = fixture.tenants[0]
      let created = try await fixture.enqueue(
        tenant: tenant, kind: "test.flaky", due: .now, maxAttempts: 4)
      guard case .created(let jobID, _) = created else { return }
      var registry = JobHandlerRegistry()
      registry.register("test.flaky") { job, connection in
        try await connection.query(
          "insert into public.test_executions (tenant_id, job_id, attempt, instance) values ($1, $2, $3, 'flaky')",
          [job.tenant, job.id, job.attempt])
        // The handler's write is undone with the failure: only the schedule survives.
        throw FlakyFailure()
      }
      let scheduler = fixture.scheduler(registry, instance: "a") {
        $0.retryPolicy = RetryPolicy(base: .milliseconds(200), maximum: .seconds(5), jitter: 0)
      }
      // Observe each retry's schedule: (attempts, due_at - updated_at).
      try await scheduler.start()
      var delays: [Int: Double] = [:]
      let dead = try await eventually(timeout: .seconds(15)) {
        let row = try await fixture.database.withConnection(as: .superuser) { connection in
          try await connection.query(
            """
            select state, attempts, extract(epoch from due_at - updated_at)::float8, last_error
            from charter.deadline_jobs where id = $1
            """, [jobID]
          ).rows[0]
        }
        let state = try row.decode(0, as: JobState.self)
        if state == .pending {
          delays[Int(try row.decode(1, as: Int32.self))] = try row.decode(2, as: Double.self)
        }
        return state == .dead
      }
      await scheduler.stop()
      #expect(dead)
      // Attempts 1, 2, 3 failed and were rescheduled after 0.2, 0.4, 0.8 s (those seen).
      for (attempt, delay) in delays where attempt >= 1 {
        let expected = 0.2 * pow(2, Double(attempt - 1))
        #expect(
          abs(delay - expected) < 0.05, "attempt \(attempt): \(delay) s, expected \(expected)")
      }
      #expect(delays.count >= 2, "saw the retry schedule \(delays)")
      let detail = try #require(
        try await JobAdministration(database: fixture.app).show(tenant: tenant, id: jobID))
      #expect(detail.summary.state == .dead)
      #expect(detail.summary.attempts == 4)
      #expect(detail.summary.lastError?.contains("gave up after 4 attempts") == true)
      #expect(try await fixture.executionCounts()[jobID] == nil, "failed runs' writes rolled back")
    }
  }

  @Test func aPermanentFailureIsDeadAtOnceAndRetryBringsItBack() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      let tenant = fixture.tenants[0]
      let created = try await fixture.enqueue(tenant: tenant, kind: "test.once", due: .now)
      guard case .created(let jobID, _) = created else { return }
      let failNext = Flag(true)
      var registry = JobHandlerRegistry()
      registry.register("test.once") { job, connection in
        if failNext.take() { return .fail(reason: "member record missing") }
        try await connection.query(
          "insert into public.test_executions (tenant_id, job_id, attempt, instance) values ($1, $2, $3, 'once')",
          [job.tenant, job.id, job.attempt])
        return .done
      }
      let scheduler = fixture.scheduler(registry, instance: "a")
      try await scheduler.start()
      let administration = JobAdministration(database: fixture.app)
      #expect(
        try await eventually(timeout: .seconds(10)) {
          try await administration.show(tenant: tenant, id: jobID)?.summary.state == .dead
        })
      let dead = try #require(try await administration.show(tenant: tenant, id: jobID))
      #expect(dead.summary.attempts == 1)
      #expect(dead.summary.lastError == "member record missing")
      #expect(try await administration.statistics(tenant: tenant).dead == 1)

      #expect(try await administration.retry(tenant: tenant, id: jobID) == .changed)
      #expect(
        try await eventually(timeout: .seconds(10)) {
          try await administration.show(tenant: tenant, id: jobID)?.summary.state == .done
        })
      await scheduler.stop()
      #expect(try await fixture.executionCounts()[jobID] == 1)
      // RETRY applies to dead jobs only; another tenant cannot see the job at all.
      #expect(try await administration.retry(tenant: tenant, id: jobID) == .refused(current: .done))
      #expect(try await administration.retry(tenant: TenantID(UUID()), id: jobID) == .notFound)
    }
  }
}

struct FlakyFailure: Error {}

final class Flag: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Bool
  init(_ value: Bool) { self.value = value }
  /// Returns the value and clears it.
  func take() -> Bool {
    lock.lock()
    defer {
      value = false
      lock.unlock()
    }
    return value
  }
}
