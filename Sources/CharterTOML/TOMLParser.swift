/// Reads the document structure: lines, keys, headers and the table tree. Scalars and
/// strings are in TOMLParser+Values.swift.
struct TOMLParser {
  struct Mark {
    var line: Int
    var column: Int
  }

  struct KeyPart {
    var name: String
    var mark: Mark
  }

  let bytes: [UInt8]
  var index = 0
  var line = 1
  var lineStart = 0
  private let root = TOMLTableBuilder(origin: .root, line: 0, column: 0)
  private var current: TOMLTableBuilder
  private var currentPath: [String] = []

  init(text: String) {
    bytes = Array(text.utf8)
    current = root
  }

  // MARK: - Cursor

  var atEnd: Bool { index >= bytes.count }
  func peek(_ offset: Int = 0) -> UInt8? {
    index + offset < bytes.count ? bytes[index + offset] : nil
  }
  mutating func advance() {
    if bytes[index] == UInt8(ascii: "\n") {
      line += 1
      lineStart = index + 1
    }
    index += 1
  }
  var mark: Mark { Mark(line: line, column: column(at: index)) }
  func column(at position: Int) -> Int {
    var count = 1
    var i = lineStart
    while i < position && i < bytes.count {
      if bytes[i] & 0xC0 != 0x80 { count += 1 }
      i += 1
    }
    return count
  }
  func error(_ message: String, at mark: Mark? = nil, key: [String]? = nil) -> TOMLError {
    let at = mark ?? self.mark
    return TOMLError(line: at.line, column: at.column, key: key.map(Self.path), message: message)
  }
  static func path(_ keys: [String]) -> String { keys.joined(separator: ".") }

  mutating func skipSpaces() {
    while let b = peek(), b == 0x20 || b == 0x09 { index += 1 }
  }

  mutating func skipComment() throws(TOMLError) {
    guard peek() == UInt8(ascii: "#") else { return }
    while let b = peek(), b != 0x0A {
      if b == 0x0D && peek(1) == 0x0A { break }
      if (b < 0x20 && b != 0x09) || b == 0x7F {
        throw error("control character in comment")
      }
      index += 1
    }
  }

  /// Consumes a line break; false when the cursor is not at one.
  mutating func takeNewline() throws(TOMLError) -> Bool {
    if peek() == 0x0A {
      advance()
      return true
    }
    if peek() == 0x0D {
      guard peek(1) == 0x0A else { throw error("carriage return not followed by a line feed") }
      index += 1
      advance()
      return true
    }
    return false
  }

  /// Whitespace, comments and newlines, as allowed inside arrays.
  mutating func skipBlank() throws(TOMLError) {
    while true {
      skipSpaces()
      try skipComment()
      if try !takeNewline() { return }
    }
  }

  mutating func expectEndOfLine() throws(TOMLError) {
    skipSpaces()
    try skipComment()
    if atEnd { return }
    if try !takeNewline() {
      throw error("expected the end of the line")
    }
  }

  // MARK: - Document

  mutating func parseDocument() throws(TOMLError) -> TOMLTable {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    while true {
      skipSpaces()
      try skipComment()
      guard let b = peek() else { break }
      if try takeNewline() { continue }
      if b == UInt8(ascii: "[") {
        try parseHeader()
      } else {
        try parseKeyValue(into: current, tablePath: currentPath)
      }
      try expectEndOfLine()
    }
    return root.build()
  }

  // MARK: - Keys

  static func isBareKeyByte(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
      || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
  }

  mutating func parseKey() throws(TOMLError) -> [KeyPart] {
    var parts: [KeyPart] = []
    while true {
      skipSpaces()
      let start = mark
      let name: String
      switch peek() {
      case UInt8(ascii: "\""):
        if peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"") {
          throw error("a key cannot be a multi-line string")
        }
        name = try parseBasicString()
      case UInt8(ascii: "'"):
        if peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'") {
          throw error("a key cannot be a multi-line string")
        }
        name = try parseLiteralString()
      default:
        let from = index
        while let b = peek(), Self.isBareKeyByte(b) { index += 1 }
        guard index > from else {
          throw error("expected a key", key: parts.isEmpty ? nil : parts.map(\.name))
        }
        name = String(decoding: bytes[from..<index], as: UTF8.self)
      }
      parts.append(KeyPart(name: name, mark: start))
      skipSpaces()
      guard peek() == UInt8(ascii: ".") else { return parts }
      index += 1
    }
  }

  // MARK: - Key/value pairs

  mutating func parseKeyValue(into table: TOMLTableBuilder, tablePath: [String]) throws(TOMLError) {
    let key = try parseKey()
    let fullPath = tablePath + key.map(\.name)
    skipSpaces()
    guard peek() == UInt8(ascii: "=") else {
      throw error("expected '=' after the key", key: fullPath)
    }
    index += 1
    skipSpaces()
    if atEnd || peek() == 0x0A || peek() == 0x0D || peek() == UInt8(ascii: "#") {
      throw error("expected a value", key: fullPath)
    }
    let value = try parseValue(keyPath: fullPath)
    var target = table
    var path = tablePath
    for part in key.dropLast() {
      path.append(part.name)
      switch target[part.name] {
      case nil:
        let created = TOMLTableBuilder(
          origin: .dotted, line: part.mark.line, column: part.mark.column)
        target.define(part.name, .table(created), line: part.mark.line, column: part.mark.column)
        target = created
      case .table(let existing) where existing.origin == .dotted:
        target = existing
      case .table(let existing):
        throw error(
          "table '\(Self.path(path))' was defined at line \(existing.line) and cannot be extended with dotted keys",
          at: part.mark, key: path)
      case .tableArray(_, let line, _):
        throw error(
          "'\(Self.path(path))' is an array of tables (line \(line)), not a table", at: part.mark,
          key: path)
      case .value(let node):
        throw error(
          "'\(Self.path(path))' is already defined as \(node.value.typeName) at line \(node.line)",
          at: part.mark, key: path)
      }
    }
    guard let last = key.last else { throw error("expected a key") }
    if let existing = target[last.name] {
      throw error(
        "duplicate key (first defined at line \(existing.line))", at: last.mark, key: fullPath)
    }
    target.define(last.name, .value(value), line: last.mark.line, column: last.mark.column)
  }

  // MARK: - Headers

  mutating func parseHeader() throws(TOMLError) {
    let start = mark
    index += 1
    let isArray = peek() == UInt8(ascii: "[")
    if isArray { index += 1 }
    let key = try parseKey()
    let path = key.map(\.name)
    skipSpaces()
    guard peek() == UInt8(ascii: "]") else {
      throw error("expected ']' to close the table header", key: path)
    }
    index += 1
    if isArray {
      guard peek() == UInt8(ascii: "]") else {
        throw error("expected ']]' to close the array-of-tables header", key: path)
      }
      index += 1
    }
    var parent = root
    var walked: [String] = []
    for part in key.dropLast() {
      walked.append(part.name)
      switch parent[part.name] {
      case nil:
        let created = TOMLTableBuilder(origin: .implicit, line: start.line, column: start.column)
        parent.define(part.name, .table(created), line: part.mark.line, column: part.mark.column)
        parent = created
      case .table(let existing):
        parent = existing
      case .tableArray(let tables, _, _):
        guard let lastTable = tables.last else { throw error("empty array of tables", key: walked) }
        parent = lastTable
      case .value(let node):
        throw error(
          "'\(Self.path(walked))' is already defined as \(node.value.typeName) at line \(node.line)",
          at: part.mark, key: walked)
      }
    }
    guard let last = key.last else { throw error("expected a key") }
    if isArray {
      let element = TOMLTableBuilder(origin: .header, line: start.line, column: start.column)
      switch parent[last.name] {
      case nil:
        parent.define(
          last.name, .tableArray([element], line: start.line, column: start.column),
          line: last.mark.line,
          column: last.mark.column)
      case .tableArray(let tables, let line, let column):
        parent[last.name] = .tableArray(tables + [element], line: line, column: column)
      case .table(let existing):
        throw error(
          "'\(Self.path(path))' is already a table (line \(existing.line)), not an array of tables",
          at: start, key: path)
      case .value(let node):
        throw error(
          "'\(Self.path(path))' is already defined as \(node.value.typeName) at line \(node.line)",
          at: start, key: path)
      }
      current = element
    } else {
      switch parent[last.name] {
      case nil:
        let created = TOMLTableBuilder(origin: .header, line: start.line, column: start.column)
        parent.define(last.name, .table(created), line: last.mark.line, column: last.mark.column)
        current = created
      case .table(let existing) where existing.origin == .implicit:
        existing.origin = .header
        existing.line = start.line
        existing.column = start.column
        current = existing
      case .table(let existing):
        throw error(
          "table [\(Self.path(path))] is defined twice (first at line \(existing.line))", at: start,
          key: path)
      case .tableArray(_, let line, _):
        throw error(
          "'\(Self.path(path))' is an array of tables (line \(line)), not a table", at: start,
          key: path)
      case .value(let node):
        throw error(
          "'\(Self.path(path))' is already defined as \(node.value.typeName) at line \(node.line)",
          at: start, key: path)
      }
    }
    currentPath = path
  }

  // MARK: - Compound values

  mutating func parseValue(keyPath: [String]) throws(TOMLError) -> TOMLNode {
    let start = mark
    let value: TOMLValue
    switch peek() {
    case UInt8(ascii: "\""):
      if peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"") {
        value = .string(try parseMultilineBasicString(keyPath: keyPath))
      } else {
        value = .string(try parseBasicString(keyPath: keyPath))
      }
    case UInt8(ascii: "'"):
      if peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'") {
        value = .string(try parseMultilineLiteralString(keyPath: keyPath))
      } else {
        value = .string(try parseLiteralString(keyPath: keyPath))
      }
    case UInt8(ascii: "["):
      value = try parseArray(keyPath: keyPath)
    case UInt8(ascii: "{"):
      value = try parseInlineTable(keyPath: keyPath)
    case nil:
      throw error("expected a value", key: keyPath)
    default:
      value = try parseScalar(keyPath: keyPath)
    }
    return TOMLNode(value: value, line: start.line, column: start.column)
  }

  mutating func parseArray(keyPath: [String]) throws(TOMLError) -> TOMLValue {
    let start = mark
    index += 1
    var elements: [TOMLNode] = []
    while true {
      try skipBlank()
      guard let b = peek() else { throw error("unterminated array", at: start, key: keyPath) }
      if b == UInt8(ascii: "]") {
        index += 1
        return .array(elements)
      }
      elements.append(try parseValue(keyPath: keyPath))
      try skipBlank()
      switch peek() {
      case UInt8(ascii: ","):
        index += 1
      case UInt8(ascii: "]"):
        index += 1
        return .array(elements)
      case nil:
        throw error("unterminated array", at: start, key: keyPath)
      default:
        throw error("expected ',' or ']' in the array", key: keyPath)
      }
    }
  }

  mutating func parseInlineTable(keyPath: [String]) throws(TOMLError) -> TOMLValue {
    let start = mark
    index += 1
    let table = TOMLTableBuilder(origin: .header, line: start.line, column: start.column)
    skipSpaces()
    if peek() == UInt8(ascii: "}") {
      index += 1
      return .table(table.build())
    }
    while true {
      skipSpaces()
      if atEnd || peek() == 0x0A || peek() == 0x0D {
        throw error("an inline table must be on one line (TOML 1.0)", key: keyPath)
      }
      try parseKeyValue(into: table, tablePath: keyPath)
      skipSpaces()
      switch peek() {
      case UInt8(ascii: ","):
        index += 1
      case UInt8(ascii: "}"):
        index += 1
        return .table(table.build())
      case nil, 0x0A, 0x0D:
        throw error("unterminated inline table", at: start, key: keyPath)
      default:
        throw error("expected ',' or '}' in the inline table", key: keyPath)
      }
    }
  }
}
