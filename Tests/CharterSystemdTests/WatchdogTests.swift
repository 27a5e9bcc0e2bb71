import CharterSystemd
import Foundation
import Testing

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

@Suite("Watchdog: interval from WATCHDOG_USEC and WATCHDOG_PID, and the pings")
struct WatchdogTests {
  @Test func theIntervalIsHalfTheTimeout() {
    #expect(
      SystemdEnvironment.watchdogInterval(microseconds: "30000000", forProcess: nil, processID: 7)
        == .seconds(15))
    #expect(
      SystemdEnvironment(variables: ["WATCHDOG_USEC": "500000"], processID: 7).watchdogInterval
        == .milliseconds(250))
  }

  @Test func theWatchdogIsOursOnlyWhenWatchdogPIDIsUnsetOrOurs() {
    #expect(
      SystemdEnvironment.watchdogInterval(microseconds: "1000000", forProcess: "7", processID: 7)
        == .milliseconds(500))
    #expect(
      SystemdEnvironment.watchdogInterval(microseconds: "1000000", forProcess: "8", processID: 7)
        == nil, "WATCHDOG_PID of another process: its watchdog, not ours")
    #expect(
      SystemdEnvironment.watchdogInterval(microseconds: "1000000", forProcess: "x", processID: 7)
        == nil)
  }

  @Test func noUsableTimeoutMeansNoWatchdog() {
    for value in [nil, "", "0", "-5", "soon"] {
      #expect(
        SystemdEnvironment.watchdogInterval(microseconds: value, forProcess: nil, processID: 7)
          == nil, "WATCHDOG_USEC=\(value ?? "unset")")
    }
  }

  @Test func thePingerPingsAtItsIntervalAndStopsWhenCancelled() throws {
    let receiver = try NotifyReceiver()
    let environment = SystemdEnvironment(
      variables: ["NOTIFY_SOCKET": receiver.notifySocket, "WATCHDOG_USEC": "200000"],
      processID: getpid())
    let interval = try #require(environment.watchdogInterval)
    #expect(interval == .milliseconds(100))
    let pinger = WatchdogPinger(notifier: environment.notifier, interval: interval)
    let pings = receiver.receiveAll(for: .milliseconds(1000))
    pinger.cancel()
    #expect(pings.allSatisfy { $0 == "WATCHDOG=1" })
    // About 11 (one at once, then every 100 ms); a loaded machine delays some.
    #expect(pings.count >= 4 && pings.count <= 12, "\(pings.count) pings in one second")
    _ = receiver.receiveAll(for: .milliseconds(50))
    #expect(receiver.receiveAll(for: .milliseconds(400)).isEmpty, "no ping after cancel")
  }

  @Test func anUnhealthyProcessWithholdsItsPings() throws {
    let receiver = try NotifyReceiver()
    let pinger = WatchdogPinger(
      notifier: SystemdNotifier(address: try NotifySocketAddress(receiver.notifySocket)),
      interval: .milliseconds(50), isHealthy: { false })
    defer { pinger.cancel() }
    #expect(receiver.receiveAll(for: .milliseconds(400)).isEmpty)
  }
}

/// Touches the process environment, so alone in its suite and serialized.
@Suite("SystemdEnvironment.takeFromProcess", .serialized)
struct ProcessEnvironmentTests {
  @Test func takingTheVariablesRemovesThemForChildren() throws {
    let receiver = try NotifyReceiver()
    setenv("NOTIFY_SOCKET", receiver.notifySocket, 1)
    setenv("WATCHDOG_USEC", "4000000", 1)
    setenv("WATCHDOG_PID", String(getpid()), 1)
    let taken = SystemdEnvironment.takeFromProcess()
    for name in SystemdEnvironment.variableNames {
      #expect(getenv(name) == nil, "\(name) is gone, so a child process cannot see it")
    }
    #expect(taken.watchdogInterval == .seconds(2))
    try taken.notifier.send(.ready)
    #expect(receiver.receive() == "READY=1")
  }
}
