/// An error from PostgreSQL or from talking to it. Server errors carry the fields the server
/// sent (SQLSTATE, message, detail, constraint, ...); the code is read from the server, never
/// chosen by us. `description` is safe to log: it never contains parameter values or the
/// server's DETAIL (which may quote row values), only kind, SQLSTATE, the message with its
/// quoted spans masked, and constraint/table/column names. `message` and `detail` themselves
/// may quote values: do not log them.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
  public enum Kind: String, Sendable, Equatable {
    /// The server rejected a statement; see `sqlState`.
    case server
    /// The connection is broken or the server unreachable.
    case connection
    /// A statement or connect timeout fired.
    case timeout
    /// The server or libpq answered something we did not expect.
    case `protocol`
    /// The pool had no connection to hand out within its acquisition timeout.
    case poolTimeout
    /// The task was cancelled while it waited for a pooled connection or ran a statement
    /// (which was then cancelled on the server, SQLSTATE 57014).
    case cancelled
    /// The connection, pool or listener was closed.
    case closed
    /// The API was used in a way it does not allow (bad URL, COMMIT of an aborted transaction, ...).
    case misuse
  }

  public var kind: Kind
  public var sqlState: String?
  public var message: String
  public var detail: String?
  public var hint: String?
  public var constraint: String?
  public var table: String?
  public var column: String?

  public init(
    kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil,
    hint: String? = nil,
    constraint: String? = nil, table: String? = nil, column: String? = nil
  ) {
    self.kind = kind
    self.sqlState = sqlState
    self.message = message
    self.detail = detail
    self.hint = hint
    self.constraint = constraint
    self.table = table
    self.column = column
  }

  /// True for serialization failures and deadlocks (SQLSTATE 40001, 40P01): the transaction
  /// can be retried as a whole, see `withSerializationRetry`.
  public var isSerializationFailure: Bool {
    sqlState == PostgresSQLState.serializationFailure
      || sqlState == PostgresSQLState.deadlockDetected
  }

  /// True for 23505.
  public var isUniqueViolation: Bool { sqlState == PostgresSQLState.uniqueViolation }

  public var description: String {
    var text = "PostgresError(\(kind.rawValue)"
    if let sqlState { text += ", sqlstate \(sqlState)" }
    text += "): \(Self.redactingQuotedText(message))"
    if let constraint { text += " [constraint \(constraint)]" }
    if let table { text += " [table \(table)]" }
    if let column { text += " [column \(column)]" }
    return text
  }
}

extension PostgresError {
  /// Server messages quote offending input (`invalid input syntax for type integer: "..."`);
  /// names that matter come in their own fields, so every quoted span is masked.
  static func redactingQuotedText(_ message: String) -> String {
    var result = ""
    var insideQuotes = false
    for character in message {
      if character == "\"" {
        result.append(character)
        if !insideQuotes { result += "…" }
        insideQuotes.toggle()
      } else if !insideQuotes {
        result.append(character)
      }
    }
    return result
  }
}

/// SQLSTATE codes this module and its callers test for (PostgreSQL appendix A).
public enum PostgresSQLState {
  public static let uniqueViolation = "23505"
  public static let foreignKeyViolation = "23503"
  public static let checkViolation = "23514"
  public static let notNullViolation = "23502"
  public static let serializationFailure = "40001"
  public static let deadlockDetected = "40P01"
  public static let queryCanceled = "57014"
  public static let inFailedTransaction = "25P02"
  /// A prepared statement's name that the server does not know (DEALLOCATE, DISCARD ALL).
  public static let invalidStatementName = "26000"
  /// Among others "cached plan must not change result type", after a schema change.
  public static let featureNotSupported = "0A000"
}

extension PostgresError {
  static func misuse(_ message: String) -> PostgresError {
    PostgresError(kind: .misuse, message: message)
  }

  static let closed = PostgresError(kind: .closed, message: "the connection is closed")
}
