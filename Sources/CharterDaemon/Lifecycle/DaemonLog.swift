import Foundation

/// The daemon's log until structured logging (swift-log, JSON lines) arrives with the
/// operations work: one line per event on stderr, UTC timestamp first. Callers never pass
/// secrets; URLs go through `Configuration.masked`.
public enum DaemonLog {
  public static func info(_ message: String) { write("info", message) }
  public static func warning(_ message: String) { write("warning", message) }
  public static func error(_ message: String) { write("error", message) }

  private static func write(_ level: String, _ message: String) {
    let stamp = Date().formatted(.iso8601)
    let line = "\(stamp) \(level) \(message)\n"
    StandardStreams.writeError(line)
  }
}
