import CharterDelivery
import Foundation
import Testing

/// STARTTLS and authentication against aiosmtpd with a throwaway certificate for 127.0.0.1.
@Suite(.serialized) struct TLSDeliveryTests {
  struct CertificateFailed: Error {}

  /// A self-signed certificate with IP:127.0.0.1, made by the openssl command.
  static func makeCertificate(in folder: URL) throws -> (cert: String, key: String) {
    let cert = folder.appendingPathComponent("cert.pem").path
    let key = folder.appendingPathComponent("key.pem").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CertificateFailed() }
    return (cert, key)
  }

  static func message(_ subject: String) throws -> MailMessage {
    MailMessage(
      from: try MailAddress("secretariat@aitisa.example"), fromName: "秘书处",
      to: try MailAddress("li@example.org"), subject: subject, textBody: "正文",
      htmlBody: nil, calendar: nil, messageID: "tls-test@aitisa.example", date: Date())
  }

  @Test func startTLSWithLoginDeliversAndAWrongPasswordIsNotFinal() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "charter-cert-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (cert, key) = try Self.makeCertificate(in: folder)
    let sink = try Sink(
      script: "smtp_sink.py", arguments: ["--tls", cert, key, "--login", "bot", "s3cret-口令"])
    try await sink.start()
    defer { sink.stop() }
    let transport = SMTPTransport(connectTimeout: .seconds(5), replyTimeout: .seconds(10))
    let server = SMTPServer(
      url: "smtp://127.0.0.1:\(sink.port)", username: "bot", password: Secret("s3cret-口令"),
      security: .startTLSRequired, caFile: cert)

    let sent = await transport.send(try Self.message("加密通知"), via: server)
    guard case .delivered = sent else {
      Issue.record("not delivered: \(sent.reply)")
      return
    }
    let records = try sink.records()
    try #require(records.count == 1)
    #expect(records[0]["tls"] as? Bool == true)
    #expect(records[0]["authenticated"] as? Bool == true)
    #expect(records[0]["subject"] as? String == "加密通知")

    var wrong = server
    wrong.password = Secret("wrong")
    let refused = await transport.send(try Self.message("x"), via: wrong)
    guard case .temporaryFailure(let reply) = refused else {
      Issue.record("a refused login must be retried, got \(refused)")
      return
    }
    #expect(!reply.contains("wrong"))
    #expect(try sink.records().count == 1)
  }

  /// CURLUSESSL_ALL: a server without STARTTLS gets nothing in clear.
  @Test func requiredStartTLSRefusesAServerWithoutIt() async throws {
    let sink = try Sink(script: "smtp_sink.py")
    try await sink.start()
    defer { sink.stop() }
    let outcome = await SMTPTransport(connectTimeout: .seconds(5), replyTimeout: .seconds(10))
      .send(
        try Self.message("明文"),
        via: SMTPServer(url: "smtp://127.0.0.1:\(sink.port)", security: .startTLSRequired))
    guard case .temporaryFailure = outcome else {
      Issue.record("expected a temporary failure, got \(outcome)")
      return
    }
    #expect(try sink.records().isEmpty)
  }
}
