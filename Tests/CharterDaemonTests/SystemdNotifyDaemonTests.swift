import CharterPostgresServer
import Foundation
import Testing

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// The built charterd under a fake service manager: NOTIFY_SOCKET names a datagram socket this
/// test bound, and the daemon must say READY=1 once it serves, RELOADING=1 (with
/// MONOTONIC_USEC) then READY=1 around SIGHUP, STOPPING=1 on SIGTERM, and ping WATCHDOG=1 when
/// WATCHDOG_USEC asks for it (issue 7, systemd).
///
/// charterd's READY=1 and STOPPING=1 always carry a STATUS= line; the embedded PostgreSQL's
/// (Debian builds it with sd_notify support) are bare, which tells the two apart.
@Suite("charterd under a fake NOTIFY_SOCKET", .serialized)
struct SystemdNotifyDaemonTests {
  @Test func readyReloadingStoppingAndWatchdogArriveInOrder() async throws {
    let receiver = try DatagramReceiver()
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    let daemon = try DaemonProcess(
      ["run", "--data-dir", data.path, "--listen", "127.0.0.1:\(try freePort())"],
      environment: ["NOTIFY_SOCKET": receiver.path, "WATCHDOG_USEC": "2000000"])

    let untilReady = receiver.messages(until: isDaemonReady, timeout: .seconds(90))
    #expect(untilReady.last?.contains("READY=1") == true, "\(untilReady)\n\(daemon.output)")
    #expect(daemon.output.contains("ready"), "READY=1 only once the daemon serves")

    // SignalWatcher's Dispatch sources install their handlers asynchronously after start; a
    // SIGHUP in the first instants can meet SIG_IGN and vanish (seen once in four runs).
    try await Task.sleep(for: .seconds(1))
    kill(daemon.process.processIdentifier, SIGHUP)
    let reload = receiver.messages(until: isDaemonReady, timeout: .seconds(30))
      .filter { $0 != "WATCHDOG=1" }
    let reloading = try #require(reload.first { $0.contains("RELOADING=1") }, "\(reload)")
    #expect(reloading.split(separator: "\n").contains { $0.hasPrefix("MONOTONIC_USEC=") })
    #expect(reload.last?.contains("READY=1") == true, "READY=1 after the reload: \(reload)")

    let pings = receiver.messages(until: { _ in false }, timeout: .milliseconds(2500))
    #expect(pings.filter { $0 == "WATCHDOG=1" }.count >= 1, "pinged at half of 2 s: \(pings)")

    #expect(await daemon.stop() == 0)
    let end = receiver.messages(until: { $0.contains("STOPPING=1") }, timeout: .seconds(5))
    #expect(end.contains { $0.contains("STOPPING=1") }, "\(end)")
  }

  @Test func theEmbeddedPostgreSQLDoesNotSeeNotifySocket() async throws {
    let receiver = try DatagramReceiver()
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    let daemon = try DaemonProcess(
      ["run", "--data-dir", data.path, "--listen", "127.0.0.1:\(try freePort())"],
      environment: ["NOTIFY_SOCKET": receiver.path])
    let messages = receiver.messages(until: isDaemonReady, timeout: .seconds(90))
    #expect(messages.last.map(isDaemonReady) == true, "\(messages)\n\(daemon.output)")
    #expect(await daemon.stop() == 0)
    // The postmaster sends a bare READY=1 at start and STOPPING=1 at stop had it inherited
    // NOTIFY_SOCKET (and, under systemd with NotifyAccess=all, would mark the unit ready
    // before charterd migrated).
    let all = messages + receiver.messages(until: { _ in false }, timeout: .milliseconds(500))
    #expect(!all.contains { $0 == "READY=1" || $0 == "STOPPING=1" }, "\(all)")
  }

  private func isDaemonReady(_ message: String) -> Bool {
    message.contains("READY=1") && message.contains("STATUS=")
  }

  private func cleanUp(_ data: URL) {
    if let cluster = try? EmbeddedPostgres(
      directory: data.appendingPathComponent("postgres"), binaries: PostgresBinaries.locate())
    {
      try? cluster.stop(mode: "immediate")
    }
    try? FileManager.default.removeItem(at: data)
  }
}

/// A datagram socket in a fresh short folder, standing where systemd's notify socket would be.
final class DatagramReceiver {
  let descriptor: Int32
  let folder: String
  var path: String { folder + "/notify" }

  struct Failure: Error {}

  init() throws {
    folder = "/tmp/charterd-sd-\(UUID().uuidString.prefix(8).lowercased())"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
    descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array((folder + "/notify").utf8) + [0]
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
    let length = socklen_t(2 + bytes.count)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard descriptor >= 0, bound == 0 else { throw Failure() }
    // As root, charterd runs PostgreSQL as the postgres user: let it reach the socket too, so
    // the test would see PostgreSQL's messages if it inherited NOTIFY_SOCKET.
    chmod(path, 0o777)
  }

  /// Datagrams received until one satisfies `stop` (included) or `timeout` passes.
  func messages(until stop: (String) -> Bool, timeout: Duration) -> [String] {
    let deadline = ContinuousClock.now + timeout
    var received: [String] = []
    while ContinuousClock.now < deadline {
      let left = deadline - ContinuousClock.now
      var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      let milliseconds = Int32(
        clamping: left.components.seconds * 1000 + left.components.attoseconds
          / 1_000_000_000_000_000)
      guard poll(&waiting, 1, max(milliseconds, 1)) == 1 else { continue }
      var buffer = [UInt8](repeating: 0, count: 4096)
      let count = recv(descriptor, &buffer, buffer.count, 0)
      guard count >= 0 else { continue }
      let message = String(decoding: buffer.prefix(count), as: UTF8.self)
      received.append(message)
      if stop(message) { break }
    }
    return received
  }

  deinit {
    close(descriptor)
    try? FileManager.default.removeItem(atPath: folder)
  }
}
