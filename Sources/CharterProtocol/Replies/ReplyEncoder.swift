/// Writes replies as bytes on the wire. See `docs/protocol.md`, "Replies".
///
/// Text mode: `# ` header, `* ` rows (fields separated by TAB), then `OK`, `ERR` or `BYE`.
/// Every field and message is escaped so it can hold no LF, CR, TAB or other control
/// character: a value can neither split a line nor look like a status line, because a data
/// line always starts with `*` or `#`.
///
/// JSON mode: one object per line whose first key says what it is: `columns`, `row`,
/// `text`, `fields`, or `status` for the final line.
public enum ReplyEncoder {
  public static func encode(_ reply: Reply, mode: ReplyMode) -> [UInt8] {
    var out = ""
    switch mode {
    case .text: encodeText(reply, into: &out)
    case .json: encodeJSON(reply, into: &out)
    }
    return Array(out.utf8)
  }

  /// Only the status line (used for a goodbye between requests).
  public static func encode(status: ReplyStatus, mode: ReplyMode) -> [UInt8] {
    encode(Reply(status: status), mode: mode)
  }

  // MARK: Text

  private static func encodeText(_ reply: Reply, into out: inout String) {
    if !reply.columns.isEmpty {
      out += "# " + reply.columns.map(escapeField).joined(separator: "\t") + "\n"
    }
    for row in reply.rows {
      out += "* " + row.map(escapeField).joined(separator: "\t") + "\n"
    }
    switch reply.status {
    case .ok(let message):
      out += message.isEmpty ? "OK" : "OK " + escapeField(message)
    case .error(let code, let message):
      out += "ERR " + code.rawValue + (message.isEmpty ? "" : " " + escapeField(message))
    case .bye(let code, let message):
      out += "BYE " + code.rawValue + (message.isEmpty ? "" : " " + escapeField(message))
    }
    out += "\n"
  }

  /// Backslash escapes for `\`, TAB, LF, CR; `\uXXXX` for every other control character
  /// (C0, DEL, C1) and for U+2028/U+2029, which some terminals and JSON tools treat as line
  /// breaks.
  public static func escapeField(_ value: String) -> String {
    // Most fields need no escape (a register export writes 1.5 million): return them as they
    // are unless a byte could start something to escape — a control byte, `\`, DEL, or the
    // lead byte of U+0080…U+00BF (C1) or U+2000…U+2FFF (U+2028, U+2029).
    guard
      value.utf8.contains(where: {
        $0 < 0x20 || $0 == 0x5C || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2
      })
    else { return value }
    var out = ""
    out.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "\t": out += "\\t"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      default:
        if needsUnicodeEscape(scalar) {
          out += unicodeEscape(scalar)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  static func needsUnicodeEscape(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
      || scalar.value == 0x2029
  }

  static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }

  // MARK: JSON

  private static func encodeJSON(_ reply: Reply, into out: inout String) {
    if !reply.columns.isEmpty {
      out += "{\"columns\":[" + reply.columns.map(jsonString).joined(separator: ",") + "]}\n"
      for row in reply.rows {
        let members = zip(reply.columns, paddedRow(row, to: reply.columns.count)).map {
          jsonString($0) + ":" + jsonString($1)
        }
        out += "{\"row\":{" + members.joined(separator: ",") + "}}\n"
      }
    } else {
      for row in reply.rows {
        if row.count <= 1 {
          out += "{\"text\":" + jsonString(row.first ?? "") + "}\n"
        } else {
          out += "{\"fields\":[" + row.map(jsonString).joined(separator: ",") + "]}\n"
        }
      }
    }
    switch reply.status {
    case .ok(let message):
      out += "{\"status\":\"ok\",\"message\":" + jsonString(message) + "}\n"
    case .error(let code, let message):
      out +=
        "{\"status\":\"error\",\"code\":\"" + code.rawValue + "\",\"message\":"
        + jsonString(message) + "}\n"
    case .bye(let code, let message):
      out +=
        "{\"status\":\"bye\",\"code\":\"" + code.rawValue + "\",\"message\":"
        + jsonString(message) + "}\n"
    }
  }

  /// A row shorter than the columns is padded with empty strings, a longer one truncated,
  /// so every JSON row has exactly the declared keys.
  private static func paddedRow(_ row: [String], to count: Int) -> [String] {
    row.count >= count
      ? Array(row.prefix(count)) : row + Array(repeating: "", count: count - row.count)
  }

  /// A JSON string (RFC 8259): quotes, backslash and control characters escaped; U+2028 and
  /// U+2029 escaped too so a line is also valid JavaScript. Other text stays UTF-8.
  public static func jsonString(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
          out += unicodeEscape(scalar)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
