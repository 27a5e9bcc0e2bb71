import Foundation
import Testing

/// RELIABILITY.md §7.1 against the built `charterd`: real processes killed and restarted, a
/// real PostgreSQL of the test's own (restarted in R4) and the aiosmtpd sink receiving the
/// notices that `notice.deliver` jobs write. Off unless CHARTER_RELIABILITY=1: `Scripts/test`
/// runs them as a stage of their own after the rest of the suite (`Scripts/test reliability`
/// runs only them). Sizes: `ReliabilityScale`. Each test prints its figures.
@Suite(
  "Daemon reliability (RELIABILITY.md §7.1)", .serialized,
  .enabled(if: ReliabilityScale.enabled, "set CHARTER_RELIABILITY=1 (Scripts/test reliability)"))
struct DaemonReliabilityTests {
  /// A fresh installation and SMTP sink for `body`, removed afterwards whatever happens.
  func withInstallation(
    _ body: (ReliabilityInstallation, SMTPSinkProcess) async throws -> Void
  ) async throws {
    let sink = try SMTPSinkProcess()
    defer { sink.remove() }
    try await sink.start()
    let installation = try await ReliabilityInstallation.create()
    do {
      try await body(installation, sink)
    } catch {
      await installation.destroy()
      throw error
    }
    await installation.destroy()
  }

  /// Polls `condition` every 200 ms until it holds or `timeout` passes; database errors
  /// (a server restarting) count as "not yet".
  func eventually(timeout: Duration, _ condition: () async throws -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if (try? await condition()) == true { return true }
      try? await Task.sleep(for: .milliseconds(200))
    }
    return false
  }
}

extension Duration {
  /// "12.3 s", for the printed figures.
  var seconds: String {
    let (whole, attoseconds) = components
    return String(format: "%.1f s", Double(whole) + Double(attoseconds) / 1e18)
  }
}
