import Foundation

/// Where `charterd calendar` looks for the statutory calendar when no `--calendar` is given:
/// $CHARTER_CONFIG_DIR/calendar, then a `Config/calendar` folder in the executable's directory
/// or any parent (a source checkout), then /etc/charter/calendar, /usr/share/charter/calendar.
struct CalendarFileLocator {
  static let fileName = "cn-statutory.toml"

  var environment: [String: String]
  var executable: URL?

  func candidates() -> [URL] {
    var found: [URL] = []
    if let configDirectory = environment["CHARTER_CONFIG_DIR"], !configDirectory.isEmpty {
      found.append(
        URL(fileURLWithPath: configDirectory).appendingPathComponent("calendar/\(Self.fileName)"))
    }
    if let executable {
      var directory = executable.deletingLastPathComponent().standardizedFileURL
      while true {
        found.append(directory.appendingPathComponent("Config/calendar/\(Self.fileName)"))
        let parent = directory.deletingLastPathComponent().standardizedFileURL
        if parent.path == directory.path { break }
        directory = parent
      }
    }
    found.append(URL(fileURLWithPath: "/etc/charter/calendar/\(Self.fileName)"))
    found.append(URL(fileURLWithPath: "/usr/share/charter/calendar/\(Self.fileName)"))
    return found
  }

  func locate() -> URL? {
    candidates().first { FileManager.default.fileExists(atPath: $0.path) }
  }

  /// The running binary, symlinks resolved, so a checkout's `.build/debug/charterd` finds
  /// the checkout's Config folder.
  static func currentExecutable() -> URL? {
    let proc = URL(fileURLWithPath: "/proc/self/exe")
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: proc.path) {
      return URL(fileURLWithPath: resolved)
    }
    return Bundle.main.executableURL?.resolvingSymlinksInPath()
  }
}
