import CharterTLS
import Testing

@testable import CharterShell

@Suite struct KnownHostsTests {
  let first = TLSFingerprint(bytes: Array(0..<32))!
  let second = TLSFingerprint(bytes: Array(repeating: 0xAB, count: 32))!

  @Test func writtenLinesParseBack() throws {
    let local = ServerAddress(host: "127.0.0.1", port: 7433)
    let v6 = ServerAddress(host: "::1", port: 7500)
    let text =
      KnownHosts.header + KnownHosts.line(for: local, fingerprint: first)
      + KnownHosts.line(for: v6, fingerprint: second)
    let hosts = KnownHosts(parsing: text)
    #expect(hosts.problems.isEmpty)
    #expect(hosts.entries.count == 2)
    #expect(hosts.entry(for: local)?.fingerprint == first)
    #expect(hosts.entry(for: v6)?.fingerprint == second)
    #expect(hosts.entry(for: v6)?.line == 4)  // after the two header lines and the first entry
    #expect(KnownHosts.line(for: v6, fingerprint: second).hasPrefix("[::1]:7500 AB:AB:"))
  }

  @Test func lookupIsByHostAndPortIgnoringCase() {
    let hosts = KnownHosts(parsing: "Charter.Example.org:7433 \(first.lowercaseHex)\n")
    #expect(hosts.entry(for: ServerAddress(host: "charter.example.org", port: 7433)) != nil)
    #expect(hosts.entry(for: ServerAddress(host: "charter.example.org", port: 7434)) == nil)
    #expect(hosts.entry(for: ServerAddress(host: "other.example.org", port: 7433)) == nil)
  }

  @Test func theFirstMatchingLineWinsAsInSSH() {
    let text = "h:1 \(first.uppercaseWithColons)\nh:1 \(second.uppercaseWithColons)\n"
    #expect(
      KnownHosts(parsing: text).entry(for: ServerAddress(host: "h", port: 1))?.fingerprint == first)
  }

  @Test func badLinesAreReportedAndSkipped() {
    let text = """
      # comment

      h:1 nothex
      h:2
      noport \(first.lowercaseHex)
      h:3 \(first.lowercaseHex)
      """
    let hosts = KnownHosts(parsing: text)
    #expect(hosts.entries.map(\.address.port) == [3])
    #expect(hosts.problems.map(\.line) == [3, 4, 5])
  }

  @Test func addressesParse() throws {
    #expect(
      try ServerAddress(parsing: "example.org") == ServerAddress(host: "example.org", port: 7433))
    #expect(try ServerAddress(parsing: "example.org:9000").port == 9000)
    #expect(try ServerAddress(parsing: "[::1]:9000") == ServerAddress(host: "::1", port: 9000))
    #expect(try ServerAddress(parsing: "::1") == ServerAddress(host: "::1", port: 7433))
    #expect(throws: ShellUsageError.self) { try ServerAddress(parsing: "host:0") }
    #expect(throws: ShellUsageError.self) { try ServerAddress(parsing: "host:99999") }
    #expect(throws: ShellUsageError.self) { try ServerAddress(parsing: "[::1") }
    #expect(throws: ShellUsageError.self) { try ServerAddress(parsing: "h", defaultPort: nil) }
  }
}
