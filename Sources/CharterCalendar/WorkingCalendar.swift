/// Working days of the mainland-China statutory calendar (RULES.md §0): Monday–Friday,
/// minus public holidays, plus adjusted working days (调休), minus the tenant's own closure
/// days. An immutable value: extending it returns a new calendar.
public struct WorkingCalendar: Sendable {
  /// One per year, in year order.
  public let arrangements: [YearArrangement]
  public let closures: Set<CivilDate>
  public let fallback: CalendarFallback
  private let table: CalendarTable?

  /// The longest period accepted: no charter counts further, and it bounds the
  /// day-by-day walk through years computed by the fallback.
  public static let maximumPeriod = 36_600

  /// A later arrangement for the same year replaces an earlier one.
  public init(
    arrangements: [YearArrangement], closures: Set<CivilDate> = [],
    fallback: CalendarFallback = .refuse
  ) {
    var byYear: [Int: YearArrangement] = [:]
    for arrangement in arrangements { byYear[arrangement.year] = arrangement }
    self.arrangements = byYear.values.sorted { $0.year < $1.year }
    self.closures = closures
    self.fallback = fallback
    table = CalendarTable(arrangements: self.arrangements, closures: closures)
  }

  /// Next year's notice, published each November, added at run time.
  public func adding(_ arrangement: YearArrangement) -> WorkingCalendar {
    WorkingCalendar(
      arrangements: arrangements + [arrangement], closures: closures, fallback: fallback)
  }

  /// A tenant's own closure days, added to those already set.
  public func withClosures(_ days: Set<CivilDate>) -> WorkingCalendar {
    WorkingCalendar(arrangements: arrangements, closures: closures.union(days), fallback: fallback)
  }

  public func withFallback(_ f: CalendarFallback) -> WorkingCalendar {
    WorkingCalendar(arrangements: arrangements, closures: closures, fallback: f)
  }

  /// From the first to the last year with data (there may be gaps: see `hasData(year:)`).
  public var years: ClosedRange<Int>? { table.map { $0.firstYear...$0.lastYear } }

  public func hasData(year: Int) -> Bool { table?.hasData(year: year) ?? false }

  // MARK: - Queries

  public func isWorkingDay(_ day: CivilDate) throws(CalendarError) -> Bool {
    var warnings = Set<Int>()
    return try isWorking(day.dayNumber, warnings: &warnings)
  }

  /// The N-th working day strictly after `day` (N >= 1; the day itself never counts).
  /// RULES.md §0 "Working days". O(1) inside the covered years.
  public func workingDay(_ n: Int, after day: CivilDate) throws(CalendarError) -> CalendarResult {
    guard n >= 1, n <= Self.maximumPeriod else {
      throw .invalidArgument(
        "the number of working days must be between 1 and \(Self.maximumPeriod), not \(n)")
    }
    var warnings = Set<Int>()
    let date = try nthWorkingDay(n, after: day.dayNumber, warnings: &warnings)
    return result(date, warnings)
  }

  /// `day` + N calendar days, moved forward to the next working day when that is not
  /// one. RULES.md §0 "Calendar days" [interp]. N = 0 is the day itself, rolled forward.
  public func calendarDays(_ n: Int, after day: CivilDate) throws(CalendarError) -> CalendarResult {
    guard n >= 0, n <= Self.maximumPeriod else {
      throw .invalidArgument(
        "the number of days must be between 0 and \(Self.maximumPeriod), not \(n)")
    }
    return try rollForward(day.adding(days: n))
  }

  public func deadline(_ period: CalendarPeriod, after day: CivilDate) throws(CalendarError)
    -> CalendarResult
  {
    switch period {
    case .workingDays(let n): try workingDay(n, after: day)
    case .calendarDays(let n): try calendarDays(n, after: day)
    }
  }

  /// The day itself when it is a working day, else the next working day.
  public func rollForward(_ day: CivilDate) throws(CalendarError) -> CalendarResult {
    var warnings = Set<Int>()
    if try isWorking(day.dayNumber, warnings: &warnings) { return result(day.dayNumber, warnings) }
    let date = try nthWorkingDay(1, after: day.dayNumber, warnings: &warnings)
    return result(date, warnings)
  }

  /// Working days in the half-open range (from, through]: 0 when through <= from.
  public func workingDays(after from: CivilDate, through: CivilDate) throws(CalendarError) -> Int {
    var warnings = Set<Int>()
    var count = 0
    var day = from.dayNumber + 1
    let end = through.dayNumber
    guard end - day < Self.maximumPeriod * 4 else {
      throw .invalidArgument("range \(from)–\(through) is too long")
    }
    while day <= end {
      if let table, table.contains(day) {
        let segmentEnd = min(end, table.lastDay)
        try checkData(from: day, through: segmentEnd, warnings: &warnings)
        count += Int(
          table.prefix[segmentEnd - table.firstDay + 1] - table.prefix[day - table.firstDay])
        day = segmentEnd + 1
      } else {
        if try isWorking(day, warnings: &warnings) { count += 1 }
        day += 1
      }
    }
    return count
  }

  // MARK: - Internals

  private func result(_ dayNumber: Int, _ warnings: Set<Int>) -> CalendarResult {
    CalendarResult(
      date: CivilDate(dayNumber: dayNumber),
      warnings: warnings.sorted().map(CalendarWarning.init(year:)))
  }

  private func noData(_ year: Int, warnings: inout Set<Int>) throws(CalendarError) {
    switch fallback {
    case .refuse: throw .noDataForYear(year)
    case .mondayToFriday: warnings.insert(year)
    }
  }

  private func checkData(from first: Int, through last: Int, warnings: inout Set<Int>)
    throws(CalendarError)
  {
    if let table, table.isComplete, table.contains(first), table.contains(last) { return }
    let firstYear = CivilDate(dayNumber: first).year
    let lastYear = CivilDate(dayNumber: last).year
    for year in firstYear...lastYear where !(table?.hasData(year: year) ?? false) {
      try noData(year, warnings: &warnings)
    }
  }

  private func isWorking(_ dayNumber: Int, warnings: inout Set<Int>) throws(CalendarError) -> Bool {
    if let table, table.contains(dayNumber) {
      try checkData(from: dayNumber, through: dayNumber, warnings: &warnings)
      return table.isWorking(dayNumber)
    }
    try noData(CivilDate(dayNumber: dayNumber).year, warnings: &warnings)
    let day = CivilDate(dayNumber: dayNumber)
    return !day.weekday.isWeekend && !closures.contains(day)
  }

  private func nthWorkingDay(_ n: Int, after start: Int, warnings: inout Set<Int>)
    throws(CalendarError) -> Int
  {
    var current = start
    var remaining = n
    while true {
      let next = current + 1
      if let table, table.contains(next) {
        let before = Int(table.prefix[next - table.firstDay])
        let target = before + remaining
        if target <= table.workingCount {
          let found = table.firstDay + Int(table.workingIndex[target - 1])
          try checkData(from: next, through: found, warnings: &warnings)
          return found
        }
        try checkData(from: next, through: table.lastDay, warnings: &warnings)
        remaining -= table.workingCount - before
        current = table.lastDay
      } else {
        if try isWorking(next, warnings: &warnings) {
          remaining -= 1
          if remaining == 0 { return next }
        }
        current = next
      }
    }
  }
}
