public import CharterTLS

/// The servers this user trusts, by address: `~/.config/charter/known_hosts`, written on
/// first use the way ssh writes its own.
///
/// One server per line, `host:port fingerprint`, the fingerprint as
/// `openssl x509 -fingerprint -sha256` prints it; an IPv6 address in brackets
/// (`[::1]:7433`). Blank lines and lines starting with `#` are comments. Host names compare
/// without regard to case.
public struct KnownHosts: Hashable, Sendable {
  public struct Entry: Hashable, Sendable {
    public var address: ServerAddress
    public var fingerprint: TLSFingerprint
    /// 1-based line in the file, so a refusal can say which line to remove.
    public var line: Int
  }

  /// A line that could not be read; kept out of `entries` and reported.
  public struct Problem: Hashable, Sendable {
    public var line: Int
    public var reason: String
  }

  public private(set) var entries: [Entry] = []
  public private(set) var problems: [Problem] = []

  public init() {}

  public init(parsing text: String) {
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let line = rawLine.trimming(" \t\r")
      if line.isEmpty || line.hasPrefix("#") { continue }
      let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard parts.count == 2 else {
        problems.append(Problem(line: index + 1, reason: "expected: host:port fingerprint"))
        continue
      }
      guard let address = try? ServerAddress(parsing: String(parts[0]), defaultPort: nil) else {
        problems.append(Problem(line: index + 1, reason: "bad address \(parts[0])"))
        continue
      }
      guard let fingerprint = TLSFingerprint(parsing: String(parts[1])) else {
        problems.append(Problem(line: index + 1, reason: "bad SHA-256 fingerprint"))
        continue
      }
      entries.append(Entry(address: address, fingerprint: fingerprint, line: index + 1))
    }
  }

  /// The first entry for `address`, as ssh uses the first matching line.
  public func entry(for address: ServerAddress) -> Entry? {
    entries.first { $0.address == address }
  }

  /// The line to append for a newly trusted server (with its line end).
  public static func line(for address: ServerAddress, fingerprint: TLSFingerprint) -> String {
    "\(address) \(fingerprint.uppercaseWithColons)\n"
  }

  /// The comment that starts a new file.
  public static let header =
    "# charter known hosts: host:port SHA-256 fingerprint of the server's certificate.\n"
    + "# Written on first connection (trust on first use); remove a line to trust anew.\n"
}
