/// One word of a request, after quotes and escapes are removed.
public struct RequestWord: Hashable, Sendable {
  /// The text as the handler sees it.
  public var text: String
  /// Whether any part of the word was in double quotes. A quoted word is never a command
  /// word or a `key=value` option: `"ADMIN"` is data.
  public var isQuoted: Bool
  /// For `key=value`: the key (lower-cased), when the word starts with a name and an
  /// unquoted `=`. The value is `optionValue`.
  public var optionKey: String?
  public var optionValue: String?

  public init(
    text: String, isQuoted: Bool = false, optionKey: String? = nil, optionValue: String? = nil
  ) {
    self.text = text
    self.isQuoted = isQuoted
    self.optionKey = optionKey
    self.optionValue = optionValue
  }
}

/// The words of one request line.
public struct ParsedRequest: Hashable, Sendable {
  public var words: [RequestWord]
}

/// Why a request line was refused before its command was looked at.
public struct RequestError: Error, Hashable, Sendable, CustomStringConvertible {
  public let code: StatusCode
  public let message: String

  public init(_ code: StatusCode, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code) \(message)" }
}

/// Splits a request line into words. See `docs/protocol.md`, "Requests".
///
/// - Words are separated by spaces or TABs outside quotes.
/// - `"..."` quotes a part of a word (so `name="中国 联盟"` is one word); inside quotes
///   `\"`, `\\`, `\n`, `\t`, `\r` and `\uXXXX` (with surrogate pairs for characters
///   beyond U+FFFF) are escapes, and any other backslash sequence is an error. Outside
///   quotes a backslash is an ordinary character.
/// - The line must be UTF-8 and hold no control character other than TAB (NUL, CR, ESC,
///   DEL, C1 controls are refused): a control character can only enter an argument written
///   as an escape, on purpose.
/// Positions in messages are 1-based columns counted in Unicode scalars.
public enum RequestParser {
  public static func parse(_ line: [UInt8]) throws(RequestError) -> ParsedRequest {
    let scalars = try decodeUTF8(line)
    if let column = scalars.firstIndex(where: isForbiddenControl) {
      let value = ReplyEncoder.unicodeEscape(scalars[column])
      throw RequestError(.controlCharacter, "control character \(value) at column \(column + 1)")
    }
    var tokenizer = Tokenizer(scalars: scalars)
    let words = try tokenizer.words()
    guard !words.isEmpty else {
      throw RequestError(.emptyRequest, "empty request; try HELP")
    }
    return ParsedRequest(words: words)
  }

  static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar != "\t" && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
  }

  private static func decodeUTF8(_ line: [UInt8]) throws(RequestError) -> [Unicode.Scalar] {
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(line.count)
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = line.makeIterator()
    var offset = 0
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        scalars.append(Unicode.UTF8.decode(encoded))
        offset += encoded.count
      case .error:
        throw RequestError(.invalidUTF8, "invalid UTF-8 at octet \(offset + 1)")
      case .emptyInput:
        return scalars
      }
    }
  }
}

private struct Tokenizer {
  let scalars: [Unicode.Scalar]
  var index = 0

  init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

  mutating func words() throws(RequestError) -> [RequestWord] {
    var words: [RequestWord] = []
    while true {
      while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
      guard index < scalars.count else { return words }
      words.append(try word())
    }
  }

  private mutating func word() throws(RequestError) -> RequestWord {
    var text = String.UnicodeScalarView()
    var isQuoted = false
    // Length of `text` at the first unquoted `=`, if it came before any quoted part.
    var equalsAt: Int?
    var length = 0
    while index < scalars.count, scalars[index] != " ", scalars[index] != "\t" {
      let scalar = scalars[index]
      if scalar == "\"" {
        isQuoted = true
        let added = try quoted(into: &text)
        length += added
        continue
      }
      if scalar == "=", equalsAt == nil, !isQuoted { equalsAt = length }
      text.append(scalar)
      length += 1
      index += 1
    }
    let word = String(text)
    var result = RequestWord(text: word, isQuoted: isQuoted)
    if let equalsAt, equalsAt > 0 {
      let key = String(String.UnicodeScalarView(text.prefix(equalsAt)))
      if Self.isOptionName(key) {
        result.optionKey = key.lowercased()
        result.optionValue = String(String.UnicodeScalarView(text.dropFirst(equalsAt + 1)))
      }
    }
    return result
  }

  /// Reads `"..."` starting at the opening quote; returns the number of scalars added.
  private mutating func quoted(into text: inout String.UnicodeScalarView) throws(RequestError)
    -> Int
  {
    let opening = index
    index += 1
    var added = 0
    while index < scalars.count {
      let scalar = scalars[index]
      index += 1
      if scalar == "\"" { return added }
      if scalar == "\\" {
        text.append(try escape(startingAt: index - 1))
      } else {
        text.append(scalar)
      }
      added += 1
    }
    throw RequestError(.badQuoting, "unterminated quote starting at column \(opening + 1)")
  }

  /// Reads the escape whose backslash is at `start`; `index` is just after the backslash.
  private mutating func escape(startingAt start: Int) throws(RequestError) -> Unicode.Scalar {
    guard index < scalars.count else {
      throw RequestError(.badQuoting, "backslash at the end of the line at column \(start + 1)")
    }
    let letter = scalars[index]
    index += 1
    switch letter {
    case "\"": return "\""
    case "\\": return "\\"
    case "n": return "\n"
    case "t": return "\t"
    case "r": return "\r"
    case "u":
      let first = try hexUnit(escapeAt: start)
      if (0xD800...0xDBFF).contains(first) {
        guard index + 1 < scalars.count, scalars[index] == "\\", scalars[index + 1] == "u" else {
          throw badUnicode(start)
        }
        index += 2
        let second = try hexUnit(escapeAt: start)
        guard (0xDC00...0xDFFF).contains(second),
          let combined = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        else { throw badUnicode(start) }
        return combined
      }
      guard let scalar = Unicode.Scalar(first) else { throw badUnicode(start) }
      return scalar
    default:
      throw RequestError(
        .badQuoting,
        "unknown escape \\\(Character(letter)) at column \(start + 1); use \\\\ for a backslash")
    }
  }

  private mutating func hexUnit(escapeAt start: Int) throws(RequestError) -> UInt32 {
    guard index + 4 <= scalars.count else { throw badUnicode(start) }
    var text = ""
    text.unicodeScalars.append(contentsOf: scalars[index..<(index + 4)])
    guard text.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit),
      let value = UInt32(text, radix: 16)
    else { throw badUnicode(start) }
    index += 4
    return value
  }

  private func badUnicode(_ start: Int) -> RequestError {
    RequestError(
      .badQuoting,
      "bad \\u escape at column \(start + 1): four hex digits, a surrogate pair for characters above U+FFFF"
    )
  }

  /// `[A-Za-z][A-Za-z0-9_-]*`
  static func isOptionName(_ key: String) -> Bool {
    guard let first = key.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else {
      return false
    }
    return key.unicodeScalars.allSatisfy {
      $0.isASCII
        && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_"
          || $0 == "-")
    }
  }
}
