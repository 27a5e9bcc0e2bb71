/// The code of an error or goodbye status line: an upper-case word such as `UNKNOWN_COMMAND`.
///
/// A struct, not an enum, so later issues and handlers add codes without touching the wire
/// format (the SQLSTATE idea: the code is data). The codes the protocol layer itself uses
/// are the static members below; `docs/protocol.md` lists them all.
public struct StatusCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: String

  /// Accepts only `A`–`Z`, `0`–`9` and `_`, starting with a letter, at most 32 characters,
  /// so a code is always one word on the wire.
  public init?(rawValue: String) {
    guard Self.isValid(rawValue) else { return nil }
    self.rawValue = rawValue
  }

  private init(known: String) { rawValue = known }

  public var description: String { rawValue }

  static func isValid(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard let first = bytes.first, bytes.count <= 32,
      (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first)
    else { return false }
    return bytes.allSatisfy { byte in
      (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }
  }

  // Request errors: the line or its words are wrong.
  public static let lineTooLong = StatusCode(known: "LINE_TOO_LONG")
  public static let invalidUTF8 = StatusCode(known: "INVALID_UTF8")
  public static let controlCharacter = StatusCode(known: "CONTROL_CHARACTER")
  public static let badQuoting = StatusCode(known: "BAD_QUOTING")
  public static let emptyRequest = StatusCode(known: "EMPTY_REQUEST")
  public static let unknownCommand = StatusCode(known: "UNKNOWN_COMMAND")
  public static let badArguments = StatusCode(known: "BAD_ARGUMENTS")
  // Access.
  public static let notLoggedIn = StatusCode(known: "NOT_LOGGED_IN")
  public static let forbidden = StatusCode(known: "FORBIDDEN")
  public static let authenticationFailed = StatusCode(known: "AUTH_FAILED")
  public static let noTenantSelected = StatusCode(known: "NO_TENANT_SELECTED")
  // Outcomes of handlers.
  public static let notFound = StatusCode(known: "NOT_FOUND")
  public static let conflict = StatusCode(known: "CONFLICT")
  /// The charter refuses: the message cites the article (e.g. "AITISA art. 4.1").
  public static let refused = StatusCode(known: "REFUSED")
  public static let unavailable = StatusCode(known: "UNAVAILABLE")
  public static let internalError = StatusCode(known: "INTERNAL")
  // Goodbyes (the server closes after them).
  public static let shuttingDown = StatusCode(known: "SHUTTING_DOWN")
  public static let timeout = StatusCode(known: "TIMEOUT")
  public static let tooManyErrors = StatusCode(known: "TOO_MANY_ERRORS")
  public static let budgetExceeded = StatusCode(known: "BUDGET_EXCEEDED")

  /// Codes that count towards the session's error limits (RELIABILITY P5): the client sent
  /// something invalid or failed to authenticate. A `NOT_FOUND` from a handler is an
  /// ordinary answer and does not count.
  public var countsAsClientError: Bool {
    Self.clientErrors.contains(self)
  }

  private static let clientErrors: Set<StatusCode> = [
    .lineTooLong, .invalidUTF8, .controlCharacter, .badQuoting, .unknownCommand, .badArguments,
    .notLoggedIn, .forbidden, .authenticationFailed,
  ]
}
