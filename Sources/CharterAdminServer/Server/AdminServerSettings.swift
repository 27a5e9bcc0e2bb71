public import CharterProtocol

/// Everything the admin server needs besides its TLS context, handlers and audit sink.
/// Defaults and their reasons are in docs/architecture.md ("Admin server").
public struct AdminServerSettings: Sendable {
  /// Host to bind: an IPv4 or IPv6 literal (without brackets) or a name.
  public var host: String
  /// 0 picks a free port (tests); `AdminServer.port` tells which.
  public var port: UInt16
  /// The limits each session enforces; the server drives their timers.
  public var limits: SessionLimits
  /// Sessions open at once, all addresses together. Past it new connections are refused.
  /// 4,096: four times the 1,000 and still a few hundred MiB of TLS state at most.
  public var maxSessions: Int
  /// Sessions open at once from one client address (Postfix
  /// `smtpd_client_connection_count_limit`, RELIABILITY P5). 32: a person runs a few
  /// shells and scripts; one address should never exhaust the global cap.
  public var maxSessionsPerAddress: Int
  /// How long SIGTERM waits for sessions to finish their command and say goodbye.
  public var shutdownGrace: Duration

  public init(
    host: String = "127.0.0.1", port: UInt16 = 7433, limits: SessionLimits = .default,
    maxSessions: Int = 4_096, maxSessionsPerAddress: Int = 32,
    shutdownGrace: Duration = .seconds(10)
  ) {
    self.host = host
    self.port = port
    self.limits = limits
    self.maxSessions = maxSessions
    self.maxSessionsPerAddress = maxSessionsPerAddress
    self.shutdownGrace = shutdownGrace
  }
}

/// How the server reports what happens (the daemon passes its own log).
public enum AdminServerLogLevel: Sendable {
  case debug, info, warning, error
}

/// A log line: its level, message and fields. Lines about a session carry `session` (its
/// id), `address`, and once known `admin` (the login name) and `tenant` (the slug); lines
/// about a command also `request` (session id and the command's number in the session) and
/// `command` (its name: arguments, which may hold a password, are never logged).
public typealias AdminServerLog =
  @Sendable (AdminServerLogLevel, String, [String: String]) ->
  Void

/// The fields of the command a task is running for. The server sets them around each
/// handler (and each call of the audit sink), so lines that code logs (through a log that
/// reads them, as the daemon's does) carry the same session, admin, tenant and request as the
/// server's own lines.
public enum AdminRequestContext {
  @TaskLocal public static var logFields: [String: String] = [:]
}
