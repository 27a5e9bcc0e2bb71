// Placeholder for the CharterCalendar types a profile needs, until branch `calendar` lands.
// Delete this file when merging `calendar`: the names and shapes below match the agreed
// interface (CalendarPeriod, CivilDate), so code written against them keeps compiling.

/// A period as charters state it: "within 10 working days", "within 30 days".
public enum CalendarPeriod: Sendable, Hashable, Codable {
  case workingDays(Int)
  case calendarDays(Int)
}

/// A day without time zone (placeholder subset of CharterCalendar.CivilDate).
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
  public let year: Int
  public let month: Int
  public let day: Int

  public init?(year: Int, month: Int, day: Int) {
    guard (1...12).contains(month), day >= 1 else { return nil }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard day <= lengths[month - 1] else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  public static func < (a: CivilDate, b: CivilDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  public var description: String {
    func pad(_ n: Int, _ width: Int) -> String {
      let s = String(n)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }
}
