import CharterCalendar
import Testing

/// Answers written out by hand from the State Council notices (Config/calendar/cn-statutory.toml
/// cites each), one group per year.
@Suite struct KnownAnswerTests {
  private func nth(_ n: Int, after iso: String) throws -> String {
    try statutory.workingDay(n, after: day(iso)).date.description
  }
  private func within(_ n: Int, daysOf iso: String) throws -> String {
    try statutory.calendarDays(n, after: day(iso)).date.description
  }
  private func working(_ iso: String) throws -> Bool { try statutory.isWorkingDay(day(iso)) }

  @Test func year2020_springFestivalExtendedToFebruary2() throws {
    #expect(try working("2020-01-19"))  // Sunday, adjusted working day
    #expect(try !working("2020-01-31"))  // extension by 国办发明电〔2020〕1号
    #expect(try !working("2020-02-01"))  // Saturday first declared working, then cancelled
    #expect(try nth(1, after: "2020-01-23") == "2020-02-03")
    #expect(try nth(1, after: "2020-09-30") == "2020-10-09")
    #expect(try working("2020-10-10"))
    #expect(try working("2020-06-28"))
  }

  @Test func year2021() throws {
    #expect(try working("2021-02-07"))
    #expect(try working("2021-02-20"))
    #expect(try nth(1, after: "2021-02-10") == "2021-02-18")
    #expect(try working("2021-09-18"))
    #expect(try !working("2021-09-20"))
    #expect(try nth(1, after: "2021-09-30") == "2021-10-08")
    #expect(try working("2021-10-09"))
  }

  @Test func year2022() throws {
    #expect(try nth(1, after: "2022-01-28") == "2022-01-29")
    #expect(try nth(3, after: "2022-01-28") == "2022-02-07")
    #expect(try working("2022-04-02"))
    #expect(try !working("2022-04-05"))
    #expect(try nth(1, after: "2022-09-30") == "2022-10-08")
    #expect(try nth(2, after: "2022-09-30") == "2022-10-09")
  }

  @Test func year2023_newYearHolidayStartsOn2022December31() throws {
    #expect(try nth(1, after: "2022-12-30") == "2023-01-03")
    #expect(try working("2023-01-28"))
    #expect(try working("2023-01-29"))
    #expect(try !working("2023-04-05"))
    #expect(try working("2023-06-25"))
    #expect(try nth(1, after: "2023-09-28") == "2023-10-07")
    #expect(try working("2023-10-08"))
  }

  @Test func year2024() throws {
    #expect(try working("2024-02-04"))
    #expect(try working("2024-02-09"))  // 除夕: the notice only encourages a day off
    #expect(try working("2024-02-18"))
    #expect(try nth(1, after: "2024-02-09") == "2024-02-18")
    #expect(try working("2024-04-07"))
    #expect(try working("2024-05-11"))
    #expect(try !working("2024-06-10"))
    #expect(try working("2024-09-14"))
    #expect(try working("2024-10-12"))  // Saturday after National Day
  }

  @Test func rules_0_workingDayDeadlineSkipsNationalDay() throws {
    #expect(try nth(1, after: "2024-09-30") == "2024-10-08")
  }

  @Test func year2025_springFestivalAndLabourDayGotAnExtraDay() throws {
    // 国务院令第795号: from 2025 the Spring Festival holiday starts on 除夕.
    #expect(try !working("2025-01-28"))
    #expect(try nth(1, after: "2025-01-27") == "2025-02-05")
    #expect(try working("2025-01-26"))
    #expect(try working("2025-02-08"))
    #expect(try working("2025-04-27"))
    #expect(try nth(1, after: "2025-04-30") == "2025-05-06")
    #expect(try !working("2025-06-02"))
    #expect(try nth(1, after: "2025-09-30") == "2025-10-09")
    #expect(try working("2025-10-11"))
  }

  @Test func year2026() throws {
    #expect(try !working("2026-01-02"))
    #expect(try working("2026-01-04"))
    #expect(try working("2026-02-14"))
    #expect(try nth(1, after: "2026-02-13") == "2026-02-14")
    #expect(try nth(1, after: "2026-02-14") == "2026-02-24")
    #expect(try working("2026-02-28"))
    #expect(try working("2026-05-09"))
    #expect(try !working("2026-06-19"))
    #expect(try working("2026-09-20"))
    #expect(try nth(1, after: "2026-09-30") == "2026-10-08")
    #expect(try working("2026-10-10"))
  }

  /// AITISA art. 4.2: the secretariat answers a working-group application within 10 working
  /// days. Received Friday 2024-09-27: 9/29 (Sunday, adjusted) is day 1, 9/30 day 2, the
  /// National Day week does not count, 10/12 (Saturday, adjusted) is day 7, 10/16 day 10.
  @Test func aitisa_4_2_reviewNoticeTenWorkingDaysAcrossNationalDay() throws {
    #expect(try nth(10, after: "2024-09-27") == "2024-10-16")
    #expect(
      try statutory.deadline(.workingDays(10), after: day("2024-09-27")).date == day("2024-10-16"))
    #expect(try statutory.workingDays(after: day("2024-09-27"), through: day("2024-10-16")) == 10)
  }

  /// AITISA art. 4.3: a rejection is notified within 10 days. 2025-09-25 + 10 = 2025-10-05,
  /// inside the National Day holiday: the deadline moves to the next working day, 10-09
  /// (RULES.md §0 [interp]).
  @Test func aitisa_4_3_rejectionNoticeTenDaysRollsPastNationalDay() throws {
    #expect(try within(10, daysOf: "2025-09-25") == "2025-10-09")
    #expect(try within(10, daysOf: "2026-02-05") == "2026-02-24")
    #expect(try within(10, daysOf: "2024-03-01") == "2024-03-11")  // lands on a Monday: unchanged
    #expect(
      try statutory.deadline(.calendarDays(10), after: day("2024-02-04")).date == day("2024-02-18"))
  }

  @Test func rules_0_dayOfTheEventNeverCounts() throws {
    // A working day X: the first working day after it is the next one, not X.
    #expect(try nth(1, after: "2024-10-08") == "2024-10-09")
    #expect(try nth(1, after: "2024-10-11") == "2024-10-12")
  }

  @Test func workingDaysBetweenDates() throws {
    #expect(try statutory.workingDays(after: day("2024-09-30"), through: day("2024-10-08")) == 1)
    #expect(try statutory.workingDays(after: day("2024-10-08"), through: day("2024-09-30")) == 0)
    #expect(try statutory.workingDays(after: day("2024-10-08"), through: day("2024-10-08")) == 0)
    #expect(try statutory.workingDays(after: day("2026-02-13"), through: day("2026-02-28")) == 6)
  }

  @Test func rollForward() throws {
    #expect(try statutory.rollForward(day("2024-10-01")).date == day("2024-10-08"))
    #expect(try statutory.rollForward(day("2024-10-12")).date == day("2024-10-12"))
  }

  @Test func invalidArguments() {
    #expect(throws: CalendarError.self) { try statutory.workingDay(0, after: day("2024-10-08")) }
    #expect(throws: CalendarError.self) { try statutory.calendarDays(-1, after: day("2024-10-08")) }
  }
}
