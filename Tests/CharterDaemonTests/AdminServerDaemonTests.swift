import CharterPostgresServer
import CharterTLS
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The admin server of the built charterd, end to end (issue 3, Daemon side 1–2 and its
/// tests; RELIABILITY T1, P1).
@Suite("charterd admin server", .serialized)
struct AdminServerDaemonTests {
  @Test func pingLongLinePipeliningDroppedClientsAndSIGTERM() async throws {
    // TLSClient needs SIGPIPE ignored: the flooder below writes on after the server closed.
    // Without it the whole test process dies when no other test (an in-process admin
    // server) happened to ignore it first, e.g. under --filter.
    signal(SIGPIPE, SIG_IGN)
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    let daemon = try DaemonProcess([
      "run", "--data-dir", data.path, "--listen", "127.0.0.1:0", "--log-level", "info",
    ])
    #expect(await daemon.waitForReady(), "\(daemon.output)")
    let port = try #require(daemon.adminPort(), "\(daemon.output)")
    #expect(daemon.output.contains("admin server listening on 127.0.0.1:\(port)"))
    let fingerprintFile = data.appendingPathComponent("tls/fingerprint.sha256").path
    #expect(
      daemon.output.contains(
        "connect with: charter --fingerprint-file \(fingerprintFile) 127.0.0.1:\(port)"),
      "\(daemon.output)")
    let pinText = try String(contentsOfFile: fingerprintFile, encoding: .utf8)
    let pin = try #require(TLSFingerprint(parsing: String(pinText.prefix { $0 != "\n" })))
    #expect(daemon.output.contains(pin.uppercaseWithColons), "the fingerprint is logged")
    let connect = {
      try TLSClient(
        host: "127.0.0.1", port: port,
        configuration: TLSClientConfiguration(verification: .pinnedFingerprint(pin)))
    }

    // A Swift client pinning the fingerprint, and openssl s_client.
    let swiftClient = try connect()
    try swiftClient.writeLine("PING")
    #expect(try swiftClient.readLine() == "OK PONG")
    let openssl = try runOpenSSL(
      ["s_client", "-connect", "127.0.0.1:\(port)", "-ign_eof", "-quiet"], input: "PING\nQUIT\n")
    #expect(openssl.output.contains("OK PONG"), "\(openssl.output)")

    // 1,000 pipelined PINGs written at once.
    let pipelined = try connect()
    let start = ContinuousClock.now
    try pipelined.write(Array(String(repeating: "PING\n", count: 1_000).utf8))
    var pongs = 0
    while pongs < 1_000, let line = try pipelined.readLine(), line == "OK PONG" { pongs += 1 }
    print("charterd: 1,000 pipelined PINGs answered in \(ContinuousClock.now - start)")
    #expect(pongs == 1_000)

    // A 10 MB line without a newline: refused, closed, memory bounded.
    let pid = daemon.process.processIdentifier
    let before = residentKiB(of: pid)
    let flooder = try connect()
    let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1_024)
    for _ in 0..<160 {
      do { try flooder.write(chunk) } catch { break }
    }
    let refusal = try? flooder.readLine()
    #expect(refusal?.hasPrefix("BYE LINE_TOO_LONG") == true, "\(refusal ?? "nil")")
    let after = residentKiB(of: pid)
    print("charterd RSS around the 10 MB line: \(before) KiB -> \(after) KiB")
    #expect(after - before < 32 * 1_024, "RSS grew by \(after - before) KiB")

    // Clients dropped in the middle of their requests leave the server healthy.
    for _ in 0..<5 {
      let dropped = try connect()
      try dropped.write(Array(String(repeating: "HELP\n", count: 200).utf8))
      dropped.close()
    }
    let next = try connect()
    try next.writeLine("PING")
    #expect(try next.readLine() == "OK PONG")

    // The accounts module answers LOGIN: a wrong password, then the first operator's
    // one-time password from its file.
    let passwordFile = data.appendingPathComponent("initial-operator-password").path
    #expect(daemon.output.contains(passwordFile), "\(daemon.output)")
    let oneTime = try String(contentsOfFile: passwordFile, encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try next.writeLine("LOGIN admin not-the-password")
    #expect(try next.readLine()?.hasPrefix("ERR AUTH_FAILED") == true)
    try next.writeLine("LOGIN admin \"\(oneTime)\"")
    let login = try next.readLine() ?? ""
    #expect(login.hasPrefix("OK"), "\(login)")

    // SIGTERM with a session open: the goodbye line, then exit 0.
    kill(pid, SIGTERM)
    #expect(try swiftClient.readLine() == "BYE SHUTTING_DOWN server shutting down")
    #expect(await daemon.waitForExit() == 0, "\(daemon.output)")
  }

  @Test func fiveHundredSessionsEachAnswerPingAndTheirMemoryIsMeasured() async throws {
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    let daemon = try DaemonProcess([
      "run", "--data-dir", data.path, "--listen", "127.0.0.1:0",
      "--admin-max-sessions-per-address", "600",
    ])
    #expect(await daemon.waitForReady(), "\(daemon.output)")
    let port = try #require(daemon.adminPort(), "\(daemon.output)")
    let pinText = try String(
      contentsOfFile: data.appendingPathComponent("tls/fingerprint.sha256").path, encoding: .utf8)
    let pin = try #require(TLSFingerprint(parsing: String(pinText.prefix { $0 != "\n" })))
    let pid = daemon.process.processIdentifier
    let before = residentKiB(of: pid)
    var clients: [TLSClient] = []
    for _ in 0..<500 {
      clients.append(
        try TLSClient(
          host: "127.0.0.1", port: port,
          configuration: TLSClientConfiguration(verification: .pinnedFingerprint(pin))))
    }
    for client in clients { try client.writeLine("PING") }
    var answered = 0
    for client in clients where try client.readLine() == "OK PONG" { answered += 1 }
    #expect(answered == 500)
    let after = residentKiB(of: pid)
    print(
      "charterd: 500 open sessions, RSS \(before) KiB -> \(after) KiB, "
        + "\((after - before) / 500) KiB per session")
    #expect(after - before < 500 * 256, "under 256 KiB per idle session")
    for client in clients { client.close() }
    #expect(await daemon.stop() == 0)
  }

  @Test func sighupReloadsTheCertificateForNewSessionsOnly() async throws {
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    let certificate = data.appendingPathComponent("server.pem").path
    let key = data.appendingPathComponent("server.key").path
    func makeIdentity() throws -> TLSFingerprint {
      try? FileManager.default.removeItem(atPath: certificate)
      try? FileManager.default.removeItem(atPath: key)
      let identity = try TLSIdentity.generate(
        TLSCertificateProfile(commonName: "charterd", role: .server, ipAddresses: ["127.0.0.1"]))
      try identity.write(certificateTo: certificate, privateKeyTo: key)
      return identity.certificate.fingerprint
    }
    let first = try makeIdentity()
    let daemon = try DaemonProcess([
      "run", "--data-dir", data.path, "--listen", "127.0.0.1:0",
      "--tls-certificate", certificate, "--tls-key", key,
    ])
    #expect(await daemon.waitForReady(), "\(daemon.output)")
    let port = try #require(daemon.adminPort(), "\(daemon.output)")
    let pinned = { (pin: TLSFingerprint) in
      try TLSClient(
        host: "127.0.0.1", port: port,
        configuration: TLSClientConfiguration(verification: .pinnedFingerprint(pin)))
    }
    let old = try pinned(first)
    let second = try makeIdentity()
    kill(daemon.process.processIdentifier, SIGHUP)
    #expect(await daemon.waitForOutput("uses the new certificate"), "\(daemon.output)")
    let fresh = try pinned(second)
    try fresh.writeLine("PING")
    #expect(try fresh.readLine() == "OK PONG", "new sessions get the new certificate")
    #expect(throws: (any Error).self, "the old pin no longer matches") { try pinned(first) }
    try old.writeLine("PING")
    #expect(try old.readLine() == "OK PONG", "a session opened before keeps working")
    #expect(await daemon.stop() == 0)
  }

  @Test func sslyzeFindsTheServerCompliantWithMozillaIntermediate() async throws {
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    // sslyze checks the certificate too: a CA-signed leaf valid for 365 days (Mozilla's
    // limit) whose CA we hand to sslyze.
    let made = try runShell(
      """
      set -e
      cd '\(data.path)'
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
        -out ca.pem -days 365 -subj /CN=charter-test-ca \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key \
        -out server.csr -subj /CN=localhost
      printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\n\
      extendedKeyUsage=serverAuth\\nsubjectAltName=IP:127.0.0.1,DNS:localhost\\n' > leaf.ext
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
        -out server.pem -days 365 -extfile leaf.ext
      chmod 600 server.key ca.key
      """)
    #expect(made.status == 0, "\(made.output)")
    let daemon = try DaemonProcess([
      "run", "--data-dir", data.path, "--listen", "127.0.0.1:0",
      "--tls-certificate", data.appendingPathComponent("server.pem").path,
      "--tls-key", data.appendingPathComponent("server.key").path,
    ])
    #expect(await daemon.waitForReady(), "\(daemon.output)")
    let port = try #require(daemon.adminPort(), "\(daemon.output)")
    let scan = try runShell(
      "python3 -m sslyze --mozilla_config=intermediate --certinfo_ca_file '"
        + data.appendingPathComponent("ca.pem").path + "' 127.0.0.1:\(port)", timeout: 180)
    #expect(scan.status == 0, "sslyze (installed by Scripts/setup): \(scan.output)")
    #expect(scan.output.contains("OK - Compliant"), "\(scan.output)")
    #expect(await daemon.stop() == 0)
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

private func residentKiB(of pid: Int32) -> Int {
  guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
    return 0
  }
  for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
  }
  return 0
}

private struct CommandOutcome {
  let status: Int32
  let output: String
}

private func runShell(_ script: String, timeout: Double = 60) throws -> CommandOutcome {
  try run("/bin/sh", ["-c", script], input: "", timeout: timeout)
}

private func runOpenSSL(_ arguments: [String], input: String) throws -> CommandOutcome {
  try run("/usr/bin/openssl", arguments, input: input, timeout: 20)
}

/// Runs a program with `input` on stdin; killed after `timeout` seconds.
private func run(_ path: String, _ arguments: [String], input: String, timeout: Double) throws
  -> CommandOutcome
{
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = arguments
  let stdin = Pipe()
  let output = Pipe()
  process.standardInput = stdin
  process.standardOutput = output
  process.standardError = output
  try process.run()
  let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
  DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
  try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
  try? stdin.fileHandleForWriting.close()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  watchdog.cancel()
  return CommandOutcome(
    status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
}
