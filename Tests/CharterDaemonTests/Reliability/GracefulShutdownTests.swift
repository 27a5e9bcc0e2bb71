import Foundation
import Testing

extension DaemonReliabilityTests {
  /// RELIABILITY R15: SIGTERM while jobs run and notices are being sent. The daemon exits 0
  /// and leaves no job `running` and no delivery `sending`: each finished or was released.
  /// It stops sending instead of draining the whole outbox first (which could outlast the
  /// service manager's stop timeout and end in a SIGKILL). A daemon started afterwards
  /// completes the rest, nothing lost.
  @Test func sigtermDuringSendsLeavesNothingRunning() async throws {
    let scale = ReliabilityScale.current
    try await withInstallation { installation, sink in
      let tenants = try await installation.addTenants(4, smtpPort: sink.port)
      let environment = installation.daemonEnvironment(slot: 0, deliveryLease: "10s")
      let first = try DaemonSlots(environments: [environment])
      defer { first.removeLogs() }
      try #require(await first.waitUntilReady(), "\(first.tails)")
      try await installation.enqueueNotices(
        label: "r15", count: scale.shutdownJobs, tenants: tenants, start: .seconds(1))
      try #require(
        await eventually(timeout: .seconds(120)) { sink.count() >= 20 }, "sending began")
      let atSignal = try await installation.progress()
      let statuses = await first.terminateAll()
      let afterExit = try await installation.progress()
      let left = try await installation.observer.withConnection { connection in
        let row = try await connection.query(
          """
          select (select count(*) from charter.deadline_jobs where state = 'running'),
                 (select count(*) from charter.notice_outbox where state = 'sending')
          """, []
        ).rows[0]
        return (try row.decode(0, as: Int64.self), try row.decode(1, as: Int64.self))
      }
      let drainLine =
        first.daemons[0].output.split(separator: "\n").first { $0.contains("scheduler stopped") }
        ?? "no drain line"
      print(
        "R15 SIGTERM: at the signal \(atSignal); after exit \(afterExit); running jobs left "
          + "\(left.0), sending deliveries left \(left.1); \(drainLine)")
      #expect(statuses == [0], "exit status")
      #expect(left.0 == 0, "no job left running")
      #expect(left.1 == 0, "no delivery left sending")
      #expect(atSignal.jobsOpen + atSignal.deliveriesOpen > 0, "the signal came mid-run")
      if atSignal.deliveriesOpen >= 100 {
        // The sender finishes what it claimed (a batch of 20) and claims no more.
        #expect(afterExit.deliveriesOpen > 0, "stopped sending at SIGTERM")
      }

      let second = try DaemonSlots(environments: [environment])
      defer { second.removeLogs() }
      try #require(await second.waitUntilReady(), "\(second.tails)")
      let quiescence = try await installation.waitUntilQuiescent(timeout: .seconds(300))
      let account = try await installation.account(sink: sink)
      _ = await second.terminateAll()
      let final = try await installation.progress()
      try #require(quiescence != nil, "not quiescent: \(final)")
      #expect(account.jobsDone == scale.shutdownJobs)
      #expect(account.lost == 0)
      #expect(account.duplicates == 0, "a drained delivery is recorded, never sent again")
    }
  }
}
