import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension DaemonReliabilityTests {
  /// RELIABILITY R1: two daemons on one database work through `notice.deliver` jobs due
  /// within a window while one of them, chosen at random, is SIGKILLed every 0.5–3 s and
  /// started again. Afterwards: every job done, every notice received by the SMTP sink at
  /// least once; a notice received twice only with its one Message-ID (a kill between the
  /// server's 250 and our commit), at most as often as deliveries can be in flight at a kill.
  @Test func killNineAtRandomMomentsLosesNoJobAndNoNotice() async throws {
    let scale = ReliabilityScale.current
    try await withInstallation { installation, sink in
      let tenants = try await installation.addTenants(scale.tenants, smtpPort: sink.port)
      // Short leases so that a killed daemon's claims come back within the run.
      let slots = try DaemonSlots(
        environments: (0..<2).map {
          installation.daemonEnvironment(slot: $0, schedulerLease: "10s", deliveryLease: "10s")
        })
      defer { slots.removeLogs() }
      try #require(await slots.waitUntilReady(), "\(slots.tails)")
      try await installation.enqueueNotices(
        label: "r1", count: scale.killJobs, tenants: tenants, start: .seconds(3),
        window: scale.killWindow, maxAttempts: 25)

      var kills = 0
      var killsWithJobsRunning = 0
      var killsWithDeliveriesInFlight = 0
      var killsOfServingDaemons = 0
      let started = ContinuousClock.now
      while kills < scale.maxKills {
        if kills >= scale.minKills, ContinuousClock.now - started > scale.killWindow + .seconds(5),
          try await installation.isQuiescent()
        {
          break
        }
        try await Task.sleep(for: .milliseconds(Int.random(in: 500...3000)))
        let slot = Int.random(in: 0..<slots.count)
        let inFlight = try await installation.inFlight(
          pid: slots.daemons[slot].process.processIdentifier)
        if inFlight.jobs > 0 { killsWithJobsRunning += 1 }
        if inFlight.deliveries > 0 { killsWithDeliveriesInFlight += 1 }
        if slots.daemons[slot].output.contains(" ready; database:") { killsOfServingDaemons += 1 }
        try await slots.killAndRestart(slot)
        kills += 1
      }
      let killPhase = ContinuousClock.now - started
      let atLastKill = try await installation.progress()

      let quiescence = try await installation.waitUntilQuiescent(
        timeout: .seconds(300) + .seconds(scale.killJobs / 20))
      // From the moment the last job fell due (3 s after the kills began, plus the window).
      let lastDueToQuiescent = ContinuousClock.now - started - .seconds(3) - scale.killWindow
      let account = try await installation.account(sink: sink)
      let statuses = await slots.terminateAll()
      print(
        """
        R1 kill -9: \(scale.killJobs) jobs over \(tenants.count) tenants due within \
        \(scale.killWindow.seconds); \(kills) kills in \(killPhase.seconds) \
        (\(killsOfServingDaemons) of a serving daemon, the others during its start; \
        \(killsWithJobsRunning) with jobs running, \(killsWithDeliveriesInFlight) with \
        deliveries in flight); at the last kill: \(atLastKill); quiescent \
        \(quiescence?.seconds ?? "never") after it, \(lastDueToQuiescent.seconds) after the \
        last job fell due; jobs done \(account.jobsDone)/\(account.jobs), \
        run more than once \(account.jobsRunMoreThanOnce) (max attempts \
        \(account.maxJobAttempts)); notices lost \(account.lost), duplicates \
        \(account.duplicates) (receipts \(account.receipts) for \(account.deliveries) \
        deliveries, \(account.deliveriesAttemptedMoreThanOnce) attempted more than once)
        """)
      #expect(kills >= scale.minKills, "too few kills to mean anything")
      let final = try await installation.progress()
      try #require(quiescence != nil, "not quiescent: \(final)")
      #expect(account.jobs == scale.killJobs)
      #expect(account.jobsDone == scale.killJobs, "every job done")
      #expect(account.jobsWithoutOneDelivery == 0, "one outbox row per job, whatever re-ran")
      #expect(account.deliveriesSent == scale.killJobs)
      #expect(account.lost == 0, "every notice received at least once")
      #expect(account.unknownMessageIDs == 0)
      #expect(account.recipientsWithSeveralMessageIDs == 0, "a resend reuses its Message-ID")
      // At most the sender's concurrency (4) deliveries are between the server's reply and
      // our commit when a daemon dies.
      #expect(account.duplicates <= kills * 4)
      #expect(statuses.allSatisfy { $0 == 0 }, "clean exit on SIGTERM: \(statuses)")
    }
  }
}
