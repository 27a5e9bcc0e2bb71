import Foundation
import Testing

@testable import CharterTLS

#if canImport(Glibc)
  import Glibc
#endif

/// What the network layer will see from clients that are not TLS clients, or that leave.
@Suite(.serialized) final class SessionRobustnessTests {
  let certificates: TestCertificates
  let server: TestTLSServer

  init() throws {
    certificates = try TestCertificates()
    server = try TestTLSServer(
      context: try TLSServerContext(TLSServerConfiguration(certificates.server)))
  }

  deinit {
    server.stop()
    certificates.folder.remove()
  }

  /// Connects with plain TCP, sends `bytes`, closes, and returns the server's record.
  private func plainConnection(sending bytes: [UInt8]) throws -> TestTLSServer.ConnectionRecord {
    let before = server.records.count
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = server.port.bigEndian
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    try #require(connected == 0)
    if !bytes.isEmpty { _ = send(fd, bytes, bytes.count, 0) }
    // Let the server read what was sent before the FIN arrives.
    usleep(50_000)
    close(fd)
    return try #require(server.finishedRecord(at: before))
  }

  @Test func clientThatClosesBeforeHelloIsReportedAsTruncated() throws {
    let record = try plainConnection(sending: [])
    let error = try #require(record.handshakeError)
    #expect(error.code == .truncated, "\(error)")
  }

  @Test func plainHTTPIsAHandshakeFailureWithTheQueue() throws {
    let record = try plainConnection(sending: Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
    let error = try #require(record.handshakeError)
    #expect(error.code == .handshake)
    #expect(!error.openSSLErrors.isEmpty)
    #expect(error.description.contains("SSL routines"), "\(error)")
  }
}
