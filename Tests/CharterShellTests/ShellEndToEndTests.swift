import CharterTLS
import Foundation
import Testing

/// The built `charter` against a real TLS server (`TestAdminServer`: CharterTLS's server
/// session and CharterProtocol's AdminSession), as a user runs it. Issue 3: "The shell
/// refuses a server whose fingerprint changed."
@Suite struct ShellEndToEndTests {
  @Test func firstConnectionRecordsTheFingerprintAndTheSecondUsesIt() async throws {
    let server = try TestAdminServer()
    defer { server.stop() }
    let home = try TemporaryHome()
    defer { home.remove() }

    let first = try await ShellProcess.run(["-c", "PING", server.address], home: home.path)
    #expect(first.status == 0, "\(first.standardError)")
    #expect(first.standardOutput == "PONG\n")
    #expect(first.standardError.contains(server.identity.fingerprint.uppercaseWithColons))
    let recorded = try String(contentsOfFile: home.knownHostsFile, encoding: .utf8)
    #expect(
      recorded.contains(
        "127.0.0.1:\(server.port) \(server.identity.fingerprint.uppercaseWithColons)"))
    let attributes = try FileManager.default.attributesOfItem(atPath: home.knownHostsFile)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)

    let second = try await ShellProcess.run(["-c", "PING", server.address], home: home.path)
    #expect(second.status == 0)
    #expect(second.standardOutput == "PONG\n")
    #expect(second.standardError.isEmpty, "a known server is not announced again")
  }

  @Test func aChangedFingerprintIsRefusedLoudlyWithStatus3() async throws {
    let home = try TemporaryHome()
    defer { home.remove() }
    let original = try TestAdminServer()
    let port = original.port
    let first = try await ShellProcess.run(["-c", "PING", original.address], home: home.path)
    #expect(first.status == 0)
    original.stop()

    // Another server with a new self-signed identity, remembered under the same address.
    let impostor = try TestAdminServer()
    defer { impostor.stop() }
    let knownHosts = try String(contentsOfFile: home.knownHostsFile, encoding: .utf8)
      .replacingOccurrences(of: "127.0.0.1:\(port) ", with: "127.0.0.1:\(impostor.port) ")
    try knownHosts.write(toFile: home.knownHostsFile, atomically: true, encoding: .utf8)

    let refused = try await ShellProcess.run(
      ["-c", "PING", impostor.address], home: home.path)
    #expect(refused.status == 3)
    #expect(refused.standardOutput.isEmpty, "nothing was run")
    #expect(refused.standardError.contains("HAS CHANGED"))
    #expect(refused.standardError.contains(impostor.identity.fingerprint.uppercaseWithColons))
    #expect(refused.standardError.contains(original.identity.fingerprint.uppercaseWithColons))
    #expect(refused.standardError.contains("delete line 3 of \(home.knownHostsFile)"))
    // The known-hosts file still holds the old fingerprint: a refusal changes nothing.
    #expect(
      try String(contentsOfFile: home.knownHostsFile, encoding: .utf8).contains(
        original.identity.fingerprint.uppercaseWithColons))
  }

  @Test func pinsFromTheCommandLineOrCharterdsFingerprintFile() async throws {
    let server = try TestAdminServer()
    defer { server.stop() }
    let home = try TemporaryHome()
    defer { home.remove() }

    let byFile = try await ShellProcess.run(
      ["--fingerprint-file", server.identity.fingerprintFile, "-c", "PING", server.address],
      home: home.path)
    #expect(byFile.status == 0, "\(byFile.standardError)")
    #expect(
      !FileManager.default.fileExists(atPath: home.knownHostsFile), "a pin bypasses known_hosts")

    let byValue = try await ShellProcess.run(
      ["--fingerprint", server.identity.fingerprint.lowercaseHex, "-c", "PING", server.address],
      home: home.path)
    #expect(byValue.status == 0)

    let wrong = try await ShellProcess.run(
      ["--fingerprint", String(repeating: "ab", count: 32), "-c", "PING", server.address],
      home: home.path)
    #expect(wrong.status == 3)
    #expect(wrong.standardError.contains(server.identity.fingerprint.uppercaseWithColons))
  }

  @Test func insecureConnectsOnlyWhenAskedAndWarns() async throws {
    let server = try TestAdminServer()
    defer { server.stop() }
    let home = try TemporaryHome()
    defer { home.remove() }
    let result = try await ShellProcess.run(
      ["--insecure", "-c", "PING", server.address], home: home.path)
    #expect(result.status == 0)
    #expect(result.standardOutput == "PONG\n")
    #expect(result.standardError.contains("--insecure"))
    #expect(!FileManager.default.fileExists(atPath: home.knownHostsFile))
  }

  @Test func exitStatusSaysWhetherEveryCommandSucceeded() async throws {
    let server = try TestAdminServer()
    defer { server.stop() }
    let home = try TemporaryHome()
    defer { home.remove() }
    let pin = ["--fingerprint-file", server.identity.fingerprintFile, server.address]

    let unknown = try await ShellProcess.run(pin + ["-c", "PING", "-c", "PIGN"], home: home.path)
    #expect(unknown.status == 1)
    #expect(unknown.standardOutput == "PONG\n")
    #expect(unknown.standardError.contains("ERR UNKNOWN_COMMAND"))
    #expect(unknown.standardError.contains("did you mean PING?"))

    let usage = try await ShellProcess.run(["--insecure", "--ca-file", "x"], home: home.path)
    #expect(usage.status == 2)

    let refused = try await ShellProcess.run(["-c", "PING", "127.0.0.1:1"], home: home.path)
    #expect(refused.status == 3)
  }

  @Test func loginWithUserAndAPasswordFromTheEnvironmentOrAFile() async throws {
    let server = try TestAdminServer()
    defer { server.stop() }
    let home = try TemporaryHome()
    defer { home.remove() }
    let pin = ["--fingerprint-file", server.identity.fingerprintFile, server.address]

    let byEnvironment = try await ShellProcess.run(
      pin + ["--user", "alice", "-c", "WHOAMI", "-c", "TENANT LIST"], home: home.path,
      environment: ["CHARTER_PASSWORD": TestAdminServer.password])
    #expect(byEnvironment.status == 0, "\(byEnvironment.standardError)")
    #expect(byEnvironment.standardOutput.contains("alice  installation  operator"))
    #expect(byEnvironment.standardOutput.contains("aitisa  中关村视听产业技术创新联盟  active"))

    let passwordFile = home.path + "/password"
    try (TestAdminServer.password + "\n").write(
      toFile: passwordFile, atomically: true, encoding: .utf8)
    let byFile = try await ShellProcess.run(
      pin + ["--user", "bob", "--password-file", passwordFile, "-c", "WHOAMI"], home: home.path)
    #expect(byFile.status == 0, "\(byFile.standardError)")
    #expect(byFile.standardOutput.contains("bob   tenant  secretariat  aitisa"))

    let wrong = try await ShellProcess.run(
      pin + ["--user", "alice", "-c", "WHOAMI"], home: home.path,
      environment: ["CHARTER_PASSWORD": "wrong"])
    #expect(wrong.status == 3)
    #expect(wrong.standardError.contains("AUTH_FAILED"))
    #expect(wrong.standardOutput.isEmpty)
  }

  @Test func jsonPrintsJSONLines() async throws {
    let server = try TestAdminServer()
    defer { server.stop() }
    let home = try TemporaryHome()
    defer { home.remove() }
    let result = try await ShellProcess.run(
      [
        "--fingerprint-file", server.identity.fingerprintFile, server.address, "--json",
        "--user", "alice", "-c", "TENANT LIST", "-c", "TENANT SHOW nope",
      ],
      home: home.path, environment: ["CHARTER_PASSWORD": TestAdminServer.password])
    #expect(result.status == 1)
    let lines = result.standardOutput.split(separator: "\n").map(String.init)
    #expect(lines.first == #"{"columns":["slug","name","status","created"]}"#)
    #expect(
      lines.contains(
        #"{"row":{"slug":"cesa","name":"中国电子工业标准化技术协会","status":"active","created":"2026-11-20"}}"#)
    )
    #expect(lines.contains(#"{"status":"ok","message":"2 tenants"}"#))
    #expect(lines.last?.hasPrefix(#"{"status":"error","code":"INTERNAL""#) == true)
    for line in lines {
      #expect(
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "\(line)")
    }
  }

  @Test func commandsFromStandardInputAndFromAFile() async throws {
    let server = try TestAdminServer()
    defer { server.stop() }
    let home = try TemporaryHome()
    defer { home.remove() }
    let pin = ["--fingerprint-file", server.identity.fingerprintFile, server.address]

    let piped = try await ShellProcess.run(
      pin, home: home.path, input: "# a comment\nPING\n\nPING\n")
    #expect(piped.status == 0)
    #expect(piped.standardOutput == "PONG\nPONG\n")

    let script = home.path + "/script.charter"
    try "PING\nWHOAMI\nPING\n".write(toFile: script, atomically: true, encoding: .utf8)
    let fromFile = try await ShellProcess.run(pin + ["-f", script], home: home.path)
    #expect(fromFile.status == 1, "WHOAMI before login fails")
    #expect(fromFile.standardOutput == "PONG\nPONG\n")
    #expect(fromFile.standardError.contains("NOT_LOGGED_IN"))

    let stopped = try await ShellProcess.run(
      pin + ["-f", script, "--stop-on-error"], home: home.path)
    #expect(stopped.status == 1)
    #expect(stopped.standardOutput == "PONG\n")

    let missing = try await ShellProcess.run(pin + ["-f", home.path + "/none"], home: home.path)
    #expect(missing.status == 2)
  }

  @Test func helpDocumentsTheExitStatuses() async throws {
    let home = try TemporaryHome()
    defer { home.remove() }
    let result = try await ShellProcess.run(["--help"], home: home.path)
    #expect(result.status == 0)
    #expect(result.standardOutput.contains("--fingerprint-file"))
    #expect(
      result.standardOutput.contains("Exit status: 0 every command succeeded; 1 a command failed"))
  }
}
