public import Foundation

/// A TOML local date (`1979-05-27`): a day without time or zone.
public struct TOMLLocalDate: Hashable, Sendable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  public var description: String {
    let y = String(year)
    let m = month < 10 ? "0\(month)" : "\(month)"
    let d = day < 10 ? "0\(day)" : "\(day)"
    return "\(String(repeating: "0", count: max(0, 4 - y.count)))\(y)-\(m)-\(d)"
  }
}

public indirect enum TOMLValue: Sendable, Equatable {
  case string(String)
  case integer(Int64)
  case float(Double)
  case bool(Bool)
  case localDate(TOMLLocalDate)
  /// An offset date-time, resolved to the instant it names.
  case dateTime(Date)
  case array([TOMLNode])
  case table(TOMLTable)

  /// The TOML type name, for error messages ("expected a string, found an integer").
  public var typeName: String {
    switch self {
    case .string: "a string"
    case .integer: "an integer"
    case .float: "a float"
    case .bool: "a boolean"
    case .localDate: "a date"
    case .dateTime: "a date-time"
    case .array: "an array"
    case .table: "a table"
    }
  }
}

/// A value with the place it was written, so later validation can point at it.
public struct TOMLNode: Sendable, Equatable {
  public var value: TOMLValue
  public var line: Int
  public var column: Int

  public init(value: TOMLValue, line: Int, column: Int) {
    self.value = value
    self.line = line
    self.column = column
  }
}

public struct TOMLTable: Sendable, Equatable {
  /// In file order.
  public var keys: [String]
  /// Where the table was opened (0 for the root).
  public var line: Int
  public var column: Int
  private var entries: [String: TOMLNode]
  private var keyPositions: [String: TOMLKeyPosition]

  public init(
    keys: [String], entries: [String: TOMLNode], line: Int, column: Int = 1,
    keyPositions: [String: TOMLKeyPosition] = [:]
  ) {
    self.keyPositions = keyPositions
    self.keys = keys
    self.entries = entries
    self.line = line
    self.column = column
  }

  public subscript(key: String) -> TOMLNode? { entries[key] }

  /// Where the key itself was written (the node's position is its value's). For a table
  /// opened by a header, the key inside the header.
  public func keyPosition(_ key: String) -> TOMLKeyPosition? { keyPositions[key] }
}

public struct TOMLKeyPosition: Sendable, Equatable {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
}
