import CharterCalendar
import CharterTOML
import Foundation
import Testing

@Suite struct CalendarLoadingTests {
  private func dataError(_ text: String) -> TOMLError? {
    do {
      _ = try YearArrangement.parse(text, file: "cal.toml")
      return nil
    } catch {
      if case .invalidData(let located) = error { return located }
      return nil
    }
  }

  private let header = """
    format = 1
    [[year]]
    year = 2027
    source = { title = "测试通知", number = "测试〔2026〕1号", date = 2026-11-01 }

    """

  @Test func shippedFileCitesANoticeForEveryYear() throws {
    #expect(statutory.arrangements.map(\.year) == Array(2020...2026))
    for arrangement in statutory.arrangements {
      #expect(arrangement.source.contains("国办发明电〔"), "\(arrangement.year)")
      #expect(arrangement.source.contains("\(arrangement.year)年部分节假日安排的通知"))
      #expect(arrangement.holidays.count >= 6)
    }
    let year2020 = try #require(statutory.arrangements.first)
    #expect(year2020.amendments.contains { $0.contains("国办发明电〔2020〕1号") })
    let year2025 = try #require(statutory.arrangements.first { $0.year == 2025 })
    #expect(year2025.amendments.contains { $0.contains("国务院令第795号") })
  }

  @Test func malformedFileIsRefusedWithFileLineAndKey() throws {
    let error = try #require(
      dataError(
        header + """
          holidays = [
            { name = "元旦", english = "New Year's Day", first = 2027-01-01, last = 2027-02-30 },
          ]
          adjusted_working_days = []
          """))
    #expect(error.file == "cal.toml")
    #expect(error.line == 6)
    #expect(error.key == "year.holidays.last")
    #expect(error.message.contains("2027-02-30"))
  }

  @Test func holidayOnAnAdjustedWorkingDayIsADataError() throws {
    let error = try #require(
      dataError(
        header + """
          holidays = [
            { name = "国庆节", english = "National Day", first = 2027-10-01, last = 2027-10-07 },
          ]
          adjusted_working_days = [2027-09-26,
            2027-10-02]
          """))
    #expect(error.file == "cal.toml")
    #expect(error.line == 9)
    #expect(error.column == 3)
    #expect(error.key == "year[0].adjusted_working_days")
    #expect(error.message.contains("both a holiday (国庆节) and an adjusted working day"))
    #expect(error.description.hasPrefix("cal.toml:9:3: year[0].adjusted_working_days: 2027-10-02"))
  }

  @Test func adjustedWorkingDayOnAWeekdayIsADataError() throws {
    let error = try #require(
      dataError(header + "holidays = []\nadjusted_working_days = [2027-09-29]"))
    #expect(error.line == 6)
    #expect(error.message.contains("not a weekend day"))
  }

  @Test func unknownKeyIsADataError() throws {
    let error = try #require(dataError(header + "holidays = []\nadjusted_workdays = []"))
    #expect(error.line == 6)
    #expect(error.key == "year[0].adjusted_workdays")
    #expect(error.message.hasPrefix("unknown key"))
  }

  @Test func sameYearTwiceIsADataError() throws {
    let once = "holidays = []\nadjusted_working_days = []\n"
    let error = try #require(
      dataError(header + once + header.replacingOccurrences(of: "format = 1\n", with: "") + once))
    #expect(error.line == 8)
    #expect(error.message.contains("already defined at line 3"))
  }

  @Test func programmaticArrangementIsCheckedToo() {
    #expect(throws: CalendarError.self) {
      try YearArrangement(
        year: 2027, source: "x",
        holidays: [
          Holiday(
            name: "国庆节", nameEnglish: "National Day", first: day("2027-10-01"),
            last: day("2027-10-07"))
        ],
        adjustedWorkingDays: [day("2027-10-02")])
    }
  }

  @Test func missingFileNamesTheFile() {
    do {
      _ = try WorkingCalendar.loadStatutory(
        from: URL(fileURLWithPath: "/nonexistent/cn-statutory.toml"))
      Issue.record("loaded a missing file")
    } catch {
      #expect("\(error)".contains("/nonexistent/cn-statutory.toml"))
    }
  }

  /// Next year's notice is published in November; it is added at run time. The 2027 data
  /// below is invented for the test.
  @Test func runTimeExtensionWithANewYear() throws {
    let next = try #require(
      try YearArrangement.parse(
        header + """
          holidays = [
            { name = "元旦", english = "New Year's Day", first = 2027-01-01, last = 2027-01-03 },
          ]
          adjusted_working_days = [2027-01-09]
          """, file: "2027.toml"
      ).first)
    let extended = statutory.adding(next)
    #expect(extended.years == 2020...2027)
    let result = try extended.workingDay(1, after: day("2026-12-31"))
    #expect(result.date == day("2027-01-04"))
    #expect(result.warnings.isEmpty)
    #expect(try extended.isWorkingDay(day("2027-01-09")))
    // Replacing the year with a corrected notice takes the new one.
    let corrected = try YearArrangement(
      year: 2027, source: "更正", holidays: [], adjustedWorkingDays: [])
    #expect(try !extended.adding(corrected).isWorkingDay(day("2027-01-09")))
  }

  @Test func tenantClosureDaysAreRestDays() throws {
    let closed = statutory.withClosures([day("2024-10-08"), day("2024-10-09")])
    #expect(try closed.workingDay(1, after: day("2024-09-30")).date == day("2024-10-10"))
    #expect(try statutory.workingDay(1, after: day("2024-09-30")).date == day("2024-10-08"))
    #expect(closed.closures.count == 2)
  }
}
