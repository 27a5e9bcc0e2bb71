import Foundation

/// Header text per RFC 5322 and RFC 2047: values never carry a line break of their own, and
/// non-ASCII text becomes UTF-8 "B" encoded words folded onto continuation lines.
enum HeaderEncoding {
  /// CR, LF and other control characters become spaces: a subject with "\r\nBcc: x" stays one
  /// header (RELIABILITY P7).
  static func singleLine(_ text: String) -> String {
    String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
  }

  /// An unstructured header value (Subject): ASCII stays as is when it cannot be mistaken for
  /// an encoded word; anything else becomes encoded words of at most 75 characters, each
  /// holding whole UTF-8 sequences, joined by folding whitespace.
  static func unstructured(_ text: String) -> String {
    let line = singleLine(text)
    if line.unicodeScalars.allSatisfy({ $0.isASCII }), !line.contains("=?"), line.utf8.count <= 900
    {
      return line
    }
    return encodedWords(line).joined(separator: "\r\n ")
  }

  /// `display name <address>`, the name quoted or encoded.
  static func mailbox(name: String?, address: MailAddress) -> String {
    guard let name, !name.isEmpty else { return "<\(address.text)>" }
    let line = singleLine(name)
    if line.unicodeScalars.allSatisfy({ $0.isASCII }), !line.contains("=?") {
      let quoted = line.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"")
      return "\"\(quoted)\" <\(address.text)>"
    }
    return encodedWords(line).joined(separator: "\r\n ") + " <\(address.text)>"
  }

  /// 45 bytes of UTF-8 give 60 base64 characters: with `=?UTF-8?B?` and `?=` that is 72.
  static func encodedWords(_ text: String) -> [String] {
    var words: [String] = []
    var chunk: [UInt8] = []
    for scalar in text.unicodeScalars {
      let bytes = Array(String(scalar).utf8)
      if chunk.count + bytes.count > 45 {
        words.append(word(chunk))
        chunk = []
      }
      chunk += bytes
    }
    if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
    return words
  }

  private static func word(_ bytes: [UInt8]) -> String {
    "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
  }

  /// Base64 in lines of 76 characters, CRLF-terminated (RFC 2045 §6.8).
  static func base64Lines(_ bytes: [UInt8]) -> String {
    let encoded = Data(bytes).base64EncodedString()
    var lines: [Substring] = []
    var index = encoded.startIndex
    while index < encoded.endIndex {
      let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
      lines.append(encoded[index..<end])
      index = end
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  /// Date per RFC 5322 §3.3, in UTC.
  static func date(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
    return formatter.string(from: date)
  }
}
