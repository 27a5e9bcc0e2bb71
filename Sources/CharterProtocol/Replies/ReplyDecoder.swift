internal import Foundation

/// Why a reply stream could not be read. A client should drop the connection: it no longer
/// knows where replies begin.
public struct ReplyDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
  public let line: String
  public let reason: String

  public var description: String { "malformed reply line (\(reason)): \(line.prefix(200))" }
}

/// Reads replies from the bytes a server sends (the shell and the tests use it): feed any
/// chunks, get each complete reply once its status line has arrived.
///
/// It reads text and JSON lines alike (a JSON line starts with `{`, a text line never does),
/// so a client need not track `MODE` switches.
public struct ReplyDecoder: Sendable {
  private var buffer: [UInt8] = []
  /// Octets of `buffer` already searched for LF, so a long line fed in small chunks is
  /// scanned once.
  private var scanned = 0
  private var columns: [String] = []
  private var rows: [[String]] = []
  /// A server line longer than this is an error, so a broken server cannot exhaust the
  /// client's memory.
  public var maxLineLength: Int

  public init(maxLineLength: Int = 16 << 20) {
    self.maxLineLength = maxLineLength
  }

  /// True when no partial line or partial reply is held.
  public var isIdle: Bool { buffer.isEmpty && columns.isEmpty && rows.isEmpty }

  public mutating func feed(_ bytes: some Sequence<UInt8>) throws(ReplyDecodingError) -> [Reply] {
    buffer.append(contentsOf: bytes)
    var replies: [Reply] = []
    var start = 0
    while let newline = buffer[max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
      var end = newline
      if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
      let line = buffer[start..<end]
      start = newline + 1
      if let reply = try decodeLine(line) { replies.append(reply) }
    }
    buffer.removeFirst(start)
    scanned = buffer.count
    if buffer.count > maxLineLength {
      throw ReplyDecodingError(line: "", reason: "line longer than \(maxLineLength) octets")
    }
    return replies
  }

  // Prefixes and separators are found in the octets, never in Characters: a value that
  // starts with a combining mark (U+0301) joins the space before it into one Character,
  // so `"* \u{301}x".hasPrefix("* ")` is false. Found by Scripts/fuzz-protocol.
  private mutating func decodeLine(_ bytes: ArraySlice<UInt8>) throws(ReplyDecodingError) -> Reply?
  {
    guard let line = String(validating: bytes, as: UTF8.self) else {
      throw ReplyDecodingError(
        line: String(decoding: bytes, as: UTF8.self), reason: "invalid UTF-8")
    }
    if bytes.first == UInt8(ascii: "{") { return try decodeJSONLine(line) }
    if bytes.starts(with: "* ".utf8) {
      rows.append(try Self.fields(bytes.dropFirst(2), line: line))
      return nil
    }
    if bytes.starts(with: "# ".utf8) {
      columns = try Self.fields(bytes.dropFirst(2), line: line)
      return nil
    }
    let status = try Self.status(bytes, line: line)
    return finish(status)
  }

  private mutating func finish(_ status: ReplyStatus) -> Reply {
    let reply = Reply(columns: columns, rows: rows, status: status)
    columns = []
    rows = []
    return reply
  }

  /// Text of a part of a valid UTF-8 line cut at ASCII octets (so itself valid).
  private static func text(_ bytes: ArraySlice<UInt8>) -> Substring {
    Substring(String(decoding: bytes, as: UTF8.self))
  }

  private static func fields(_ bytes: ArraySlice<UInt8>, line: String) throws(ReplyDecodingError)
    -> [String]
  {
    var result: [String] = []
    for part in bytes.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false) {
      guard let value = unescapeField(text(part)) else {
        throw ReplyDecodingError(line: line, reason: "bad escape")
      }
      result.append(value)
    }
    return result
  }

  private static func status(_ bytes: ArraySlice<UInt8>, line: String) throws(ReplyDecodingError)
    -> ReplyStatus
  {
    if bytes.elementsEqual("OK".utf8) { return .ok("") }
    if bytes.starts(with: "OK ".utf8) {
      guard let message = unescapeField(text(bytes.dropFirst(3))) else {
        throw ReplyDecodingError(line: line, reason: "bad escape")
      }
      return .ok(message)
    }
    let isError = bytes.starts(with: "ERR ".utf8)
    guard isError || bytes.starts(with: "BYE ".utf8) else {
      throw ReplyDecodingError(line: line, reason: "neither a data line nor a status line")
    }
    let rest = bytes.dropFirst(4)
    let codeBytes = rest.prefix { $0 != UInt8(ascii: " ") }
    var messageBytes = rest.dropFirst(codeBytes.count)
    if messageBytes.first == UInt8(ascii: " ") { messageBytes = messageBytes.dropFirst() }
    guard let code = StatusCode(rawValue: String(text(codeBytes))),
      let message = unescapeField(text(messageBytes))
    else { throw ReplyDecodingError(line: line, reason: "bad status code or escape") }
    return isError ? .error(code, message) : .bye(code, message)
  }

  /// The inverse of `ReplyEncoder.escapeField`; nil for an unknown or cut escape.
  public static func unescapeField(_ text: Substring) -> String? {
    var out = String.UnicodeScalarView()
    var scalars = text.unicodeScalars.makeIterator()
    while let scalar = scalars.next() {
      guard scalar == "\\" else {
        out.append(scalar)
        continue
      }
      switch scalars.next() {
      case "\\": out.append("\\")
      case "t": out.append("\t")
      case "n": out.append("\n")
      case "r": out.append("\r")
      case "u":
        var hex = ""
        for _ in 0..<4 {
          guard let digit = scalars.next() else { return nil }
          hex.unicodeScalars.append(digit)
        }
        guard let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) else {
          return nil
        }
        out.append(decoded)
      default: return nil
      }
    }
    return String(out)
  }

  // MARK: JSON lines

  private mutating func decodeJSONLine(_ line: String) throws(ReplyDecodingError) -> Reply? {
    let object: [String: Any]
    do {
      guard let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      else {
        throw ReplyDecodingError(line: line, reason: "not a JSON object")
      }
      object = parsed
    } catch let error as ReplyDecodingError {
      throw error
    } catch {
      throw ReplyDecodingError(line: line, reason: "invalid JSON")
    }
    if let status = object["status"] as? String {
      let message = object["message"] as? String ?? ""
      if status == "ok" { return finish(.ok(message)) }
      guard let codeText = object["code"] as? String, let code = StatusCode(rawValue: codeText),
        status == "error" || status == "bye"
      else { throw ReplyDecodingError(line: line, reason: "bad status object") }
      return finish(status == "error" ? .error(code, message) : .bye(code, message))
    }
    if let names = object["columns"] as? [String] {
      columns = names
    } else if let row = object["row"] as? [String: String] {
      rows.append(columns.map { row[$0] ?? "" })
    } else if let text = object["text"] as? String {
      rows.append([text])
    } else if let fields = object["fields"] as? [String] {
      rows.append(fields)
    } else {
      throw ReplyDecodingError(line: line, reason: "unknown JSON line")
    }
    return nil
  }
}
