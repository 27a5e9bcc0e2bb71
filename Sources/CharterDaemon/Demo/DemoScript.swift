import Foundation

/// A demo script (`Config/demo/*.charter`): admin command lines, run in order through the
/// daemon's own command handlers, so the demo data is exactly what an administrator typing the
/// same commands would get.
///
/// - `# …` and blank lines are ignored.
/// - `name := COMMAND …` runs the command and keeps the first UUID of its reply as `name`;
///   `first, second := COMMAND …` keeps the first two (MEMBER APPLY answers the application,
///   then the member).
/// - `${name}` is replaced by a kept UUID; `${day:+20}` / `${day:-400}` by the civil day that
///   many days from today (the demo's meetings and deadlines fall around the day it is loaded);
///   `${year:+0}` / `${year:-1}` by this year or another (fees, fund reports).
/// - `!COMMAND …` expects an error (a refusal the demo shows on purpose).
struct DemoScript {
  struct Line {
    var number: Int
    var captures: [String]
    var command: String
    var expectsError: Bool
  }

  let name: String
  let lines: [Line]

  init(name: String, text: String) {
    self.name = name
    var lines: [Line] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      var text = raw.trimmingCharacters(in: .whitespaces)
      if text.isEmpty || text.hasPrefix("#") { continue }
      var captures: [String] = []
      if let range = text.range(of: " := ") {
        captures = text[..<range.lowerBound].split(separator: ",").map {
          $0.trimmingCharacters(in: .whitespaces)
        }
        text = String(text[range.upperBound...])
      }
      let expectsError = text.hasPrefix("!")
      if expectsError { text.removeFirst() }
      lines.append(
        Line(number: index + 1, captures: captures, command: text, expectsError: expectsError))
    }
    self.lines = lines
  }

  /// `command` with `${…}` replaced; nil names an unknown variable.
  static func expand(_ command: String, variables: [String: String], today: Date) -> Result<
    String, DemoError
  > {
    var output = ""
    var rest = Substring(command)
    while let open = rest.range(of: "${") {
      output += rest[..<open.lowerBound]
      guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
        return .failure(DemoError("unterminated ${ in: \(command)"))
      }
      let name = String(rest[open.upperBound..<close])
      if name.hasPrefix("day:"), let offset = Int(name.dropFirst(4)) {
        output += day(today, plus: offset)
      } else if name.hasPrefix("year:"), let offset = Int(name.dropFirst(5)) {
        output += String((Int(day(today, plus: 0).prefix(4)) ?? 0) + offset)
      } else if let value = variables[name] {
        output += value
      } else {
        return .failure(DemoError("unknown variable ${\(name)}"))
      }
      rest = rest[rest.index(after: close)...]
    }
    return .success(output + rest)
  }

  /// The ISO civil day `offset` days from `today` in Asia/Shanghai.
  static func day(_ today: Date, plus offset: Int) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
    let date = calendar.date(byAdding: .day, value: offset, to: today) ?? today
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
  }

  /// The UUIDs of a reply, in order.
  static func uuids(in reply: String) -> [String] {
    let characters = Array(reply.utf8)
    var found: [String] = []
    var index = 0
    while index + 36 <= characters.count {
      let window = characters[index..<index + 36]
      if isUUID(window) {
        found.append(String(decoding: window, as: UTF8.self).lowercased())
        index += 36
      } else {
        index += 1
      }
    }
    return found
  }

  /// 8-4-4-4-12 hexadecimal digits, strictly (Foundation's parser on Linux also takes a
  /// leading space, which would shift the id by one character).
  private static func isUUID(_ bytes: ArraySlice<UInt8>) -> Bool {
    for (offset, byte) in bytes.enumerated() {
      if [8, 13, 18, 23].contains(offset) {
        guard byte == UInt8(ascii: "-") else { return false }
      } else {
        let isHex =
          (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
          || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
          || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        guard isHex else { return false }
      }
    }
    return true
  }
}

struct DemoError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
