import Foundation

/// Strings, numbers, booleans and dates.
extension TOMLParser {
  // MARK: - Strings

  static func isControl(_ b: UInt8) -> Bool { (b < 0x20 && b != 0x09) || b == 0x7F }

  mutating func parseBasicString(keyPath: [String]? = nil) throws(TOMLError) -> String {
    let start = mark
    index += 1
    var out: [UInt8] = []
    while true {
      guard let b = peek(), b != 0x0A, b != 0x0D else {
        throw error(
          "unterminated string (a \"...\" string must end on the same line)", at: start,
          key: keyPath)
      }
      if b == UInt8(ascii: "\"") {
        index += 1
        return String(decoding: out, as: UTF8.self)
      }
      if b == UInt8(ascii: "\\") {
        try parseEscape(into: &out, keyPath: keyPath)
        continue
      }
      if Self.isControl(b) { throw error("control character in a string", key: keyPath) }
      out.append(b)
      index += 1
    }
  }

  /// At a run of three or more `quote`s (the first is `b`, already peeked): consumes it and
  /// returns the finished string. TOML 1.0 lets one or two quotes end the content, so a run
  /// of up to five closes the string with the extra quotes kept; nil when not at a closing run.
  mutating func finishMultilineString(
    quote: UInt8, _ b: UInt8, _ out: inout [UInt8], keyPath: [String]
  ) throws(TOMLError) -> String? {
    guard b == quote, peek(1) == quote, peek(2) == quote else { return nil }
    var quotes = 0
    while peek() == quote {
      quotes += 1
      index += 1
    }
    guard quotes <= 5 else { throw error("too many quotes closing a string", key: keyPath) }
    out.append(contentsOf: repeatElement(quote, count: quotes - 3))
    return String(decoding: out, as: UTF8.self)
  }

  mutating func parseMultilineBasicString(keyPath: [String]) throws(TOMLError) -> String {
    let start = mark
    index += 3
    _ = try takeNewline()
    var out: [UInt8] = []
    while true {
      guard let b = peek() else {
        throw error("unterminated multi-line string", at: start, key: keyPath)
      }
      if let finished = try finishMultilineString(
        quote: UInt8(ascii: "\""), b, &out, keyPath: keyPath)
      {
        return finished
      }
      if b == UInt8(ascii: "\\") {
        // A backslash ending a line trims the line break and the blanks after it.
        var probe = index + 1
        while probe < bytes.count && (bytes[probe] == 0x20 || bytes[probe] == 0x09) { probe += 1 }
        if probe < bytes.count && (bytes[probe] == 0x0A || bytes[probe] == 0x0D) {
          index = probe
          while true {
            skipSpaces()
            if try !takeNewline() { break }
          }
          continue
        }
        try parseEscape(into: &out, keyPath: keyPath)
        continue
      }
      if try takeNewline() {
        out.append(0x0A)
        continue
      }
      if Self.isControl(b) { throw error("control character in a string", key: keyPath) }
      out.append(b)
      index += 1
    }
  }

  mutating func parseLiteralString(keyPath: [String]? = nil) throws(TOMLError) -> String {
    let start = mark
    index += 1
    let from = index
    while true {
      guard let b = peek(), b != 0x0A, b != 0x0D else {
        throw error(
          "unterminated string (a '...' string must end on the same line)", at: start, key: keyPath)
      }
      if b == UInt8(ascii: "'") {
        let text = String(decoding: bytes[from..<index], as: UTF8.self)
        index += 1
        return text
      }
      if Self.isControl(b) { throw error("control character in a string", key: keyPath) }
      index += 1
    }
  }

  mutating func parseMultilineLiteralString(keyPath: [String]) throws(TOMLError) -> String {
    let start = mark
    index += 3
    _ = try takeNewline()
    var out: [UInt8] = []
    while true {
      guard let b = peek() else {
        throw error("unterminated multi-line string", at: start, key: keyPath)
      }
      if let finished = try finishMultilineString(
        quote: UInt8(ascii: "'"), b, &out, keyPath: keyPath)
      {
        return finished
      }
      if try takeNewline() {
        out.append(0x0A)
        continue
      }
      if Self.isControl(b) { throw error("control character in a string", key: keyPath) }
      out.append(b)
      index += 1
    }
  }

  private mutating func parseEscape(into out: inout [UInt8], keyPath: [String]?) throws(TOMLError) {
    let start = mark
    index += 1
    guard let code = peek() else { throw error("unterminated string", at: start, key: keyPath) }
    index += 1
    let simple: UInt8?
    switch code {
    case UInt8(ascii: "b"): simple = 0x08
    case UInt8(ascii: "t"): simple = 0x09
    case UInt8(ascii: "n"): simple = 0x0A
    case UInt8(ascii: "f"): simple = 0x0C
    case UInt8(ascii: "r"): simple = 0x0D
    case UInt8(ascii: "\""): simple = 0x22
    case UInt8(ascii: "\\"): simple = 0x5C
    case UInt8(ascii: "u"), UInt8(ascii: "U"): simple = nil
    default:
      let shown = code >= 0x20 && code < 0x7F ? String(UnicodeScalar(code)) : "\\u{\(code)}"
      throw error(
        "invalid escape sequence '\\\(shown)' (allowed: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)",
        at: start, key: keyPath)
    }
    if let simple {
      out.append(simple)
      return
    }
    let digits = code == UInt8(ascii: "u") ? 4 : 8
    guard index + digits <= bytes.count,
      let value = UInt32(String(decoding: bytes[index..<index + digits], as: UTF8.self), radix: 16),
      bytes[index..<index + digits].allSatisfy({
        $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-")
      })
    else {
      throw error(
        "invalid escape sequence: \\\(UnicodeScalar(code)) needs \(digits) hex digits", at: start,
        key: keyPath)
    }
    guard let scalar = Unicode.Scalar(value) else {
      throw error(
        "invalid escape sequence: U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value",
        at: start, key: keyPath)
    }
    index += digits
    out.append(contentsOf: Array(String(Character(scalar)).utf8))
  }

  // MARK: - Scalars

  static func isTokenByte(_ b: UInt8) -> Bool {
    isBareKeyByte(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":")
  }

  mutating func parseScalar(keyPath: [String]) throws(TOMLError) -> TOMLValue {
    let start = mark
    let from = index
    while let b = peek(), Self.isTokenByte(b) { index += 1 }
    // A date-time may separate date and time with a space: "1979-05-27 07:32:00Z".
    if index - from == 10, bytes[from + 4] == UInt8(ascii: "-"), peek() == 0x20,
      let next = peek(1), next >= 0x30 && next <= 0x39
    {
      index += 1
      while let b = peek(), Self.isTokenByte(b) { index += 1 }
    }
    let token = String(decoding: bytes[from..<index], as: UTF8.self)
    guard !token.isEmpty else {
      throw error("expected a value (string, number, boolean, date, array or table)", key: keyPath)
    }
    switch token {
    case "true": return .bool(true)
    case "false": return .bool(false)
    case "inf", "+inf": return .float(.infinity)
    case "-inf": return .float(-.infinity)
    case "nan", "+nan", "-nan": return .float(.nan)
    default: break
    }
    let utf8 = Array(token.utf8)
    if utf8.count >= 10 && utf8[4] == UInt8(ascii: "-") && utf8[0...3].allSatisfy(Self.isDigit) {
      return try parseDateTime(utf8, at: start, keyPath: keyPath)
    }
    if utf8.count >= 5 && utf8[2] == UInt8(ascii: ":") && utf8[0...1].allSatisfy(Self.isDigit) {
      throw error("local times are not supported", at: start, key: keyPath)
    }
    return try parseNumber(token, at: start, keyPath: keyPath)
  }

  static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
  static func isHexDigit(_ b: UInt8) -> Bool {
    isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
  }

  /// Digits with single underscores between them; nil when malformed.
  static func digits(_ text: Substring, allowed: (UInt8) -> Bool) -> String? {
    guard let first = text.utf8.first, let last = text.utf8.last, first != 0x5F, last != 0x5F else {
      return nil
    }
    var out = ""
    var previousUnderscore = false
    for b in text.utf8 {
      if b == 0x5F {
        if previousUnderscore { return nil }
        previousUnderscore = true
        continue
      }
      guard allowed(b) else { return nil }
      previousUnderscore = false
      out.unicodeScalars.append(UnicodeScalar(b))
    }
    return out
  }

  private func parseNumber(_ token: String, at start: Mark, keyPath: [String]) throws(TOMLError)
    -> TOMLValue
  {
    let invalid = error("invalid value '\(token)'", at: start, key: keyPath)
    for (prefix, radix, allowed) in [
      ("0x", 16, Self.isHexDigit), ("0o", 8, { (b: UInt8) in b >= 0x30 && b <= 0x37 }),
      ("0b", 2, { (b: UInt8) in b == 0x30 || b == 0x31 }),
    ] as [(String, Int, (UInt8) -> Bool)] where token.hasPrefix(prefix) {
      guard let text = Self.digits(token.dropFirst(2), allowed: allowed) else { throw invalid }
      guard let value = Int64(text, radix: radix) else {
        throw error("integer out of range: \(token)", at: start, key: keyPath)
      }
      return .integer(value)
    }
    var body = Substring(token)
    var sign = ""
    if let first = body.first, first == "+" || first == "-" {
      sign = first == "-" ? "-" : ""
      body = body.dropFirst()
    }
    // Split into integer part, fraction and exponent.
    var integerPart = body
    var fraction: Substring?
    var exponent: Substring?
    if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exponent = body[body.index(after: e)...]
      integerPart = body[..<e]
    }
    if let dot = integerPart.firstIndex(of: ".") {
      fraction = integerPart[integerPart.index(after: dot)...]
      integerPart = integerPart[..<dot]
    }
    guard let intDigits = Self.digits(integerPart, allowed: Self.isDigit) else { throw invalid }
    if intDigits.count > 1 && intDigits.hasPrefix("0") {
      throw error("leading zeros are not allowed: \(token)", at: start, key: keyPath)
    }
    if fraction == nil && exponent == nil {
      guard let value = Int64(sign + intDigits) else {
        throw error("integer out of range: \(token)", at: start, key: keyPath)
      }
      return .integer(value)
    }
    var text = sign + intDigits
    if let fraction {
      guard let fractionDigits = Self.digits(fraction, allowed: Self.isDigit) else { throw invalid }
      text += "." + fractionDigits
    }
    if let exponent {
      var exponentBody = exponent
      var exponentSign = ""
      if let first = exponentBody.first, first == "+" || first == "-" {
        exponentSign = String(first)
        exponentBody = exponentBody.dropFirst()
      }
      guard let exponentDigits = Self.digits(exponentBody, allowed: Self.isDigit) else {
        throw invalid
      }
      text += "e" + exponentSign + exponentDigits
    }
    guard let value = Double(text) else { throw invalid }
    return .float(value)
  }

  // MARK: - Dates

  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func dayNumber(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146097 + dayOfEra - 719468
  }

  private func parseDateTime(_ b: [UInt8], at start: Mark, keyPath: [String]) throws(TOMLError)
    -> TOMLValue
  {
    let text = String(decoding: b, as: UTF8.self)
    let invalid = error(
      "invalid date '\(text)' (expected YYYY-MM-DD or an offset date-time like 1979-05-27T07:32:00+08:00)",
      at: start, key: keyPath)
    func number(_ range: Range<Int>) throws(TOMLError) -> Int {
      guard range.upperBound <= b.count, b[range].allSatisfy(Self.isDigit) else { throw invalid }
      return b[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
    let year = try number(0..<4)
    guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { throw invalid }
    let month = try number(5..<7)
    let day = try number(8..<10)
    guard (1...12).contains(month), day >= 1, day <= Self.daysInMonth(year: year, month: month)
    else {
      throw error("invalid date '\(text)': no such day", at: start, key: keyPath)
    }
    if b.count == 10 { return .localDate(TOMLLocalDate(year: year, month: month, day: day)) }
    guard [UInt8(ascii: "T"), UInt8(ascii: "t"), 0x20].contains(b[10]), b.count >= 19,
      b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":")
    else { throw invalid }
    let hour = try number(11..<13)
    let minute = try number(14..<16)
    let second = try number(17..<19)
    guard hour < 24, minute < 60, second <= 60 else {
      throw error("invalid time in '\(text)'", at: start, key: keyPath)
    }
    var position = 19
    var fraction = 0.0
    if position < b.count && b[position] == UInt8(ascii: ".") {
      position += 1
      let from = position
      while position < b.count && Self.isDigit(b[position]) { position += 1 }
      guard position > from else { throw invalid }
      fraction = Double("0." + String(decoding: b[from..<position], as: UTF8.self)) ?? 0
    }
    guard position < b.count else {
      throw error(
        "local date-times are not supported: add an offset such as Z or +08:00 to '\(text)'",
        at: start,
        key: keyPath)
    }
    var offsetSeconds = 0
    if b[position] == UInt8(ascii: "Z") || b[position] == UInt8(ascii: "z") {
      guard position + 1 == b.count else { throw invalid }
    } else {
      guard b[position] == UInt8(ascii: "+") || b[position] == UInt8(ascii: "-"),
        position + 6 == b.count,
        b[position + 3] == UInt8(ascii: ":")
      else { throw invalid }
      let offsetHours = try number(position + 1..<position + 3)
      let offsetMinutes = try number(position + 4..<position + 6)
      guard offsetHours < 24, offsetMinutes < 60 else { throw invalid }
      offsetSeconds =
        (offsetHours * 3600 + offsetMinutes * 60) * (b[position] == UInt8(ascii: "-") ? -1 : 1)
    }
    let days = Self.dayNumber(year: year, month: month, day: day)
    let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds
    return .dateTime(Date(timeIntervalSince1970: Double(seconds) + fraction))
  }
}
