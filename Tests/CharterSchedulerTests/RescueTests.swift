import CharterPostgres
import CharterScheduler
import CharterStore
import Foundation
import Testing

/// A daemon that dies holding leases: its jobs run elsewhere once the lease expires, and its
/// late completion is refused (RELIABILITY R1, R9).
@Suite struct RescueTests {
  @Test func jobsOfADeadInstanceRunElsewhereAndItsLateCompletionIsRefused() async throws {
    try await SchedulerFixture.with(tenants: 3) { fixture in
      try await fixture.insertDueJobs(perTenant: 10)
      // Instance "dead" claims everything with a 1 s lease and never runs or releases it.
      let deadHandlerRuns = Counter()
      var deadRegistry = JobHandlerRegistry()
      deadRegistry.register(SchedulerFixture.recordingKind) { _, _ in
        deadHandlerRuns.increment()
        return .done
      }
      let dead = JobWorker(
        database: fixture.app, instanceID: "dead", handlers: deadRegistry, lease: .seconds(1))
      let claims = try await dead.claim(max: 100)
      #expect(claims.count == 30)
      #expect(try await fixture.jobStates()[.running] == 30)

      let rescuer = fixture.scheduler(
        fixture.registry(SchedulerFixture.recordingHandler(instance: "rescuer")),
        instance: "rescuer")
      let started = ContinuousClock.now
      try await rescuer.start()
      let done = try await eventually(timeout: .seconds(45)) {
        try await fixture.jobStates()[.done] == 30
      }
      let elapsed = ContinuousClock.now - started
      await rescuer.stop()
      #expect(done)
      #expect(rescuer.statistics.rescued == 30)
      // Rescued when the lease ran out (the timer is armed at the lease expiry), not at the
      // 60 s safety poll: half of it is the bound that still tells the two apart on two
      // saturated cores.
      #expect(elapsed < .seconds(30), "rescued after \(elapsed)")

      // The first runner wakes up and tries to run and complete its old claims.
      for claim in claims {
        #expect(try await dead.execute(claim) == .leaseLost)
      }
      #expect(deadHandlerRuns.value == 0)
      let counts = try await fixture.executionCounts()
      #expect(counts.count == 30 && counts.values.allSatisfy { $0 == 1 })
      #expect(try await fixture.jobStates() == [.done: 30])
      print(
        "R9: 30 abandoned leases (1 s) rescued and run after \(elapsed); 30 late completions refused"
      )
    }
  }

  /// The lease token, not only the owner: an instance whose own earlier claim expired and was
  /// claimed again (by the same instance id) cannot complete the job with the old claim.
  @Test func anOldClaimOfTheSameInstanceCannotCompleteTheNewOne() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      let created = try await fixture.enqueue(tenant: fixture.tenants[0], due: .now)
      guard case .created(let jobID, _) = created else { return }
      let worker = JobWorker(
        database: fixture.app, instanceID: "same",
        handlers: fixture.registry(SchedulerFixture.recordingHandler(instance: "same")),
        lease: .seconds(1))
      let first = try #require(try await worker.claim(max: 1).first)
      try await Task.sleep(for: .milliseconds(1100))
      #expect(try await worker.rescueExpiredLeases() == 1)
      let second = try #require(try await worker.claim(max: 1).first)
      #expect(second.id == first.id && second.leaseToken != first.leaseToken)
      #expect(second.attempt == 2)
      #expect(try await worker.execute(first) == .leaseLost)
      #expect(try await fixture.jobStates() == [.running: 1])
      #expect(try await worker.execute(second) == .done)
      #expect(try await fixture.executionCounts() == [jobID: 1])
    }
  }

  @Test func aSlowButLiveRunnerIsNotRescuedFromUnderItself() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      let job = try await fixture.enqueue(tenant: fixture.tenants[0], due: .now)
      guard case .created(let jobID, _) = job else { return }
      // A 1 s lease, a 2.5 s handler: the lease expires while the handler still holds the row.
      // The rescuer starts only once the handler runs (and so holds the row): before that a
      // claimed job waiting in memory is protected by its lease alone, which a loaded machine
      // can outlast.
      let started = HandlerStarted()
      let recording = SchedulerFixture.recordingHandler(
        instance: "slow", delay: .milliseconds(2500))
      let slow = fixture.scheduler(
        fixture.registry(
          ClosureJobHandler { job, connection in
            started.mark()
            return try await recording.run(job, on: connection)
          }),
        instance: "slow"
      ) { $0.lease = .seconds(1) }
      let other = fixture.scheduler(
        fixture.registry(SchedulerFixture.recordingHandler(instance: "other")), instance: "other")
      try await slow.start()
      #expect(try await eventually(timeout: .seconds(10)) { started.isMarked })
      try await other.start()
      let done = try await eventually(timeout: .seconds(10)) {
        try await fixture.jobStates()[.done] == 1
      }
      await other.stop()
      await slow.stop()
      #expect(done)
      #expect(try await fixture.executionCounts() == [jobID: 1])
      #expect(other.statistics.rescued == 0)
    }
  }
}

/// RELIABILITY R16: a job whose runner dies every time (each rescue counts as an attempt)
/// stops at its attempt limit instead of taking daemons down for ever.
@Suite struct PoisonJobTests {
  @Test func aJobWhoseRunnerKeepsDyingGoesDeadAtItsAttemptLimit() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      let tenant = fixture.tenants[0]
      let created = try await fixture.enqueue(tenant: tenant, due: .now, maxAttempts: 2)
      guard case .created(let jobID, _) = created else { return }
      let crashing = JobWorker(
        database: fixture.app, instanceID: "crashing", handlers: JobHandlerRegistry(),
        lease: .seconds(1))
      var states: [JobState] = []
      for _ in 1...2 {
        #expect(try await crashing.claim(max: 10).map(\.id) == [jobID])
        // The runner "crashes": nothing completes; the lease runs out.
        try await Task.sleep(for: .milliseconds(1100))
        #expect(try await crashing.rescueExpiredLeases() == 1)
        let detail = try #require(
          try await JobAdministration(database: fixture.app).show(tenant: tenant, id: jobID))
        states.append(detail.summary.state)
      }
      #expect(states == [.pending, .dead])
      let detail = try #require(
        try await JobAdministration(database: fixture.app).show(tenant: tenant, id: jobID))
      #expect(detail.summary.attempts == 2)
      #expect(detail.summary.lastError == "lease of crashing expired during attempt 2")
      #expect(try await crashing.claim(max: 10).isEmpty)
    }
  }
}

final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func increment() {
    lock.lock()
    count += 1
    lock.unlock()
  }
  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return count
  }
}

/// Set by a handler when it begins, read by the test.
final class HandlerStarted: @unchecked Sendable {
  private let lock = NSLock()
  private var marked = false

  func mark() { lock.withLock { marked = true } }
  var isMarked: Bool { lock.withLock { marked } }
}
