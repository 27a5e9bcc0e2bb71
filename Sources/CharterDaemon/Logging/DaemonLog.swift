import CharterAdminServer
import Foundation
public import Logging
import Synchronization

/// The daemon's log: a swift-log `Logger` with our `DaemonLogHandler` (text on a terminal,
/// JSON lines otherwise). `configure` applies `log.level` and `log.format` (again on reload);
/// `bootstrap` routes other libraries' swift-log loggers to the same handler. Callers never
/// pass secrets; URLs go through `Configuration.masked`.
public enum DaemonLog {
  public struct Settings: Sendable, Equatable {
    public var format: DaemonLogHandler.Format
    public var level: Logger.Level
  }

  private static let settings = Mutex(
    Settings(
      format: .resolve("auto", standardErrorIsTerminal: StandardStreams.standardErrorIsTerminal),
      level: .info))
  private static let bootstrapped = Mutex(false)

  public static var current: Settings { settings.withLock { $0 } }

  /// `log.level` and `log.format` of the configuration; unknown values keep the defaults.
  public static func configure(_ configuration: Configuration) {
    let next = Settings(
      format: .resolve(
        configuration["log.format"],
        standardErrorIsTerminal: StandardStreams.standardErrorIsTerminal),
      level: Logger.Level(rawValue: configuration["log.level"]) ?? .info)
    settings.withLock { $0 = next }
  }

  /// Once per process (swift-log allows one bootstrap): every `Logger(label:)` made after this
  /// writes through `DaemonLogHandler` with the settings current at its creation.
  public static func bootstrap() {
    let first = bootstrapped.withLock { done in
      defer { done = true }
      return !done
    }
    guard first else { return }
    LoggingSystem.bootstrap(
      { label, provider in
        let now = current
        var handler = DaemonLogHandler(label: label, format: now.format, level: now.level)
        handler.metadataProvider = provider
        return handler
      }, metadataProvider: requestFields)
  }

  /// A logger with the current settings, whether or not `bootstrap` ran.
  public static func logger(_ label: String = "charterd") -> Logger {
    let now = current
    return Logger(label: label) { label in
      var handler = DaemonLogHandler(label: label, format: now.format, level: now.level)
      handler.metadataProvider = requestFields
      return handler
    }
  }

  /// Lines logged while an admin command runs carry its session, admin, tenant and request
  /// id (set by the admin server around the handler).
  static let requestFields = Logger.MetadataProvider {
    AdminRequestContext.logFields.mapValues { Logger.MetadataValue.string($0) }
  }

  public static func info(_ message: String, _ metadata: Logger.Metadata = [:]) {
    logger().info("\(message)", metadata: metadata.isEmpty ? nil : metadata)
  }
  public static func warning(_ message: String, _ metadata: Logger.Metadata = [:]) {
    logger().warning("\(message)", metadata: metadata.isEmpty ? nil : metadata)
  }
  public static func error(_ message: String, _ metadata: Logger.Metadata = [:]) {
    logger().error("\(message)", metadata: metadata.isEmpty ? nil : metadata)
  }
  public static func debug(_ message: String, _ metadata: Logger.Metadata = [:]) {
    logger().debug("\(message)", metadata: metadata.isEmpty ? nil : metadata)
  }
}
