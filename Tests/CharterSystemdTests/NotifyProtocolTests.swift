import CharterSystemd
import Foundation
import Testing

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// The sd_notify protocol as systemd reads it: the exact datagrams a fake NOTIFY_SOCKET
/// receives.
@Suite("sd_notify datagrams")
struct NotifyProtocolTests {
  private func notifier(for receiver: NotifyReceiver) throws -> SystemdNotifier {
    let environment = SystemdEnvironment(
      variables: ["NOTIFY_SOCKET": receiver.notifySocket], processID: getpid())
    #expect(environment.problems == [])
    #expect(environment.notifier.isEnabled)
    return environment.notifier
  }

  @Test func readyStatusAndStoppingArriveAsSent() throws {
    let receiver = try NotifyReceiver()
    let notifier = try notifier(for: receiver)
    try notifier.send(.ready, .status("serving 3 tenants"))
    #expect(receiver.receive() == "READY=1\nSTATUS=serving 3 tenants")
    try notifier.send(.stopping)
    #expect(receiver.receive() == "STOPPING=1")
    try notifier.send(.watchdog)
    #expect(receiver.receive() == "WATCHDOG=1")
  }

  @Test func reloadingCarriesTheMonotonicClockOfTheMoment() throws {
    let receiver = try NotifyReceiver()
    let notifier = try notifier(for: receiver)
    let before = MonotonicClock.microseconds()
    try notifier.send(.reloadingNow())
    let after = MonotonicClock.microseconds()
    let message = try #require(receiver.receive())
    let lines = message.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(lines.first == "RELOADING=1")
    let stamp = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
    #expect(lines.last?.hasPrefix("MONOTONIC_USEC=") == true)
    #expect(stamp >= before && stamp <= after, "CLOCK_MONOTONIC, as systemd compares it")
    // The same clock systemd uses: /proc/uptime is CLOCK_BOOTTIME, which is never behind it.
    let uptime = try String(contentsOfFile: "/proc/uptime", encoding: .utf8)
    let bootSeconds = try #require(uptime.split(separator: " ").first.flatMap { Double($0) })
    #expect(Double(stamp) / 1_000_000 <= bootSeconds + 1)
  }

  @Test func theAbstractNamespaceFormIsReached() throws {
    let receiver = try NotifyReceiver(abstract: true)
    #expect(receiver.notifySocket.hasPrefix("@"))
    let notifier = try notifier(for: receiver)
    try notifier.send(.ready)
    #expect(receiver.receive() == "READY=1")
  }

  @Test func aStatusIsKeptToOneLine() throws {
    let receiver = try NotifyReceiver()
    let notifier = try notifier(for: receiver)
    try notifier.send(.status("line one\nREADY=1"))
    #expect(
      receiver.receive() == "STATUS=line one READY=1",
      "a line end in a status must not smuggle in another assignment")
  }

  @Test func withoutNotifySocketNothingIsSentAndNothingFails() throws {
    let environment = SystemdEnvironment(variables: [:], processID: getpid())
    #expect(!environment.notifier.isEnabled)
    #expect(environment.problems == [])
    try environment.notifier.send(.ready, .status("nobody listens"))
    try environment.notifier.send(.reloadingNow())
    try environment.notifier.send(.stopping)
  }

  @Test func unusableAddressesDisableTheNotifierWithAReason() {
    for value in ["relative/notify", "vsock:2:1234", "@", "/" + String(repeating: "x", count: 120)]
    {
      let environment = SystemdEnvironment(variables: ["NOTIFY_SOCKET": value], processID: 1)
      #expect(!environment.notifier.isEnabled, "\(value)")
      #expect(environment.problems.count == 1, "\(value)")
    }
  }

  @Test func aSocketNobodyListensOnIsAnErrorNamingIt() throws {
    let notifier = SystemdNotifier(address: .path("/tmp/charter-no-such-notify-socket"))
    let error = #expect(throws: SystemdError.self) { try notifier.send(.ready) }
    #expect(error?.description.contains("/tmp/charter-no-such-notify-socket") == true)
  }
}
