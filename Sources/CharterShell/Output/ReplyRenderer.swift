public import CharterProtocol

/// What to print for one reply: data and success messages on standard output, errors on
/// standard error (so a script's output holds only data).
public struct RenderedReply: Hashable, Sendable {
  public var standardOutput: String
  public var standardError: String

  public init(standardOutput: String = "", standardError: String = "") {
    self.standardOutput = standardOutput
    self.standardError = standardError
  }
}

/// Turns replies into text for people (aligned tables) or JSON lines for scripts.
public enum ReplyRenderer {
  /// For people: a table when the reply has columns, its lines when it is free text, then
  /// the status message. `ERR` and `BYE` go to standard error with their code.
  public static func human(_ reply: Reply) -> RenderedReply {
    var lines: [String]
    if reply.columns.isEmpty {
      lines = reply.rows.map {
        $0.map(TerminalText.visible).joined(separator: TableRenderer.columnGap)
      }
    } else {
      lines = TableRenderer.lines(columns: reply.columns, rows: reply.rows)
    }
    var rendered = RenderedReply()
    switch reply.status {
    case .ok(let message):
      if !message.isEmpty {
        lines.append(TerminalText.visible(message))
      } else if lines.isEmpty {
        lines.append("OK")
      }
    case .error(let code, let message):
      rendered.standardError = statusLine("ERR", code, message) + "\n"
    case .bye(let code, let message):
      rendered.standardError =
        statusLine("BYE", code, message) + "\n" + "the server closed the connection\n"
    }
    rendered.standardOutput = lines.map { $0 + "\n" }.joined()
    return rendered
  }

  /// For scripts: the protocol's JSON lines (docs/protocol.md, "JSON lines"), every line
  /// on standard output, the status line last.
  public static func json(_ reply: Reply) -> RenderedReply {
    RenderedReply(
      standardOutput: String(decoding: ReplyEncoder.encode(reply, mode: .json), as: UTF8.self))
  }

  private static func statusLine(_ word: String, _ code: StatusCode, _ message: String) -> String {
    message.isEmpty
      ? "\(word) \(code.rawValue)" : "\(word) \(code.rawValue) \(TerminalText.visible(message))"
  }
}
