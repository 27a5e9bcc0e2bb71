public import Foundation

public enum Weekday: Int, Sendable, Hashable, Codable, CaseIterable {
  case monday = 1
  case tuesday, wednesday, thursday, friday, saturday, sunday

  public var isWeekend: Bool { self == .saturday || self == .sunday }
}

/// A day in the proleptic Gregorian calendar, without time zone. ISO text "YYYY-MM-DD".
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
  public let year: Int
  public let month: Int
  public let day: Int

  /// nil when not a real day (2025-02-29, 2026-13-01).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...12).contains(month), day >= 1, day <= Self.daysInMonth(year: year, month: month)
    else {
      return nil
    }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Strict "YYYY-MM-DD": four-digit year, two-digit month and day, nothing else.
  public init?(iso: String) {
    let bytes = Array(iso.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
      return nil
    }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for b in bytes[range] {
        guard b >= 0x30 && b <= 0x39 else { return nil }
        value = value * 10 + Int(b - 0x30)
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else {
      return nil
    }
    self.init(year: year, month: month, day: day)
  }

  /// Days since 1970-01-01 (negative before). Howard Hinnant's civil_from_days.
  public init(dayNumber: Int) {
    let z = dayNumber + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let dayOfEra = z - era * 146097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    day = dayOfYear - (153 * mp + 2) / 5 + 1
    month = mp < 10 ? mp + 3 : mp - 9
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  }

  /// Days since 1970-01-01. Howard Hinnant's days_from_civil.
  public var dayNumber: Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146097 + dayOfEra - 719468
  }

  public var weekday: Weekday {
    // 1970-01-01 was a Thursday.
    let offset = ((dayNumber % 7) + 7 + 3) % 7
    return Weekday(rawValue: offset + 1) ?? .monday
  }

  public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

  /// Same month and day `years` later; 29 February becomes 28 February in a common year.
  public func adding(years: Int) -> CivilDate {
    let target = year + years
    return CivilDate(
      year: target, month: month, day: min(day, Self.daysInMonth(year: target, month: month)))
      ?? CivilDate(dayNumber: dayNumber + 365 * years)
  }

  /// Days from `b` to `a`.
  public static func - (a: CivilDate, b: CivilDate) -> Int { a.dayNumber - b.dayNumber }

  public static func < (a: CivilDate, b: CivilDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  public var description: String {
    let y = String(year)
    return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (month < 10 ? "0" : "")
      + String(month)
      + "-" + (day < 10 ? "0" : "") + String(day)
  }

  public static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  public static func isLeap(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  // MARK: - Codable as "YYYY-MM-DD"

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let date = CivilDate(iso: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "expected a date YYYY-MM-DD, found \"\(text)\"")
    }
    self = date
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

// MARK: - Instants and time zones

extension CivilDate {
  /// The civil date of `instant` on a wall clock in `zone`.
  public init(_ instant: Date, in zone: TimeZone) {
    let local = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
    self.init(dayNumber: Int((local / 86400).rounded(.down)))
  }

  /// The first instant of this day in `zone` (local midnight; when a zone skips midnight,
  /// the first instant that exists on this day).
  public func startOfDay(in zone: TimeZone) -> Date {
    let localMidnight = Double(dayNumber) * 86400
    // The offset may differ either side of a transition: settle it in two steps.
    var guess =
      localMidnight - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: localMidnight)))
    guess = localMidnight - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: guess)))
    let instant = Date(timeIntervalSince1970: guess)
    if CivilDate(instant, in: zone) < self {
      // Midnight does not exist here (a forward transition at 00:00): take the jump.
      return Date(timeIntervalSince1970: guess + 3600)
    }
    return instant
  }

  /// The end of this day in `zone`: the instant one millisecond before the next day's
  /// start. Deadlines are end of day (RULES.md §0): a deadline on 2024-10-08 in
  /// Asia/Shanghai is 2024-10-08T15:59:59.999Z. Compare as `instant <= endOfDay`, or
  /// better `instant < adding(days: 1).startOfDay(in:)`, which has no millisecond gap.
  public func endOfDay(in zone: TimeZone) -> Date {
    adding(days: 1).startOfDay(in: zone).addingTimeInterval(-0.001)
  }
}
