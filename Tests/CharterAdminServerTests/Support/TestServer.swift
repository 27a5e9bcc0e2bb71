import CharterAdminServer
import CharterProtocol
import CharterTLS
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A running in-process admin server on a free port of 127.0.0.1, with a self-signed
/// identity generated for the test in a temporary folder.
final class TestServer: Sendable {
  let server: AdminServer
  let identity: SelfSignedServerIdentity
  let folder: String
  var port: UInt16 { server.port }

  init(
    limits: SessionLimits = .default, maxSessions: Int = 4_096, maxSessionsPerAddress: Int = 32,
    registry: AdminCommandRegistry = .builtIn(), shutdownGrace: Duration = .seconds(5),
    host: String = "127.0.0.1", clientCertificateAuthorityFile: String? = nil
  ) throws {
    folder = NSTemporaryDirectory() + "charter-admin-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    identity = try SelfSignedServerIdentity.loadOrCreate(in: folder)
    let context = try TLSServerContext(
      TLSServerConfiguration(
        identity, clientCertificateAuthorityFile: clientCertificateAuthorityFile))
    server = AdminServer(
      settings: AdminServerSettings(
        host: host, port: 0, limits: limits, maxSessions: maxSessions,
        maxSessionsPerAddress: maxSessionsPerAddress, shutdownGrace: shutdownGrace),
      context: context, registry: registry)
    try server.start()
  }

  /// A TLS client that pins this server's fingerprint.
  func connect(host: String = "127.0.0.1", timeoutSeconds: Int = 30) throws -> TLSClient {
    try TLSClient(
      host: host, port: port,
      configuration: TLSClientConfiguration(
        verification: .pinnedFingerprint(identity.fingerprint), timeoutSeconds: timeoutSeconds))
  }

  func stop() async {
    await server.shutdown()
    try? FileManager.default.removeItem(atPath: folder)
  }

  /// Waits until the server counts `count` sessions (closing is asynchronous).
  func waitForSessionCount(_ count: Int, timeout: Duration = .seconds(5)) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if server.sessionCount == count { return true }
      try? await Task.sleep(for: .milliseconds(20))
    }
    return server.sessionCount == count
  }
}

/// A plain TCP connection, for clients that misbehave below TLS.
final class RawConnection {
  let fd: Int32

  init(port: UInt16) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let status = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard status == 0 else { throw POSIXError(.ECONNREFUSED) }
  }

  /// Waits until the server closes the connection; returns the seconds it took, or nil
  /// when it stayed open for `timeout` seconds.
  func secondsUntilClosed(timeout: Double) -> Double? {
    let start = Date()
    var buffer = [UInt8](repeating: 0, count: 4_096)
    while Date().timeIntervalSince(start) < timeout {
      var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let remaining = Int32((timeout - Date().timeIntervalSince(start)) * 1_000)
      guard poll(&poller, 1, max(1, remaining)) > 0 else { continue }
      let count = recv(fd, &buffer, buffer.count, 0)
      if count <= 0 { return Date().timeIntervalSince(start) }
    }
    return nil
  }

  deinit { Glibc.close(fd) }
}
