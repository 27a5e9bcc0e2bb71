import CharterTOML
public import Foundation

/// The daemon's effective settings: defaults, then the configuration file, then `CHARTER_*`
/// environment variables, then command-line flags — the later wins, as in pgbouncer and
/// most daemons. Every value is validated against its option's kind and bounds; an error
/// names where the bad value came from.
public struct Configuration: Sendable {
  public enum Source: Sendable, Equatable, CustomStringConvertible {
    case defaultValue
    case file(path: String, line: Int)
    case environment(String)
    case flag(String)

    public var description: String {
      switch self {
      case .defaultValue: "default"
      case .file(let path, let line): "\(path):\(line)"
      case .environment(let name): "environment \(name)"
      case .flag(let flag): "flag \(flag)"
      }
    }
  }

  public private(set) var values: [String: String]
  public private(set) var sources: [String: Source]
  /// The configuration file read, if any.
  public internal(set) var file: String?

  public init() {
    values = Dictionary(
      uniqueKeysWithValues: ConfigurationOption.all.map { ($0.key, $0.defaultValue) })
    sources = Dictionary(
      uniqueKeysWithValues: ConfigurationOption.all.map { ($0.key, .defaultValue) })
  }

  public subscript(key: String) -> String { values[key] ?? "" }

  /// Sets one option after checking the value; `source` goes into error messages.
  public mutating func set(_ key: String, _ value: String, from source: Source)
    throws(ConfigurationError)
  {
    guard let option = ConfigurationOption.named(key) else {
      throw ConfigurationError(
        source: source, key: key, message: "unknown setting" + Self.suggestion(for: key))
    }
    if let problem = option.kind.problem(with: value) {
      throw ConfigurationError(source: source, key: key, message: problem)
    }
    values[key] = value
    sources[key] = source
  }

  /// This configuration with the reloadable settings of `next`; the others need a restart.
  public func applyingReloadable(from next: Configuration) -> Configuration {
    var result = self
    for option in ConfigurationOption.all where option.reloadable {
      result.values[option.key] = next.values[option.key]
      result.sources[option.key] = next.sources[option.key]
    }
    return result
  }

  static func suggestion(for key: String) -> String {
    let nearest = ConfigurationOption.all.map(\.key).min {
      editDistance($0, key) < editDistance($1, key)
    }
    guard let nearest, editDistance(nearest, key) <= 3 else { return "" }
    return " (did you mean \(nearest)?)"
  }
}

public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
  public var source: Configuration.Source?
  public var key: String?
  public var message: String

  public var description: String {
    [source.map { "\($0)" }, key, message].compactMap { $0 }.joined(separator: ": ")
  }
}

// MARK: - Typed views used by the daemon

extension Configuration {
  public var dataDirectory: URL {
    let value = self["data_dir"]
    if !value.isEmpty { return URL(fileURLWithPath: value).standardizedFileURL }
    if geteuid() == 0 { return URL(fileURLWithPath: "/var/lib/charter") }
    let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    return URL(fileURLWithPath: home).appendingPathComponent(".local/share/charter")
  }

  /// nil: run the embedded cluster.
  public var databaseURL: String? { self["database.url"].isEmpty ? nil : self["database.url"] }
  public var migrationDatabaseURL: String? {
    self["database.migration_url"].isEmpty ? nil : self["database.migration_url"]
  }
  public var poolSize: Int { Int(self["database.pool_size"]) ?? 10 }
  public func duration(_ key: String) -> Duration { Duration.parse(self[key]) ?? .seconds(0) }
}

// MARK: - Value kinds

extension ConfigurationOption.Kind {
  /// Why `value` is not acceptable, or nil.
  func problem(with value: String) -> String? {
    switch self {
    case .string, .path:
      return value.contains("\0") ? "contains a NUL byte" : nil
    case .url:
      if value.isEmpty { return nil }
      return value.hasPrefix("postgres://") || value.hasPrefix("postgresql://")
        ? nil : "expected a postgres:// URL"
    case .integer(let range):
      guard let number = Int(value) else { return "expected an integer, got \"\(value)\"" }
      return range.contains(number)
        ? nil : "\(number) is outside \(range.lowerBound)...\(range.upperBound)"
    case .duration(let range):
      guard let duration = Duration.parse(value) else {
        return "expected a duration like 500ms, 10s, 5m or 1h, got \"\(value)\""
      }
      return range.contains(duration)
        ? nil
        : "\(value) is outside \(range.lowerBound.compactText)...\(range.upperBound.compactText)"
    case .boolean:
      return ["true", "false"].contains(value) ? nil : "expected true or false, got \"\(value)\""
    case .choice(let choices):
      return choices.contains(value)
        ? nil : "expected one of \(choices.joined(separator: ", ")), got \"\(value)\""
    case .optionalAddress where value.isEmpty:
      return nil
    case .address, .optionalAddress:
      return ListenAddress(value) == nil
        ? "expected HOST:PORT (IPv6 as [::1]:PORT), got \"\(value)\"" : nil
    }
  }
}

/// A listening address: host (IPv4, IPv6 in brackets, or a name) and port.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
  public var host: String
  public var port: UInt16

  public init?(_ text: String) {
    let hostPart: Substring
    let portPart: Substring
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":")
      else {
        return nil
      }
      hostPart = text[text.index(after: text.startIndex)..<close]
      portPart = text[text.index(close, offsetBy: 2)...]
    } else {
      guard let colon = text.lastIndex(of: ":") else { return nil }
      hostPart = text[..<colon]
      portPart = text[text.index(after: colon)...]
      if hostPart.contains(":") { return nil }
    }
    // Port 0 asks the kernel for a free port; the daemon logs the one it got (tests use it).
    guard !hostPart.isEmpty, let port = UInt16(portPart) else { return nil }
    host = String(hostPart)
    self.port = port
  }

  public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension Duration {
  /// "250ms", "10s", "5m", "2h", "3d"; a bare number is seconds.
  static func parse(_ text: String) -> Duration? {
    let units: [(String, Int64)] = [
      ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]
    for (suffix, milliseconds) in units where text.hasSuffix(suffix) {
      guard let number = Int64(text.dropLast(suffix.count)), number >= 0 else { return nil }
      let (product, overflow) = number.multipliedReportingOverflow(by: milliseconds)
      return overflow ? nil : .milliseconds(product)
    }
    guard let seconds = Int64(text), seconds >= 0 else { return nil }
    return .seconds(seconds)
  }

  var compactText: String {
    let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    for (suffix, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
    where milliseconds % size == 0 && milliseconds >= size {
      return "\(milliseconds / size)\(suffix)"
    }
    return "\(milliseconds)ms"
  }
}

/// Levenshtein distance, for "did you mean" hints on short words (keys, commands).
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  if a.isEmpty { return b.count }
  var previous = Array(0...b.count)
  for i in 1...a.count {
    var current = [i] + Array(repeating: 0, count: b.count)
    for j in 1...max(b.count, 1) where !b.isEmpty {
      current[j] = Swift.min(
        previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.count]
}
