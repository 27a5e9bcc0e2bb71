import CharterDaemon
import CharterPostgresServer
import CharterTLS
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 7 on the built charterd: the RELOAD command and SIGHUP share one reload path and
/// say which changed settings need a restart; only operators may RELOAD; every log line
/// about a session carries its id, admin and tenant, a command's lines its request id, and
/// no password reaches the log.
@Suite("charterd reload and session logs", .serialized)
struct ReloadAndSessionLogTests {
  @Test func reloadCommandAndSIGHUPShareOnePathAndSessionsAreLoggedWithoutSecrets() async throws {
    signal(SIGPIPE, SIG_IGN)
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    let file = data.appendingPathComponent("charterd.toml")
    func writeConfiguration(_ extra: String) throws {
      try """
      data_dir = "\(data.path)"
      listen = "127.0.0.1:0"
      \(extra)
      """.write(to: file, atomically: true, encoding: .utf8)
    }
    try writeConfiguration("[log]\nformat = \"json\"\n")
    let daemon = try DaemonProcess(["run", "--config", file.path])
    // initdb and migrations on a saturated machine can take longer than the usual minute.
    #expect(await daemon.waitForReady(timeout: .seconds(180)), "\(daemon.output)")
    let port = try #require(daemon.adminPort(), "\(daemon.output)")
    let pinText = try String(
      contentsOfFile: data.appendingPathComponent("tls/fingerprint.sha256").path, encoding: .utf8)
    let pin = try #require(TLSFingerprint(parsing: String(pinText.prefix { $0 != "\n" })))
    let connect = { @Sendable in
      try await AdminClient.connect(port: port, pin: pin)
    }
    let oneTime = try String(
      contentsOf: data.appendingPathComponent("initial-operator-password"), encoding: .utf8
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let newPassword = "a-much-better-pass-42"

    let operatorSession = try await connect()
    #expect(
      try await operatorSession.request("LOGIN admin wrong-secret-4711").last?.hasPrefix("ERR")
        == true)
    #expect(
      try await operatorSession.request("LOGIN admin \(oneTime)").last?.hasPrefix("OK") == true)
    #expect(
      try await operatorSession.request("ADMIN PASSWD admin \"\(newPassword)\"").last?.hasPrefix(
        "OK")
        == true)

    // Nothing changed yet.
    let unchanged = try await operatorSession.request("RELOAD")
    #expect(
      unchanged.last == "OK configuration reloaded from \(file.path): no setting changed",
      "\(unchanged)")

    // A reloadable key, a key that needs a restart, the log level, and a certificate that
    // does not load (the running one stays: the session opened below still matches the pin).
    try writeConfiguration(
      """
      [metrics]
      listen = "127.0.0.1:0"
      [tls]
      certificate = "\(data.path)/missing.pem"
      key = "\(data.path)/missing.key"
      [admin]
      idle_timeout = "5m"
      [log]
      format = "json"
      level = "debug"
      """)
    let changed = try await operatorSession.request("RELOAD")
    #expect(changed.contains("* admin.idle_timeout\tapplied"), "\(changed)")
    #expect(changed.contains("* log.level\tapplied"), "\(changed)")
    #expect(
      changed.contains("* metrics.listen\tneeds a restart; the running value stays"), "\(changed)")
    #expect(
      changed.contains {
        $0.hasPrefix("* tls.certificate\tdid not load; the running value stays: ")
      },
      "\(changed)")
    #expect(
      changed.contains { $0.hasPrefix("* tls.key\tdid not load; the running value stays: ") },
      "\(changed)")
    #expect(changed.last?.hasSuffix(": 5 changed, 1 needs a restart") == true, "\(changed)")
    #expect(
      await daemon.waitForOutput("reload: log.level changed"), "\(daemon.output)")

    // A file that does not parse changes nothing.
    try "this is = = not toml".write(to: file, atomically: true, encoding: .utf8)
    let refused = try await operatorSession.request("RELOAD")
    #expect(refused.last?.hasPrefix("ERR INVALID_CONFIGURATION") == true, "\(refused)")

    // SIGHUP takes the same path: the same log lines, with its own trigger.
    try writeConfiguration("[log]\nformat = \"json\"\nlevel = \"info\"\n")
    kill(daemon.process.processIdentifier, SIGHUP)
    #expect(await daemon.waitForOutput("\"trigger\":\"SIGHUP\""), "\(daemon.output)")
    let reloadLines = try logLines(daemon.output).filter {
      ($0.message).hasPrefix("reload: ") && $0.message.hasSuffix(" changed")
    }
    #expect(
      reloadLines.contains {
        $0.message == "reload: log.level changed" && $0.fields["trigger"] == "SIGHUP"
      },
      "\(reloadLines)")
    #expect(
      reloadLines.contains {
        $0.message == "reload: log.level changed"
          && $0.fields["trigger"]?.hasPrefix("RELOAD by admin (session ") == true
      }, "\(reloadLines)")

    // A tenant administrator may not RELOAD: refused before any handler runs.
    let created = try await operatorSession.request("TENANT CREATE alpha \"联盟 Alpha\"")
    #expect(created.last?.hasPrefix("OK") == true, "\(created)")
    #expect(try await operatorSession.request("TENANT USE alpha").last?.hasPrefix("OK") == true)
    let bobRows = try await operatorSession.request("ADMIN CREATE bob secretariat")
    let bobPassword = try #require(
      bobRows.first { $0.hasPrefix("* bob\t") }?.split(separator: "\t").last.map(String.init),
      "\(bobRows)")
    let tenantSession = try await connect()
    #expect(
      try await tenantSession.request("LOGIN bob@alpha \(bobPassword)").last?.hasPrefix("OK")
        == true)
    let forbidden = try await tenantSession.request("RELOAD")
    #expect(
      forbidden.last == "ERR FORBIDDEN RELOAD is for installation operators", "\(forbidden)")
    tenantSession.close()
    operatorSession.close()
    #expect(await daemon.waitForOutput("admin session closed"), "\(daemon.output)")
    #expect(await daemon.stop() == 0)

    // Every line about a session names it, and its admin and tenant once known.
    let lines = try logLines(daemon.output)
    let opened = lines.filter { $0.message.hasPrefix("admin session opened from 127.0.0.1:") }
    #expect(opened.count == 2, "\(lines.map(\.message))")
    #expect(
      opened.allSatisfy { $0.fields["session"] != nil && $0.fields["address"] == "127.0.0.1" })
    let reload = try #require(lines.first { $0.message == "command RELOAD: ok" }, "\(lines)")
    #expect(reload.fields["admin"] == "admin")
    let operatorID = try #require(reload.fields["session"])
    #expect(reload.fields["request"]?.hasPrefix("\(operatorID)-") == true, "\(reload.fields)")
    // The lines the RELOAD handler logged carry the command's request id.
    let duringRequest = lines.filter {
      $0.fields["request"] == reload.fields["request"] && $0.message.hasPrefix("reload: ")
    }
    #expect(!duringRequest.isEmpty, "reload lines carry the request id: \(lines)")
    let bobLogin = try #require(
      lines.first { $0.message == "command LOGIN: ok" && $0.fields["admin"] == "bob" }, "\(lines)")
    #expect(bobLogin.fields["tenant"] == "alpha")
    let bobClosed = lines.first {
      $0.fields["admin"] == "bob" && $0.message.hasPrefix("admin session closed")
    }
    #expect(bobClosed?.fields["tenant"] == "alpha", "\(lines)")
    let failedLogin = try #require(
      lines.first { $0.message == "command LOGIN: ERR AUTH_FAILED" }, "\(lines)")
    #expect(failedLogin.fields["session"] == operatorID)
    #expect(failedLogin.fields["admin"] == nil, "not logged in yet")
    // Operator lines after TENANT USE carry the chosen tenant.
    #expect(
      lines.contains {
        $0.message == "command ADMIN CREATE: ok" && $0.fields["tenant"] == "alpha"
          && $0.fields["admin"] == "admin"
      }, "\(lines)")

    // No password reaches the log, wrong or right.
    for secret in ["wrong-secret-4711", oneTime, newPassword, bobPassword] {
      #expect(!daemon.output.contains(secret), "a password is in the log")
    }
  }

  /// The same fields in the human format: key=value after the message.
  @Test func aSessionLineInTextShowsSessionTenantAdminAndRequest() {
    let line = DaemonLogHandler.line(
      format: .text, date: Date(timeIntervalSince1970: 0), level: .info, label: "charterd",
      message: "command STATS: ok",
      metadata: ["session": "7", "tenant": "aitisa", "admin": "wang", "request": "7-3"])
    #expect(
      line == "1970-01-01T00:00:00Z info command STATS: ok admin=wang request=7-3 session=7 "
        + "tenant=aitisa\n")
  }

  /// A TLS client of the admin server whose blocking socket calls run on a Dispatch queue,
  /// not on the two threads of the cooperative pool: a test blocked for seconds on a reply
  /// (password hashing on a saturated machine) would otherwise starve the handlers of the
  /// in-process servers of other suites running at the same time.
  private final class AdminClient: @unchecked Sendable {
    // Used by one test at a time, one call after another.
    private let tls: TLSClient

    private init(_ tls: TLSClient) { self.tls = tls }

    static func connect(port: UInt16, pin: TLSFingerprint) async throws -> AdminClient {
      try await offThePool {
        // Password hashing (128 MiB, a second or more each) on a saturated machine: wait long.
        var configuration = TLSClientConfiguration(verification: .pinnedFingerprint(pin))
        configuration.timeoutSeconds = 120
        return AdminClient(
          try TLSClient(host: "127.0.0.1", port: port, configuration: configuration))
      }
    }

    /// Sends one request and reads its reply up to the status line.
    func request(_ line: String) async throws -> [String] {
      try await Self.offThePool { [self] in
        try tls.writeLine(line)
        var reply: [String] = []
        while let next = try tls.readLine() {
          reply.append(next)
          if next.hasPrefix("OK") || next.hasPrefix("ERR ") || next.hasPrefix("BYE ") { break }
        }
        return reply
      }
    }

    func close() { tls.close() }

    private static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T)
      async throws -> T
    {
      try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
      }
    }
  }

  private struct LogLine: CustomStringConvertible {
    var message: String
    var fields: [String: String]
    var description: String { "\(message) \(fields)" }
  }

  /// The JSON lines of the daemon's output.
  private func logLines(_ output: String) throws -> [LogLine] {
    output.split(separator: "\n").compactMap { line in
      guard line.hasPrefix("{"),
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let message = object["message"] as? String
      else { return nil }
      let fields = (object["metadata"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
      return LogLine(message: message, fields: fields)
    }
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
