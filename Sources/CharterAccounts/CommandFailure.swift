import CharterPostgres
public import CharterProtocol

/// A command that ends with an error reply. `target` says which audit log records it when
/// the command already knew (otherwise the caller's scope decides); `auditCommand` replaces
/// the invocation's own audit text when a handler redacts more than the secret arguments
/// (a URL's user info and query values).
public struct CommandFailure: Error {
  public var code: StatusCode
  public var message: String
  var target: AuditTarget?
  var auditCommand: String?

  init(_ code: StatusCode, _ message: String, target: AuditTarget? = nil) {
    self.code = code
    self.message = message
    self.target = target
  }

  public var reply: Reply { .error(code, message) }

  /// The one answer to every failed login (RELIABILITY A3): unknown name, unknown tenant,
  /// wrong password, disabled or locked account, refused certificate.
  static let authenticationFailed = CommandFailure(
    .authenticationFailed, "wrong name or password")

  static func noAdministrator(_ name: String) -> CommandFailure {
    CommandFailure(
      .notFound, "no administrator \(String(name.prefix(64)))")
  }

  /// A database or other unexpected error, as the client sees it; the details go to the log.
  static func from(_ error: any Error, log: @Sendable (String) -> Void) -> CommandFailure {
    if let failure = error as? CommandFailure { return failure }
    if let postgres = error as? PostgresError {
      switch postgres.kind {
      case .connection, .poolTimeout, .timeout, .closed:
        log("accounts: database unavailable: \(postgres)")
        return CommandFailure(.unavailable, "the database is unavailable; retry later")
      default:
        break
      }
    }
    log("accounts: internal error: \(error)")
    return CommandFailure(.internalError, "internal error; the server log has the details")
  }
}
