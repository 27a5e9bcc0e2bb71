import CharterPostgres
import CharterScheduler
import CharterStore
import Foundation
import Testing

/// Start-up after downtime and graceful shutdown (RELIABILITY R15).
@Suite struct LifecycleTests {
  @Test func overdueJobsFireAtStartOldestFirst() async throws {
    try await SchedulerFixture.with(tenants: 3) { fixture in
      // Due 1 to 60 minutes ago, inserted in shuffled order across tenants.
      let minutesAgo = Array(1...60).shuffled()
      for (index, minutes) in minutesAgo.enumerated() {
        try await fixture.enqueue(
          tenant: fixture.tenants[index % 3], subject: "m\(minutes)",
          due: .at(Date().addingTimeInterval(Double(-60 * minutes))))
      }
      let scheduler = fixture.scheduler(
        fixture.registry(SchedulerFixture.recordingHandler(instance: "a")), instance: "a"
      ) { $0.maxConcurrentJobs = 1 }
      try await scheduler.start()
      #expect(
        try await eventually(timeout: .seconds(15)) { try await fixture.jobStates()[.done] == 60 })
      await scheduler.stop()
      let dueInRunOrder = try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query(
          """
          select j.due_at from public.test_executions e join charter.deadline_jobs j on j.id = e.job_id
          order by e.ran_at
          """, []
        ).rows.map { try $0.decode(0, as: Date.self) }
      }
      #expect(dueInRunOrder.count == 60)
      #expect(dueInRunOrder == dueInRunOrder.sorted(), "ran oldest due first")
    }
  }

  /// Slow handlers and a short lease: the scheduler claims no more than its workers start
  /// within the lease, so no claimed job waits out its lease in memory (it would be rescued
  /// and claimed again, an attempt counted without a run). 60 jobs of 500 ms on 2 workers take
  /// 15 s; with claims of 40 and a buffer of two claims, as before the pacing, all 60 would be
  /// claimed at once and the last would start 15 s after its claim, past the 10 s lease. Paced,
  /// at most 4 wait before the pace is known (a tenth of a claim, two per worker), and then
  /// what 2 workers start in a quarter of the lease: margins a loaded machine keeps.
  @Test func claimedJobsNeverWaitOutTheirLease() async throws {
    try await SchedulerFixture.with(tenants: 3) { fixture in
      try await fixture.insertDueJobs(perTenant: 20)
      let scheduler = fixture.scheduler(
        fixture.registry(
          SchedulerFixture.recordingHandler(instance: "a", delay: .milliseconds(500))),
        instance: "a"
      ) {
        $0.maxConcurrentJobs = 2
        $0.claimBatchSize = 40
        $0.lease = .seconds(10)
        // One job per transaction: a batch locks all its jobs, which would hide waiting jobs
        // from the rescue and this test's point with them.
        $0.maxJobsPerTransaction = 1
      }
      try await scheduler.start()
      #expect(
        try await eventually(timeout: .seconds(180)) { try await fixture.jobStates()[.done] == 60 })
      await scheduler.stop()
      let statistics = scheduler.statistics
      #expect(statistics.rescued == 0 && statistics.leaseLost == 0, "\(statistics)")
      let attempts = try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query("select max(attempts) from charter.deadline_jobs", []).scalar(
          as: Int32.self)
      }
      #expect(attempts == 1)
      #expect(try await fixture.executionCounts().values.allSatisfy { $0 == 1 })
    }
  }

  @Test func drainLetsASlowJobFinishWithinTheGracePeriod() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      let created = try await fixture.enqueue(tenant: fixture.tenants[0], due: .now)
      guard case .created(let jobID, _) = created else { return }
      // Drain once the handler runs (it says so), not after a poll of the job's state: a
      // 1.5 s handler can finish between two polls on a loaded machine.
      let started = HandlerStarted()
      let recording = SchedulerFixture.recordingHandler(instance: "a", delay: .milliseconds(1500))
      let scheduler = fixture.scheduler(
        fixture.registry(
          ClosureJobHandler { job, connection in
            started.mark()
            return try await recording.run(job, on: connection)
          }),
        instance: "a")
      try await scheduler.start()
      #expect(try await eventually(timeout: .seconds(30)) { started.isMarked })
      let report = await scheduler.drain(grace: .seconds(10))
      await scheduler.stop()
      #expect(report == DrainReport(finished: 1, released: 0, stillRunning: 0))
      #expect(try await fixture.jobStates() == [.done: 1])
      #expect(try await fixture.executionCounts() == [jobID: 1])
    }
  }

  @Test func drainReleasesJobsThatOutlastTheGraceAndLeavesNothingRunning() async throws {
    try await SchedulerFixture.with(tenants: 2) { fixture in
      // 2 slow jobs running (concurrency 2) and 20 more claimed but waiting in memory.
      try await fixture.insertDueJobs(perTenant: 11)
      let scheduler = fixture.scheduler(
        fixture.registry(SchedulerFixture.recordingHandler(instance: "a", delay: .seconds(60))),
        instance: "a"
      ) {
        $0.maxConcurrentJobs = 2
        $0.drainGrace = .seconds(1)
      }
      try await scheduler.start()
      #expect(
        try await eventually(timeout: .seconds(30)) {
          try await fixture.jobStates()[.running] == 22
        }
      )
      let started = ContinuousClock.now
      let report = await scheduler.stop()
      let elapsed = ContinuousClock.now - started
      #expect(report.stillRunning == 0)
      #expect(report.released == 22)
      #expect(try await fixture.jobStates() == [.pending: 22], "nothing left running")
      #expect(try await fixture.executionCounts().isEmpty, "interrupted handlers' writes undone")
      // A released job's attempt is not counted against it.
      let attempts = try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query("select max(attempts) from charter.deadline_jobs", []).scalar(
          as: Int32.self)
      }
      #expect(attempts == 0)
      // The 1 s grace, then cancellation: not the 60 s handlers.
      #expect(elapsed < .seconds(20), "stop took \(elapsed)")
    }
  }
}
