import Testing

@testable import CharterShell

@Suite struct ArgumentParserTests {
  @Test func defaultsToTrustOnFirstUseOnLocalhost() throws {
    let options = try ArgumentParser.parse([])
    #expect(options.address == ServerAddress(host: "127.0.0.1", port: 7433))
    #expect(options.trust == .knownHosts)
    #expect(options.source == nil)
    #expect(!options.json)
  }

  @Test func readsEveryOption() throws {
    let options = try ArgumentParser.parse([
      "--user", "alice", "--password-file=/p", "--known-hosts", "/k", "-c", "PING", "-c",
      "WHOAMI", "--json", "--stop-on-error", "--timeout", "5", "--cert", "/c", "--key", "/k2",
      "--no-history", "example.org:9000",
    ])
    #expect(options.user == "alice")
    #expect(options.passwordFile == "/p")
    #expect(options.knownHostsFile == "/k")
    #expect(options.source == .commands(["PING", "WHOAMI"]))
    #expect(options.json && options.stopOnError && !options.saveHistory)
    #expect(options.timeoutSeconds == 5)
    #expect(options.certificateFile == "/c" && options.keyFile == "/k2")
    #expect(options.address == ServerAddress(host: "example.org", port: 9000))
  }

  @Test func trustChoices() throws {
    #expect(try ArgumentParser.parse(["--insecure"]).trust == .insecure)
    #expect(try ArgumentParser.parse(["--fingerprint", "ab"]).trust == .fingerprint("ab"))
    #expect(try ArgumentParser.parse(["--fingerprint-file", "/f"]).trust == .fingerprintFile("/f"))
    #expect(try ArgumentParser.parse(["--ca-file", "/ca"]).trust == .certificateAuthority("/ca"))
  }

  @Test func fileAndStandardInput() throws {
    #expect(try ArgumentParser.parse(["-f", "x.txt"]).source == .file("x.txt"))
    #expect(try ArgumentParser.parse(["-f", "-"]).source == .standardInput)
  }

  @Test func mistakesAreUsageErrors() {
    for arguments in [
      ["--insecure", "--fingerprint", "ab"],  // two trust choices
      ["--key", "/k"],  // a key without a certificate
      ["-c"],  // missing value
      ["--bogus"],
      ["a", "b"],  // two addresses
      ["-c", "PING", "-f", "x"],
      ["--timeout", "0"],
      ["--json=yes"],
      ["host:notaport"],
    ] {
      #expect(throws: ShellUsageError.self, "\(arguments)") { try ArgumentParser.parse(arguments) }
    }
  }

  @Test func helpAndVersion() throws {
    #expect(try ArgumentParser.parse(["--help"]).showHelp)
    #expect(try ArgumentParser.parse(["-h"]).showHelp)
    #expect(try ArgumentParser.parse(["--version"]).showVersion)
    #expect(HelpText.usage.contains("Exit status: 0"))
  }
}
