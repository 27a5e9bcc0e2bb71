import Foundation
import Testing

@testable import CharterTLS

#if canImport(Glibc)
  import Glibc
#endif

/// The blocking client the `charter` shell uses: pinning, CA verification, explicit insecure.
@Suite(.serialized) final class ClientTests {
  let certificates: TestCertificates
  let context: TLSServerContext
  let server: TestTLSServer

  init() throws {
    certificates = try TestCertificates()
    context = try TLSServerContext(TLSServerConfiguration(certificates.server))
    server = try TestTLSServer(context: context)
  }

  deinit {
    server.stop()
    certificates.folder.remove()
  }

  @Test func pinnedFingerprintConnectsAndEchoesALine() throws {
    let client = try TLSClient(
      host: "127.0.0.1", port: server.port,
      configuration: TLSClientConfiguration(
        verification: .pinnedFingerprint(certificates.server.fingerprint)))
    defer { client.close() }
    try client.writeLine("你好 charter")
    #expect(try client.readLine() == "你好 charter")
    #expect(client.protocolVersion == "TLSv1.3")
    #expect(client.serverCertificate.fingerprint == certificates.server.fingerprint)
    try client.writeLine("bye")
    #expect(try client.readLine() == "bye")
    #expect(try client.readLine() == nil, "server closed with close_notify")
  }

  @Test func pinFromTheFingerprintFileWorksInBothForms() throws {
    let text = try String(contentsOfFile: certificates.server.fingerprintFile, encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    for line in lines {
      let pin = try #require(TLSFingerprint(parsing: line))
      let client = try TLSClient(
        host: "localhost", port: server.port,
        configuration: TLSClientConfiguration(verification: .pinnedFingerprint(pin)))
      client.close()
    }
  }

  @Test func wrongPinIsRefusedAndReportsThePresentedFingerprint() throws {
    var wrong = certificates.server.fingerprint.bytes
    wrong[31] ^= 0x01
    let pin = try #require(TLSFingerprint(bytes: wrong))
    let before = server.records.count
    do {
      _ = try TLSClient(
        host: "127.0.0.1", port: server.port,
        configuration: TLSClientConfiguration(verification: .pinnedFingerprint(pin)))
      Issue.record("connected despite a wrong pin")
    } catch let mismatch as TLSPinMismatchError {
      #expect(mismatch.presented == certificates.server.fingerprint)
      #expect(mismatch.expected == pin)
      #expect(mismatch.description.contains(certificates.server.fingerprint.uppercaseWithColons))
    }
    // The pin is checked inside the handshake: the client aborted it, so the server never
    // completed a session it could have read anything on.
    let record = try #require(server.finishedRecord(at: before))
    #expect(record.protocolVersion == nil)
    #expect(record.handshakeError != nil)
  }

  @Test func certificateAuthorityFileVerifiesChainAndName() throws {
    // The self-signed certificate is its own CA; its SAN holds localhost and 127.0.0.1.
    let trust = TLSClientConfiguration(
      verification: .certificateAuthority(file: certificates.server.certificateFile))
    for host in ["localhost", "127.0.0.1"] {
      let client = try TLSClient(host: host, port: server.port, configuration: trust)
      try client.writeLine("ping")
      #expect(try client.readLine() == "ping")
      client.close()
    }
    var wrongName = trust
    wrongName.serverName = "admin.example.org"
    #expect {
      _ = try TLSClient(host: "127.0.0.1", port: self.server.port, configuration: wrongName)
    } throws: { error in
      (error as? TLSError)?.code == .verification
    }
  }

  @Test func unrelatedCertificateAuthorityIsRefused() throws {
    let trust = TLSClientConfiguration(
      verification: .certificateAuthority(file: certificates.clientCAFile))
    #expect {
      _ = try TLSClient(host: "localhost", port: self.server.port, configuration: trust)
    } throws: { error in
      guard let error = error as? TLSError else { return false }
      return error.code == .verification && error.verifyResult != nil
    }
  }

  @Test func insecureModeConnectsOnlyWhenAskedFor() throws {
    let client = try TLSClient(
      host: "127.0.0.1", port: server.port,
      configuration: TLSClientConfiguration(verification: .insecureNoVerification))
    try client.write(Array("raw bytes\n".utf8))
    #expect(try client.readLine() == "raw bytes")
    client.close()
  }

  @Test func connectionRefusedIsAConnectError() throws {
    // Port 1 on loopback: nothing listens there in a test environment.
    #expect {
      _ = try TLSClient(
        host: "127.0.0.1", port: 1,
        configuration: TLSClientConfiguration(verification: .insecureNoVerification))
    } throws: { error in
      (error as? TLSError)?.code == .connect
    }
  }

  /// A server that accepts TCP but never answers the hello: the client gives up after its
  /// timeout instead of hanging the shell.
  @Test func silentServerTimesOut() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    try #require(bound == 0 && listen(fd, 4) == 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    let start = Date()
    #expect {
      _ = try TLSClient(
        host: "127.0.0.1", port: UInt16(bigEndian: address.sin_port),
        configuration: TLSClientConfiguration(
          verification: .insecureNoVerification, timeoutSeconds: 1))
    } throws: { error in
      (error as? TLSError)?.code == .timeout
    }
    let elapsed = Date().timeIntervalSince(start)
    #expect(elapsed >= 0.9 && elapsed < 15, "gave up after \(elapsed) s")
  }

  @Test func largeWritesAreEchoedCompletely() throws {
    let client = try TLSClient(
      host: "127.0.0.1", port: server.port,
      configuration: TLSClientConfiguration(
        verification: .pinnedFingerprint(certificates.server.fingerprint)))
    defer { client.close() }
    // 1 MiB in one line: many records, partial writes on the server's non-blocking socket.
    let line = String(repeating: "0123456789abcdef", count: 65_536)
    let reader = DispatchQueue(label: "large-echo-writer")
    let sent = DispatchSemaphore(value: 0)
    nonisolated(unsafe) let unsafeClient = client
    reader.async {
      try? unsafeClient.writeLine(line)
      sent.signal()
    }
    let echoed = try client.readLine(maxLength: 2 << 20)
    sent.wait()
    #expect(echoed?.count == line.count)
    #expect(echoed == line)
  }
}
