/// Writes request lines (the shell and the tests use it): the inverse of `RequestParser`.
public enum RequestEncoder {
  /// One request line, LF-terminated: the command words as they are, every argument
  /// quoted when it needs to be.
  public static func line(
    command: [String], arguments: [String] = [], options: [(String, String)] = []
  )
    -> [UInt8]
  {
    let words = command + arguments.map(quote) + options.map { "\($0.0)=\(quote($0.1))" }
    return Array((words.joined(separator: " ") + "\n").utf8)
  }

  /// The argument as one word: unchanged when that is safe, else in double quotes with
  /// `"`, `\` and control characters escaped. Words holding `=` are quoted so that they
  /// are never taken for an option.
  public static func quote(_ argument: String) -> String {
    let needsQuotes =
      argument.isEmpty
      || argument.unicodeScalars.contains {
        $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "\\" || $0 == "="
          || RequestParser.isForbiddenControl($0)
      }
    guard needsQuotes else { return argument }
    var out = "\""
    for scalar in argument.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if RequestParser.isForbiddenControl(scalar) {
          out += ReplyEncoder.unicodeEscape(scalar)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
