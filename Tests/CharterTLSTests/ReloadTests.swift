import Foundation
import Testing

@testable import CharterTLS

/// Reload = build a new context and swap it: new connections get the new certificate, a
/// session already running keeps the old one until it ends.
@Suite struct ReloadTests {
  @Test func swappedContextServesNewConnectionsWhileOldSessionContinues() throws {
    let oldCertificates = try TestCertificates()
    let newCertificates = try TestCertificates()
    defer {
      oldCertificates.folder.remove()
      newCertificates.folder.remove()
    }
    let server = try TestTLSServer(
      context: try TLSServerContext(TLSServerConfiguration(oldCertificates.server)))
    defer { server.stop() }
    let oldPin = TLSClientConfiguration(
      verification: .pinnedFingerprint(oldCertificates.server.fingerprint))
    let newPin = TLSClientConfiguration(
      verification: .pinnedFingerprint(newCertificates.server.fingerprint))

    let running = try TLSClient(host: "127.0.0.1", port: server.port, configuration: oldPin)
    try running.writeLine("one")
    #expect(try running.readLine() == "one")

    server.swap(to: try TLSServerContext(TLSServerConfiguration(newCertificates.server)))
    try running.writeLine("two")
    #expect(try running.readLine() == "two", "the running session keeps the old context")
    try running.writeLine("bye")
    #expect(try running.readLine() == "bye")
    running.close()

    let fresh = try TLSClient(host: "127.0.0.1", port: server.port, configuration: newPin)
    #expect(fresh.serverCertificate.fingerprint == newCertificates.server.fingerprint)
    try fresh.writeLine("bye")
    _ = try fresh.readLine()
    fresh.close()

    #expect(throws: TLSPinMismatchError.self) {
      _ = try TLSClient(host: "127.0.0.1", port: server.port, configuration: oldPin)
    }
  }
}
