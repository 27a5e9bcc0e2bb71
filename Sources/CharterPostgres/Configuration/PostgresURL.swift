/// The parts of a `postgres://` URL, percent-decoded. Written by hand because Foundation's URL
/// types reject a percent-encoded unix-socket directory as host.
struct PostgresURL {
  var user: String?
  var password: String?
  var host: String?
  var port: Int?
  var database: String?
  var query: [(String, String)] = []

  init(parsing url: String) throws(PostgresError) {
    let rest: Substring
    if url.hasPrefix("postgres://") {
      rest = url.dropFirst("postgres://".count)
    } else if url.hasPrefix("postgresql://") {
      rest = url.dropFirst("postgresql://".count)
    } else {
      throw .misuse("a database URL must start with postgres:// or postgresql://")
    }
    var remainder = rest
    var queryText: Substring = ""
    if let mark = remainder.firstIndex(of: "?") {
      queryText = remainder[remainder.index(after: mark)...]
      remainder = remainder[..<mark]
    }
    var authority = remainder
    var path: Substring = ""
    if let slash = remainder.firstIndex(of: "/") {
      authority = remainder[..<slash]
      path = remainder[remainder.index(after: slash)...]
    }
    if let at = authority.lastIndex(of: "@") {
      let userInfo = authority[..<at]
      authority = authority[authority.index(after: at)...]
      if let colon = userInfo.firstIndex(of: ":") {
        user = try Self.percentDecode(userInfo[..<colon])
        password = try Self.percentDecode(userInfo[userInfo.index(after: colon)...])
      } else {
        user = try Self.percentDecode(userInfo)
      }
      if user == "" { user = nil }
    }
    var hostText = authority
    var portText: Substring?
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else {
        throw .misuse("the database URL has an unterminated [IPv6] host")
      }
      hostText = authority[authority.index(after: authority.startIndex)..<close]
      let after = authority[authority.index(after: close)...]
      if after.hasPrefix(":") { portText = after.dropFirst() }
    } else if let colon = authority.lastIndex(of: ":") {
      hostText = authority[..<colon]
      portText = authority[authority.index(after: colon)...]
    }
    let decodedHost = try Self.percentDecode(hostText)
    host = decodedHost.isEmpty ? nil : decodedHost
    if let portText, !portText.isEmpty {
      guard let number = Int(portText), (1...65535).contains(number) else {
        throw .misuse("the database URL has an invalid port")
      }
      port = number
    }
    let decodedDatabase = try Self.percentDecode(path)
    database = decodedDatabase.isEmpty ? nil : decodedDatabase
    for pair in queryText.split(separator: "&", omittingEmptySubsequences: true) {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = try Self.percentDecode(parts[0])
      let value = parts.count > 1 ? try Self.percentDecode(parts[1]) : ""
      query.append((name, value))
    }
  }

  static func percentDecode(_ text: Substring) throws(PostgresError) -> String {
    guard text.contains("%") else { return String(text) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
      guard byte == UInt8(ascii: "%") else {
        bytes.append(byte)
        continue
      }
      guard let high = iterator.next().flatMap(hexValue),
        let low = iterator.next().flatMap(hexValue)
      else {
        throw .misuse("the database URL has an invalid percent escape")
      }
      bytes.append(high << 4 | low)
    }
    guard let decoded = String(validating: bytes, as: UTF8.self) else {
      throw .misuse("the database URL is not valid UTF-8 after percent-decoding")
    }
    return decoded
  }

  static func percentEncode(_ text: String) -> String {
    var result = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"):
        result.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let digits = Array("0123456789ABCDEF".utf8)
        result += "%"
        result.unicodeScalars.append(Unicode.Scalar(digits[Int(byte >> 4)]))
        result.unicodeScalars.append(Unicode.Scalar(digits[Int(byte & 0xF)]))
      }
    }
    return result
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
