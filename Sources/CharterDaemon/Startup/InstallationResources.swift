public import Foundation

/// Finds the files an installation ships beside the binary: `Config/` (calendar data,
/// charter profiles) and `SQL/` (migrations). In a checkout the binary sits in
/// `.build/<configuration>/`, so walking up from it finds the checkout's folders; a packaged
/// installation keeps configuration in /etc/charter and the rest in /usr/share/charter.
struct InstallationResources {
  enum Root {
    /// `Config/` of a checkout; `$CHARTER_CONFIG_DIR`, /etc/charter or /usr/share/charter.
    case config
    /// `SQL/` of a checkout; /usr/share/charter/SQL.
    case sql
  }

  var environment: [String: String] = ProcessInfo.processInfo.environment
  var executable: URL? = Self.currentExecutable()

  /// Where `relativePath` under `root` is looked for, in order.
  func candidates(_ root: Root, _ relativePath: String) -> [URL] {
    func join(_ base: String, _ tail: String) -> URL {
      URL(fileURLWithPath: base).appendingPathComponent(tail)
    }
    var found: [URL] = []
    let checkoutFolder = root == .config ? "Config" : "SQL"
    if root == .config, let configDirectory = environment["CHARTER_CONFIG_DIR"],
      !configDirectory.isEmpty
    {
      found.append(join(configDirectory, relativePath))
    }
    if let executable {
      var directory = executable.deletingLastPathComponent().standardizedFileURL
      while true {
        found.append(
          directory.appendingPathComponent(checkoutFolder).appendingPathComponent(relativePath))
        let parent = directory.deletingLastPathComponent().standardizedFileURL
        if parent.path == directory.path { break }
        directory = parent
      }
    }
    switch root {
    case .config:
      found.append(join("/etc/charter", relativePath))
      found.append(join("/usr/share/charter", relativePath))
    case .sql:
      found.append(join("/usr/share/charter/SQL", relativePath))
    }
    return found.map(\.standardizedFileURL)
  }

  func locate(_ root: Root, _ relativePath: String) -> URL? {
    candidates(root, relativePath).first { FileManager.default.fileExists(atPath: $0.path) }
  }

  /// The running binary, symlinks resolved, so a checkout's `.build/debug/charterd` finds
  /// the checkout's folders.
  static func currentExecutable() -> URL? {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: resolved)
    }
    return Bundle.main.executableURL?.resolvingSymlinksInPath()
  }

  public struct NotFound: Error, CustomStringConvertible {
    public var what: String
    public var firstPlaces: [String]
    public var description: String {
      "cannot find \(what) (looked in \(firstPlaces.joined(separator: ", ")), …); name it in the configuration"
    }
  }
}

extension Configuration {
  /// The migrations folder: configured, or SQL/ of the installation.
  public func migrationsDirectory() throws -> URL {
    let configured = self["database.migrations"]
    if !configured.isEmpty { return URL(fileURLWithPath: configured) }
    let resources = InstallationResources()
    guard let found = resources.locate(.sql, "") else {
      throw InstallationResources.NotFound(
        what: "the SQL migrations folder",
        firstPlaces: resources.candidates(.sql, "").prefix(2).map(\.path))
    }
    return found
  }
}
