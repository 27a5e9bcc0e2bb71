public import Foundation

// timestamptz <-> Date and date <-> PostgresDate, in binary form: microseconds and days since
// 2000-01-01 (PostgreSQL's epoch), so the session's DateStyle and TimeZone never matter.

private let postgresEpochSince1970: Double = 946_684_800

extension Date: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    let microseconds = ((timeIntervalSince1970 - postgresEpochSince1970) * 1_000_000).rounded()
    let clamped = Int64(exactly: microseconds) ?? (microseconds < 0 ? Int64.min : Int64.max)
    bindings.appendBinary(type: PostgresTypeOID.timestamptz) { $0.appendBigEndian(clamped) }
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> Date {
    try cell.require(PostgresTypeOID.timestamptz, decoding: Date.self)
    return try cell.withBytes(as: Date.self) { (bytes) throws(PostgresDecodingError) -> Date in
      var reader = BinaryReader(bytes)
      guard bytes.count == 8, let microseconds = reader.read(Int64.self) else {
        throw cell.error(.malformed, decoding: Date.self)
      }
      if microseconds == .max { return .distantFuture }  // 'infinity'
      if microseconds == .min { return .distantPast }  // '-infinity'
      return Date(timeIntervalSince1970: postgresEpochSince1970 + Double(microseconds) / 1_000_000)
    }
  }
}

/// A calendar date without time or zone (PostgreSQL `date`), proleptic Gregorian.
public struct PostgresDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// Days since 1970-01-01 (negative before).
  public init(daysSince1970: Int) {
    // Howard Hinnant's civil_from_days.
    let z = daysSince1970 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  }

  /// Days since 1970-01-01 (negative before).
  public var daysSince1970: Int {
    // Howard Hinnant's days_from_civil.
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  public static func < (lhs: PostgresDate, rhs: PostgresDate) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }

  public var description: String {
    let yearText = String(year)
    let padded = String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText
    return "\(padded)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
  }
}

private let daysFrom1970To2000 = 10_957

extension PostgresDate: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    let days = Int32(clamping: daysSince1970 - daysFrom1970To2000)
    bindings.appendBinary(type: PostgresTypeOID.date) { $0.appendBigEndian(days) }
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> PostgresDate {
    try cell.require(PostgresTypeOID.date, decoding: PostgresDate.self)
    return try cell.withBytes(as: PostgresDate.self) {
      (bytes) throws(PostgresDecodingError) -> PostgresDate in
      var reader = BinaryReader(bytes)
      // ±infinity (Int32.max/min) is no calendar date.
      guard bytes.count == 4, let days = reader.read(Int32.self), days != .max, days != .min else {
        throw cell.error(.malformed, decoding: PostgresDate.self)
      }
      return PostgresDate(daysSince1970: Int(days) + daysFrom1970To2000)
    }
  }
}
