import CharterCalendar
import Testing

/// RULES.md §0: the system must warn when a deadline falls in a year it has no data for.
@Suite struct CalendarFallbackTests {
  @Test func rules_0_refuseThrowsNoDataForYear2027() {
    #expect(throws: CalendarError.noDataForYear(2027)) {
      try statutory.workingDay(30, after: day("2026-12-10"))
    }
    #expect(throws: CalendarError.noDataForYear(2027)) {
      try statutory.isWorkingDay(day("2027-01-04"))
    }
    #expect(throws: CalendarError.noDataForYear(2027)) {
      try statutory.calendarDays(30, after: day("2026-12-10"))
    }
    #expect(throws: CalendarError.noDataForYear(2019)) {
      try statutory.workingDay(1, after: day("2019-06-01"))
    }
    #expect(
      CalendarError.noDataForYear(2027).description
        == "no working-day data for 2027: load the State Council arrangement for 2027, "
        + "or allow the Monday–Friday fallback")
  }

  @Test func rules_0_mondayToFridayReturnsADateAndAWarningNaming2027() throws {
    let lenient = statutory.withFallback(.mondayToFriday)
    // 2026-12-10 (Thursday): 15 working days left in December (11, 14–18, 21–25, 28–31),
    // then Monday–Friday in 2027: 1/1 (Fri) is day 16 ... day 30 is 2027-01-21.
    let result = try lenient.workingDay(30, after: day("2026-12-10"))
    #expect(result.date == day("2027-01-21"))
    #expect(result.warnings == [CalendarWarning(year: 2027)])
    #expect(result.warnings[0].description.contains("2027"))
    // A computation inside the data gives no warning.
    #expect(try lenient.workingDay(1, after: day("2024-09-30")).warnings.isEmpty)
    #expect(try lenient.rollForward(day("2027-01-02")).date == day("2027-01-04"))
    #expect(try lenient.workingDays(after: day("2026-12-31"), through: day("2027-01-08")) == 6)
  }

  @Test func aGapYearInsideTheDataIsStillAYearWithoutData() throws {
    let gap = WorkingCalendar(arrangements: statutory.arrangements.filter { $0.year != 2023 })
    #expect(throws: CalendarError.noDataForYear(2023)) {
      try gap.workingDay(5, after: day("2022-12-28"))
    }
    let lenient = gap.withFallback(.mondayToFriday)
    #expect(
      try lenient.workingDay(1, after: day("2023-06-01")).warnings == [CalendarWarning(year: 2023)])
  }

  @Test func emptyCalendarRefusesOrFallsBack() throws {
    let empty = WorkingCalendar(arrangements: [])
    #expect(empty.years == nil)
    #expect(throws: CalendarError.noDataForYear(2026)) { try empty.isWorkingDay(day("2026-10-08")) }
    let lenient = empty.withFallback(.mondayToFriday)
    #expect(try lenient.workingDay(1, after: day("2026-10-02")).date == day("2026-10-05"))
  }
}
