import CharterPostgres
import CharterScheduler
import CharterStore
import Foundation
import Testing

/// RELIABILITY R2: two scheduler instances on one database, no faults: every job runs, and
/// runs once.
@Suite struct TwoInstanceTests {
  @Test func twoThousandJobsAcrossFiveTenantsEachRunExactlyOnce() async throws {
    try await SchedulerFixture.with(tenants: 5, poolSize: 12) { fixture in
      try await fixture.insertDueJobs(perTenant: 400)
      let schedulers = ["a", "b"].map { instance in
        fixture.scheduler(
          fixture.registry(SchedulerFixture.recordingHandler(instance: instance)),
          instance: instance
        ) {
          $0.maxConcurrentJobs = 4
          // Claims of 100, so that the first instance to start cannot lease every job at once.
          $0.claimBatchSize = 100
        }
      }
      let started = ContinuousClock.now
      for scheduler in schedulers { try await scheduler.start() }
      let finished = try await eventually(timeout: .seconds(60)) {
        try await fixture.jobStates()[.done] == 2000
      }
      let elapsed = ContinuousClock.now - started
      for scheduler in schedulers { await scheduler.stop() }
      #expect(finished)
      let counts = try await fixture.executionCounts()
      #expect(counts.count == 2000)
      #expect(counts.values.allSatisfy { $0 == 1 })
      let attempts = try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query(
          "select count(*) from charter.deadline_jobs where attempts <> 1", []
        ).scalar(as: Int64.self)
      }
      #expect(attempts == 0, "every job claimed exactly once")
      let byInstance = try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query(
          "select instance, count(*) from public.test_executions group by instance order by 1", []
        ).rows.map { (try $0.decode(0, as: String.self), try $0.decode(1, as: Int64.self)) }
      }
      print("R2: 2,000 jobs, 2 instances, \(elapsed); runs per instance: \(byInstance)")
      #expect(byInstance.count == 2, "both instances took part")
    }
  }
}
