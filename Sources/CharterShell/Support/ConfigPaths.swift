#if canImport(Glibc)
  import Glibc
#endif

/// Where the shell keeps its files: `$XDG_CONFIG_HOME/charter/`, else
/// `~/.config/charter/` (the XDG Base Directory default).
public struct ConfigPaths: Hashable, Sendable {
  public let directory: String

  public init(directory: String) { self.directory = directory }

  /// From the environment; nil when neither XDG_CONFIG_HOME, HOME nor the password
  /// database names a home.
  public init?(environment: [String: String]) {
    if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
      directory = xdg + "/charter"
    } else if let home = environment["HOME"], home.hasPrefix("/") {
      directory = home + "/.config/charter"
    } else if let entry = getpwuid(getuid()), let home = entry.pointee.pw_dir {
      directory = String(cString: home) + "/.config/charter"
    } else {
      return nil
    }
  }

  public var knownHosts: String { directory + "/known_hosts" }
  public var history: String { directory + "/history" }
}
