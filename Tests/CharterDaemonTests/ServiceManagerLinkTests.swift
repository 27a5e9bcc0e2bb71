import CharterSystemd
import Foundation
import Testing

@testable import CharterDaemon

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// What RunCommand will tell systemd through ServiceManagerLink, in-process, on a fake notify
/// socket (the end-to-end test in SystemdNotifyDaemonTests runs once RunCommand is wired).
@Suite struct ServiceManagerLinkTests {
  @Test func theDaemonsMessagesCarryAStatusAndTheWatchdogPings() throws {
    let receiver = try DatagramReceiver()
    let link = ServiceManagerLink(
      environment: SystemdEnvironment(
        variables: ["NOTIFY_SOCKET": receiver.path, "WATCHDOG_USEC": "400000"],
        processID: getpid()))
    #expect(link.isEnabled)
    link.ready(status: "serving")
    #expect(
      receiver.messages(until: { _ in true }, timeout: .seconds(5)) == [
        "READY=1\nSTATUS=serving"
      ])
    link.reloading()
    let reloading = receiver.messages(until: { _ in true }, timeout: .seconds(5)).first ?? ""
    #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
    #expect(reloading.hasSuffix("\nSTATUS=reloading the configuration"))
    link.stopping()
    #expect(
      receiver.messages(until: { _ in true }, timeout: .seconds(5)) == [
        "STOPPING=1\nSTATUS=stopping"
      ])

    link.startWatchdog()
    let pings = receiver.messages(until: { _ in false }, timeout: .milliseconds(700))
    link.stopWatchdog()
    #expect(pings.count >= 2 && pings.allSatisfy { $0 == "WATCHDOG=1" }, "\(pings)")
    _ = receiver.messages(until: { _ in false }, timeout: .milliseconds(50))
    #expect(receiver.messages(until: { _ in false }, timeout: .milliseconds(500)).isEmpty)
  }

  @Test func withoutSystemdEveryCallIsANoOp() {
    let link = ServiceManagerLink(environment: SystemdEnvironment(variables: [:], processID: 1))
    #expect(!link.isEnabled)
    link.startWatchdog()
    link.ready(status: "serving")
    link.reloading()
    link.stopping()
    link.stopWatchdog()
  }
}
