import Foundation
import Testing

@testable import CharterTLS

/// Optional client certificates (RELIABILITY T2, first classes): a certificate from the
/// configured CA is verified and its subject reported; one from another CA is refused;
/// no certificate at all still connects (password login remains possible).
@Suite(.serialized) final class ClientCertificateTests {
  let certificates: TestCertificates
  let context: TLSServerContext
  let server: TestTLSServer

  init() throws {
    certificates = try TestCertificates()
    context = try TLSServerContext(
      TLSServerConfiguration(
        certificates.server, clientCertificateAuthorityFile: certificates.clientCAFile))
    server = try TestTLSServer(context: context)
  }

  deinit {
    server.stop()
    certificates.folder.remove()
  }

  private func configuration(certificate: String?, key: String?) -> TLSClientConfiguration {
    TLSClientConfiguration(
      verification: .pinnedFingerprint(certificates.server.fingerprint),
      clientCertificateFile: certificate,
      clientPrivateKeyFile: key)
  }

  private func echoOnce(_ client: TLSClient) throws {
    try client.writeLine("bye")
    #expect(try client.readLine() == "bye")
    client.close()
  }

  private func waitForRecord(after count: Int) throws -> TestTLSServer.ConnectionRecord {
    try #require(server.finishedRecord(at: count))
  }

  @Test func certificateFromTheConfiguredCAIsVerifiedAndItsSubjectReported() throws {
    let before = server.records.count
    let client = try TLSClient(
      host: "127.0.0.1", port: server.port,
      configuration: configuration(
        certificate: certificates.clientCertificateFile, key: certificates.clientKeyFile))
    try echoOnce(client)
    let record = try waitForRecord(after: before)
    let peer = try #require(record.peer)
    #expect(peer.subject == "CN=alice")
    #expect(peer.issuer == "CN=AITISA Admin CA")
    let expected = try TLSCertificate(pemFile: certificates.clientCertificateFile).fingerprint
    #expect(peer.fingerprint == expected)
  }

  @Test(arguments: ["-tls1_2", "-tls1_3"])
  func opensslClientWithTheCertificateIsVerified(version: String) throws {
    let before = server.records.count
    let outcome = try OpenSSLCommand.sClient(
      port: server.port,
      [version, "-cert", certificates.clientCertificateFile, "-key", certificates.clientKeyFile])
    #expect(outcome.echoed, Comment(rawValue: outcome.output))
    #expect(
      outcome.output.contains("Acceptable client certificate CA names"),
      Comment(rawValue: outcome.output))
    let record = try waitForRecord(after: before)
    #expect(record.peer?.subject == "CN=alice")
  }

  @Test func certificateFromAnotherCAWithTheSameNamesIsRefused() throws {
    let before = server.records.count
    do {
      let client = try TLSClient(
        host: "127.0.0.1", port: server.port,
        configuration: configuration(
          certificate: certificates.strangerCertificateFile, key: certificates.strangerKeyFile))
      // In TLS 1.3 the client may finish its side before the server's verdict arrives:
      // then the first read sees the alert.
      try client.writeLine("bye")
      _ = try client.readLine()
      Issue.record("a certificate from another CA was accepted")
    } catch let error as TLSError {
      #expect(error.code == .handshake || error.code == .connection)
    }
    let record = try waitForRecord(after: before)
    #expect(record.peer == nil)
    #expect(
      record.handshakeError?.code == .verification, "\(String(describing: record.handshakeError))")
    #expect(record.handshakeError?.verifyResult != nil)
  }

  /// RELIABILITY T2: expired and not-yet-valid certificates from the right CA are refused.
  @Test(arguments: [
    (-10 * 86_400, 1, "certificate has expired"),
    (2 * 86_400, 30, "certificate is not yet valid"),
  ])
  func certificateOutsideItsValidityIsRefused(offset: Int, days: Int, expected: String) throws {
    let leaf = try TLSIdentity.generate(
      TLSCertificateProfile(
        commonName: "alice", role: .client, validityDays: days, notBeforeOffsetSeconds: offset),
      signedBy: certificates.authority)
    let certificateFile = certificates.folder.path + "/alice-\(offset).crt"
    let keyFile = certificates.folder.path + "/alice-\(offset).key"
    try leaf.write(certificateTo: certificateFile, privateKeyTo: keyFile)
    let before = server.records.count
    do {
      let client = try TLSClient(
        host: "127.0.0.1", port: server.port,
        configuration: configuration(certificate: certificateFile, key: keyFile))
      try client.writeLine("bye")
      _ = try client.readLine()
      Issue.record("a certificate outside its validity was accepted")
    } catch is TLSError {}
    let record = try waitForRecord(after: before)
    #expect(record.peer == nil)
    #expect(record.handshakeError?.code == .verification)
    #expect(record.handshakeError?.verifyResult == expected)
  }

  @Test func noCertificateStillConnectsForPasswordLogin() throws {
    let before = server.records.count
    let client = try TLSClient(
      host: "127.0.0.1", port: server.port, configuration: configuration(certificate: nil, key: nil)
    )
    try echoOnce(client)
    let record = try waitForRecord(after: before)
    #expect(record.handshakeError == nil)
    #expect(record.protocolVersion != nil)
    #expect(record.peer == nil)
  }

  @Test func resumedSessionKeepsTheVerifiedSubject() throws {
    let sessionFile = certificates.folder.path + "/client-session.pem"
    let arguments = [
      "-tls1_2", "-cert", certificates.clientCertificateFile, "-key", certificates.clientKeyFile,
    ]
    _ = try OpenSSLCommand.sClient(port: server.port, arguments + ["-sess_out", sessionFile])
    let before = server.records.count
    let second = try OpenSSLCommand.sClient(
      port: server.port, arguments + ["-sess_in", sessionFile])
    #expect(second.output.contains("Reused, TLSv1.2"), Comment(rawValue: second.output))
    let record = try waitForRecord(after: before)
    #expect(record.sessionReused)
    #expect(record.peer?.subject == "CN=alice")
  }
}
