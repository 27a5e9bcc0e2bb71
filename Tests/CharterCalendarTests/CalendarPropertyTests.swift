import CharterCalendar
import Testing

/// Properties checked around every Spring Festival and National Day of the data: start dates
/// from 10 days before to 10 days after each holiday, N = 1...15.
@Suite struct CalendarPropertyTests {
  static let longHolidays: [Holiday] = statutory.arrangements.flatMap(\.holidays).filter {
    $0.name.hasPrefix("春节") || $0.name.contains("国庆节")
  }

  static var startDates: [CivilDate] {
    Array(
      Set(
        longHolidays.flatMap { holiday in
          (holiday.first.dayNumber - 10...holiday.last.dayNumber + 10).map(
            CivilDate.init(dayNumber:))
        })
    ).sorted()
  }

  /// An oracle written independently of the precomputed table: a day-by-day walk over the
  /// published lists.
  static let restDays = Set(statutory.arrangements.flatMap(\.restDays))
  static let adjustedDays = Set(statutory.arrangements.flatMap(\.adjustedWorkingDays))
  static func naiveIsWorking(_ day: CivilDate) -> Bool {
    adjustedDays.contains(day) || (!day.weekday.isWeekend && !restDays.contains(day))
  }
  static func naiveNth(_ n: Int, after start: CivilDate) -> CivilDate {
    var day = start
    var remaining = n
    while remaining > 0 {
      day = day.adding(days: 1)
      if naiveIsWorking(day) { remaining -= 1 }
    }
    return day
  }

  @Test func everyYearHasBothLongHolidays() {
    #expect(Self.longHolidays.count >= 14)
    #expect(statutory.years == 2020...2026)
  }

  @Test func nthWorkingDayIsAWorkingDayStrictlyIncreasingAndMatchesTheWalk() throws {
    for start in Self.startDates {
      var previous = start
      for n in 1...15 {
        let result = try statutory.workingDay(n, after: start)
        #expect(result.warnings.isEmpty)
        #expect(try statutory.isWorkingDay(result.date), "\(start) + \(n)")
        #expect(result.date > previous, "\(start) + \(n) not after \(previous)")
        #expect(result.date == Self.naiveNth(n, after: start), "\(start) + \(n)")
        #expect(try statutory.workingDays(after: start, through: result.date) == n)
        previous = result.date
      }
    }
  }

  @Test func rollingForwardIsIdempotentAndLandsOnAWorkingDay() throws {
    for start in Self.startDates {
      let once = try statutory.rollForward(start).date
      #expect(try statutory.isWorkingDay(once))
      #expect(try statutory.rollForward(once).date == once)
      #expect(once >= start)
      #expect(try statutory.isWorkingDay(start) == (once == start))
    }
  }

  @Test func calendarDaysResultIsTheFirstWorkingDayOnOrAfterTheTarget() throws {
    for start in Self.startDates {
      for n in 1...15 {
        let result = try statutory.calendarDays(n, after: start).date
        let target = start.adding(days: n)
        #expect(try statutory.isWorkingDay(result))
        #expect(result >= target)
        var between = target
        while between < result {
          #expect(!Self.naiveIsWorking(between))
          between = between.adding(days: 1)
        }
      }
    }
  }

  @Test func isWorkingDayMatchesThePublishedListsOnEveryDay() throws {
    let last = day("2026-12-31")
    var current = day("2020-01-01")
    while current <= last {
      #expect(try statutory.isWorkingDay(current) == Self.naiveIsWorking(current), "\(current)")
      current = current.adding(days: 1)
    }
  }
}
