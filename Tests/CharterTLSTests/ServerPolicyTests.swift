import Foundation
import Testing

@testable import CharterTLS

/// RELIABILITY T1 (Mozilla intermediate), checked with OpenSSL's own client against our
/// server session.
@Suite(.serialized) final class ServerPolicyTests {
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

  @Test func tls12SuitesAreExactlyTheSixMozillaIntermediateOnes() {
    #expect(
      context.tls12CipherNames == [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
      ])
  }

  @Test func optionsForbidCompressionAndRenegotiationAndLetTheClientChoose() {
    let flags = context.optionFlags
    #expect(flags.noCompression)
    #expect(flags.noRenegotiation)
    #expect(!flags.serverCipherPreference)
  }

  @Test(arguments: ["-tls1_2", "-tls1_3"])
  func opensslClientGetsTheEcho(version: String) throws {
    let before = server.records.count
    let outcome = try OpenSSLCommand.sClient(port: server.port, [version])
    #expect(outcome.echoed, Comment(rawValue: outcome.output))
    #expect(outcome.output.contains("Compression: NONE"), Comment(rawValue: outcome.output))
    let expected = version == "-tls1_2" ? "TLSv1.2" : "TLSv1.3"
    #expect(
      outcome.output.contains("Protocol  : \(expected)")
        || outcome.output.contains(", \(expected),"),
      Comment(rawValue: outcome.output))
    #expect(server.finishedRecord(at: before)?.protocolVersion == expected)
  }

  @Test(arguments: [
    ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"],
    ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"],
    ["-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305"],
    ["-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256"],
    ["-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384"],
    ["-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"],
  ])
  func eachAllowedSuiteWorks(arguments: [String]) throws {
    let before = server.records.count
    let outcome = try OpenSSLCommand.sClient(port: server.port, arguments)
    #expect(outcome.echoed, Comment(rawValue: outcome.output))
    #expect(server.finishedRecord(at: before)?.cipherName == arguments[2])
  }

  /// TLS 1.0 and 1.1 are offered for real: SECLEVEL=0 lets OpenSSL 3's client send them.
  @Test(arguments: ["-tls1", "-tls1_1"])
  func oldProtocolVersionsAreRefused(version: String) throws {
    let before = server.records.count
    let outcome = try OpenSSLCommand.sClient(
      port: server.port, [version, "-cipher", "DEFAULT@SECLEVEL=0"])
    #expect(outcome.status != 0)
    #expect(!outcome.echoed)
    #expect(
      outcome.output.contains("protocol version")
        || outcome.output.contains("unsupported protocol"),
      Comment(rawValue: outcome.output))
    try expectRefusedByServer(after: before)
  }

  @Test(arguments: [
    "AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES128-SHA", "AES128-GCM-SHA256",
    "DHE-RSA-AES128-GCM-SHA256",
  ])
  func weakOrNonForwardSecretTLS12SuitesAreRefused(cipher: String) throws {
    let before = server.records.count
    let outcome = try OpenSSLCommand.sClient(port: server.port, ["-tls1_2", "-cipher", cipher])
    #expect(outcome.status != 0)
    #expect(!outcome.echoed, Comment(rawValue: outcome.output))
    try expectRefusedByServer(after: before)
  }

  /// A client-initiated renegotiation ("R" in s_client, which reads commands only without
  /// -ign_eof) is refused; the connection carries no data after it.
  @Test func renegotiationIsRefused() throws {
    let outcome = try OpenSSLCommand.run(
      ["s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_2"],
      input: ["before\n", "R\n", "after\n", "bye\n"], pause: 1.0)
    #expect(
      outcome.output.contains("Secure Renegotiation IS supported"),
      Comment(rawValue: outcome.output))
    #expect(outcome.output.contains("\nbefore\n"), Comment(rawValue: outcome.output))
    #expect(outcome.output.contains("RENEGOTIATING"), Comment(rawValue: outcome.output))
    #expect(!outcome.output.contains("\nafter\n"), Comment(rawValue: outcome.output))
  }

  @Test(arguments: ["-tls1_2", "-tls1_3"])
  func sessionResumptionWorks(version: String) throws {
    let sessionFile = certificates.folder.path + "/session\(version).pem"
    let before = server.records.count
    let first = try OpenSSLCommand.sClient(port: server.port, [version, "-sess_out", sessionFile])
    #expect(first.echoed)
    #expect(server.finishedRecord(at: before)?.sessionReused == false)
    let second = try OpenSSLCommand.sClient(port: server.port, [version, "-sess_in", sessionFile])
    #expect(second.output.contains("Reused, TLSv1."), Comment(rawValue: second.output))
    #expect(second.echoed)
    #expect(server.finishedRecord(at: before + 1)?.sessionReused == true)
  }

  private func expectRefusedByServer(after before: Int) throws {
    let record = try #require(server.finishedRecord(at: before))
    #expect(record.handshakeError?.code == .handshake)
    #expect(record.protocolVersion == nil)
  }
}
