/// The final line of every reply.
public enum ReplyStatus: Hashable, Sendable {
  /// `OK <message>`.
  case ok(String)
  /// `ERR <CODE> <message>`: the request failed; the session goes on.
  case error(StatusCode, String)
  /// `BYE <CODE> <message>`: the server closes the connection after this line. It ends the
  /// reply to the request in flight, or stands alone when the server closes between
  /// requests (a timeout, a shutdown); requests sent after it get no reply.
  case bye(StatusCode, String)

  public var message: String {
    switch self {
    case .ok(let message), .error(_, let message), .bye(_, let message): message
    }
  }

  public var code: StatusCode? {
    switch self {
    case .ok: nil
    case .error(let code, _), .bye(let code, _): code
    }
  }

  public var isOK: Bool {
    if case .ok = self { true } else { false }
  }
}

/// One reply: data lines, then exactly one status line.
///
/// The data is a table: `columns` names the fields of every row. A reply of free text (HELP,
/// messages) has no columns and one field per row. Values are any Unicode text; the encoder
/// escapes what would break a line.
public struct Reply: Hashable, Sendable {
  public var columns: [String]
  public var rows: [[String]]
  public var status: ReplyStatus

  public init(columns: [String] = [], rows: [[String]] = [], status: ReplyStatus) {
    self.columns = columns
    self.rows = rows
    self.status = status
  }

  public static func ok(_ message: String = "") -> Reply { Reply(status: .ok(message)) }

  public static func error(_ code: StatusCode, _ message: String) -> Reply {
    Reply(status: .error(code, message))
  }

  /// A reply of free-text lines.
  public static func text(_ lines: [String], status: ReplyStatus) -> Reply {
    Reply(rows: lines.map { [$0] }, status: status)
  }

  /// A table; each row must have as many fields as there are columns.
  public static func table(columns: [String], rows: [[String]], status: ReplyStatus) -> Reply {
    Reply(columns: columns, rows: rows, status: status)
  }
}

/// How replies are written: text lines for people, JSON lines for scripts (`MODE JSON`).
public enum ReplyMode: String, Hashable, Sendable, CaseIterable {
  case text = "TEXT"
  case json = "JSON"
}
