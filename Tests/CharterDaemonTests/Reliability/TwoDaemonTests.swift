import Foundation
import Testing

extension DaemonReliabilityTests {
  /// RELIABILITY R2: two daemons on one database, no faults, the production leases: every
  /// job attempted exactly once, every notice attempted once and received once, and both
  /// daemons took work.
  @Test func twoDaemonsRunEveryJobAndSendEveryNoticeExactlyOnce() async throws {
    let scale = ReliabilityScale.current
    try await withInstallation { installation, sink in
      let tenants = try await installation.addTenants(scale.tenants, smtpPort: sink.port)
      let slots = try DaemonSlots(
        environments: (0..<2).map { installation.daemonEnvironment(slot: $0) })
      defer { slots.removeLogs() }
      try #require(await slots.waitUntilReady(), "\(slots.tails)")
      let pids = slots.daemons.map { $0.process.processIdentifier }
      try await installation.enqueueNotices(
        label: "r2", count: scale.twoDaemonJobs, tenants: tenants, start: .seconds(2),
        window: .seconds(20))

      // Sample the lease owners while the work runs: both daemons must appear.
      let started = ContinuousClock.now
      var owners: Set<String> = []
      var quiescence: Duration?
      while ContinuousClock.now - started < .seconds(300) + .seconds(scale.twoDaemonJobs / 20) {
        owners.formUnion((try? await installation.leaseOwners()) ?? [])
        if ContinuousClock.now - started > .seconds(2), try await installation.isQuiescent() {
          quiescence = ContinuousClock.now - started
          break
        }
        try await Task.sleep(for: .milliseconds(100))
      }
      let account = try await installation.account(sink: sink)
      let statuses = await slots.terminateAll()
      let daemonsSeen = pids.filter { pid in owners.contains { $0.contains("-\(pid)-") } }.count
      print(
        """
        R2 two daemons: \(scale.twoDaemonJobs) jobs over \(tenants.count) tenants, quiescent \
        \(quiescence?.seconds ?? "never") after they were written (due over 2–22 s); jobs attempted more than once \
        \(account.jobsRunMoreThanOnce), deliveries attempted more than once \
        \(account.deliveriesAttemptedMoreThanOnce), receipts \(account.receipts), duplicates \
        \(account.duplicates), lost \(account.lost); daemons seen holding leases \(daemonsSeen)/2
        """)
      let final = try await installation.progress()
      try #require(quiescence != nil, "not quiescent: \(final)")
      #expect(account.jobsDone == scale.twoDaemonJobs)
      #expect(account.jobsRunMoreThanOnce == 0, "each job attempted exactly once")
      #expect(account.jobsWithoutOneDelivery == 0)
      #expect(account.deliveriesAttemptedMoreThanOnce == 0)
      #expect(account.receipts == scale.twoDaemonJobs, "each notice received exactly once")
      #expect(account.duplicates == 0)
      #expect(account.lost == 0)
      #expect(daemonsSeen == 2, "both daemons claimed work")
      #expect(statuses.allSatisfy { $0 == 0 }, "clean exit on SIGTERM: \(statuses)")
    }
  }
}
