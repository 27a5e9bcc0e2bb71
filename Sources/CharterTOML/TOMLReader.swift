public import Foundation

/// A view of one table with its key path and file, for validated loading: every accessor
/// throws an error naming the file, line and full key path of what is wrong.
public struct TOMLReader: Sendable {
  public let table: TOMLTable
  public let file: String?
  /// Dotted path of this table from the root ("" for the root).
  public let path: String

  public init(_ table: TOMLTable, file: String?, path: String = "") {
    self.table = table
    self.file = file
    self.path = path
  }

  public var keys: [String] { table.keys }
  public subscript(key: String) -> TOMLNode? { table[key] }

  /// The full dotted path of a key of this table.
  public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// An error located at `key` when it is present, else at the table itself.
  public func error(_ key: String?, _ message: String) -> TOMLError {
    if let key, let node = table[key] {
      return TOMLError(
        file: file, line: node.line, column: node.column, key: keyPath(key), message: message)
    }
    return TOMLError(
      file: file, line: table.line, column: table.line == 0 ? 0 : table.column,
      key: key.map(keyPath) ?? (path.isEmpty ? nil : path), message: message)
  }

  // MARK: - Typed accessors

  private func required(_ key: String) throws(TOMLError) -> TOMLNode {
    guard let node = table[key] else { throw error(key, "missing required key") }
    return node
  }

  private func mismatch(_ key: String, _ node: TOMLNode, expected: String) -> TOMLError {
    error(key, "expected \(expected), found \(node.value.typeName)")
  }

  public func string(_ key: String) throws(TOMLError) -> String {
    let node = try required(key)
    guard case .string(let value) = node.value else {
      throw mismatch(key, node, expected: "a string")
    }
    return value
  }

  public func optionalString(_ key: String) throws(TOMLError) -> String? {
    table[key] == nil ? nil : try string(key)
  }

  public func int(_ key: String) throws(TOMLError) -> Int {
    let node = try required(key)
    guard case .integer(let value) = node.value else {
      throw mismatch(key, node, expected: "an integer")
    }
    guard let converted = Int(exactly: value) else { throw error(key, "integer out of range") }
    return converted
  }

  public func optionalInt(_ key: String) throws(TOMLError) -> Int? {
    table[key] == nil ? nil : try int(key)
  }

  /// A float; an integer is accepted too (`ratio = 1`).
  public func double(_ key: String) throws(TOMLError) -> Double {
    let node = try required(key)
    switch node.value {
    case .float(let value): return value
    case .integer(let value): return Double(value)
    default: throw mismatch(key, node, expected: "a number")
    }
  }

  public func optionalDouble(_ key: String) throws(TOMLError) -> Double? {
    table[key] == nil ? nil : try double(key)
  }

  public func bool(_ key: String) throws(TOMLError) -> Bool {
    let node = try required(key)
    guard case .bool(let value) = node.value else {
      throw mismatch(key, node, expected: "true or false")
    }
    return value
  }

  public func optionalBool(_ key: String) throws(TOMLError) -> Bool? {
    table[key] == nil ? nil : try bool(key)
  }

  public func date(_ key: String) throws(TOMLError) -> TOMLLocalDate {
    let node = try required(key)
    guard case .localDate(let value) = node.value else {
      throw mismatch(key, node, expected: "a date like 2026-10-08")
    }
    return value
  }

  public func optionalDate(_ key: String) throws(TOMLError) -> TOMLLocalDate? {
    table[key] == nil ? nil : try date(key)
  }

  public func dateTime(_ key: String) throws(TOMLError) -> Date {
    let node = try required(key)
    guard case .dateTime(let value) = node.value else {
      throw mismatch(key, node, expected: "a date-time like 2026-10-08T09:00:00+08:00")
    }
    return value
  }

  public func optionalDateTime(_ key: String) throws(TOMLError) -> Date? {
    table[key] == nil ? nil : try dateTime(key)
  }

  public func stringArray(_ key: String) throws(TOMLError) -> [String] {
    try array(key, expected: "a string") { node in
      if case .string(let value) = node.value { value } else { nil }
    }
  }

  public func optionalStringArray(_ key: String) throws(TOMLError) -> [String]? {
    table[key] == nil ? nil : try stringArray(key)
  }

  public func dateArray(_ key: String) throws(TOMLError) -> [TOMLLocalDate] {
    try array(key, expected: "a date") { node in
      if case .localDate(let value) = node.value { value } else { nil }
    }
  }

  public func optionalDateArray(_ key: String) throws(TOMLError) -> [TOMLLocalDate]? {
    table[key] == nil ? nil : try dateArray(key)
  }

  private func array<Element>(
    _ key: String, expected: String, _ convert: (TOMLNode) -> Element?
  ) throws(TOMLError) -> [Element] {
    let node = try required(key)
    guard case .array(let elements) = node.value else {
      throw mismatch(key, node, expected: "an array of \(expected.dropFirst(2))s")
    }
    var out: [Element] = []
    for element in elements {
      guard let value = convert(element) else {
        throw TOMLError(
          file: file, line: element.line, column: element.column, key: keyPath(key),
          message: "expected \(expected), found \(element.value.typeName)")
      }
      out.append(value)
    }
    return out
  }

  public func table(_ key: String) throws(TOMLError) -> TOMLReader {
    let node = try required(key)
    guard case .table(let child) = node.value else {
      throw mismatch(key, node, expected: "a table")
    }
    return TOMLReader(child, file: file, path: keyPath(key))
  }

  public func optionalTable(_ key: String) throws(TOMLError) -> TOMLReader? {
    table[key] == nil ? nil : try table(key)
  }

  /// `[[key]]` sections (or an array of inline tables), in file order.
  public func tableArray(_ key: String) throws(TOMLError) -> [TOMLReader] {
    let node = try required(key)
    guard case .array(let elements) = node.value else {
      throw mismatch(key, node, expected: "an array of tables")
    }
    var out: [TOMLReader] = []
    for (position, element) in elements.enumerated() {
      guard case .table(let child) = element.value else {
        throw TOMLError(
          file: file, line: element.line, column: element.column, key: keyPath(key),
          message: "expected a table, found \(element.value.typeName)")
      }
      out.append(TOMLReader(child, file: file, path: "\(keyPath(key))[\(position)]"))
    }
    return out
  }

  /// Empty when the key is absent.
  public func optionalTableArray(_ key: String) throws(TOMLError) -> [TOMLReader] {
    table[key] == nil ? [] : try tableArray(key)
  }

  /// Child tables in file order (arrays of tables are not included).
  public func tables() -> [(key: String, reader: TOMLReader)] {
    table.keys.compactMap { key in
      guard case .table(let child)? = table[key]?.value else { return nil }
      return (key, TOMLReader(child, file: file, path: keyPath(key)))
    }
  }

  /// A typo in a key is an error, not a silently ignored setting.
  public func rejectUnknownKeys(allowed: Set<String>) throws(TOMLError) {
    for key in table.keys where !allowed.contains(key) {
      let message = "unknown key '\(key)' (allowed: \(allowed.sorted().joined(separator: ", ")))"
      if let position = table.keyPosition(key) {
        throw TOMLError(
          file: file, line: position.line, column: position.column, key: keyPath(key),
          message: message)
      }
      throw error(key, message)
    }
  }
}
