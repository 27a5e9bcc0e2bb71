import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Daemons of one installation, each in a slot with a fixed environment; a slot's daemon can
/// be killed and started again (a new process, a new instance id). Keeps every log.
final class DaemonSlots {
  private let environments: [[String: String]]
  private(set) var daemons: [DaemonProcess]
  private(set) var retired: [DaemonProcess] = []

  init(environments: [[String: String]]) throws {
    self.environments = environments
    daemons = try environments.map { try DaemonProcess(["run"], environment: $0) }
  }

  var count: Int { daemons.count }

  /// Waits until every daemon logged its ready line; false if one did not in `timeout`.
  func waitUntilReady(timeout: Duration = .seconds(120)) async -> Bool {
    for daemon in daemons where !(await daemon.waitForReady(timeout: timeout)) {
      return false
    }
    return true
  }

  /// SIGKILL the daemon of `slot`, reap it, and start a new one in its place at once.
  func killAndRestart(_ slot: Int) async throws {
    let victim = daemons[slot]
    _ = await victim.stop(signal: SIGKILL)
    retired.append(victim)
    daemons[slot] = try DaemonProcess(["run"], environment: environments[slot])
  }

  /// SIGTERM every daemon; the exit statuses.
  func terminateAll(timeout: Duration = .seconds(90)) async -> [Int32] {
    var statuses: [Int32] = []
    for daemon in daemons { statuses.append(await daemon.stop(signal: SIGTERM, timeout: timeout)) }
    return statuses
  }

  /// Every daemon still runs (none exited on its own).
  var allRunning: Bool { daemons.allSatisfy { $0.process.isRunning } }

  /// How many log lines of every process so far contain `text`.
  func logLines(containing text: String) -> Int {
    (retired + daemons).reduce(0) { total, daemon in
      total + daemon.output.split(separator: "\n").filter { $0.contains(text) }.count
    }
  }

  /// The last lines of the current daemons' logs, for a failure message.
  var tails: String {
    daemons.enumerated().map { slot, daemon in
      "--- daemon \(slot):\n"
        + daemon.output.split(separator: "\n").suffix(25).joined(separator: "\n")
    }.joined(separator: "\n")
  }

  func removeLogs() {
    for daemon in retired + daemons {
      if daemon.process.isRunning {
        kill(daemon.process.processIdentifier, SIGKILL)
        daemon.process.waitUntilExit()
      }
      try? FileManager.default.removeItem(at: daemon.logFile)
    }
  }
}
