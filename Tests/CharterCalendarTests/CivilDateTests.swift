import CharterCalendar
import Foundation
import Testing

@Suite struct CivilDateTests {
  @Test func isoTextIsStrict() {
    #expect(CivilDate(iso: "2026-10-08")?.description == "2026-10-08")
    #expect(CivilDate(iso: "2024-02-29") != nil)
    for bad in [
      "2025-02-29", "2026-13-01", "2026-1-08", "2026-10-8", "20261008", " 2026-10-08",
      "2026-10-08T00", "",
    ] {
      #expect(CivilDate(iso: bad) == nil, "\(bad) was accepted")
    }
    #expect(CivilDate(year: 2026, month: 4, day: 31) == nil)
  }

  @Test func dayNumberRoundTripsAndKnownWeekdays() {
    #expect(day("1970-01-01").dayNumber == 0)
    #expect(day("1970-01-01").weekday == .thursday)
    #expect(day("1969-12-31").dayNumber == -1)
    #expect(day("2024-10-12").weekday == .saturday)
    #expect(day("2026-02-14").weekday == .saturday)
    #expect(day("2000-02-29").weekday == .tuesday)
    for number in stride(from: -800_000, through: 800_000, by: 997) {
      #expect(CivilDate(dayNumber: number).dayNumber == number)
    }
    #expect(day("2024-10-08") - day("2024-09-30") == 8)
    #expect(day("2024-12-31").adding(days: 1) == day("2025-01-01"))
  }

  @Test func addingYearsTurnsFebruary29IntoFebruary28() {
    #expect(day("2024-02-29").adding(years: 1) == day("2025-02-28"))
    #expect(day("2024-02-29").adding(years: 4) == day("2028-02-29"))
    #expect(day("2025-06-30").adding(years: -5) == day("2020-06-30"))
  }

  @Test func ordersChronologicallyAndCodesAsISOText() throws {
    #expect(day("2025-12-31") < day("2026-01-01"))
    #expect(day("2026-01-09") < day("2026-01-10"))
    let encoded = try JSONEncoder().encode([day("2026-10-08")])
    #expect(String(decoding: encoded, as: UTF8.self) == #"["2026-10-08"]"#)
    #expect(try JSONDecoder().decode([CivilDate].self, from: encoded) == [day("2026-10-08")])
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-02-30"]"#.utf8))
    }
  }

  /// RULES.md §0: deadlines are end of day in the tenant's zone. End of day is defined as the
  /// next day's start minus one millisecond.
  @Test func rules_0_endOfDayInShanghaiIs155959999UTC() throws {
    let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
    let end = day("2024-10-08").endOfDay(in: shanghai)
    #expect(milliseconds(end) == 1_728_403_199_999)  // 2024-10-08T15:59:59.999Z
    #expect(
      day("2024-10-08").startOfDay(in: shanghai) == Date(timeIntervalSince1970: 1_728_316_800))
    #expect(CivilDate(end, in: shanghai) == day("2024-10-08"))
    #expect(CivilDate(end.addingTimeInterval(0.001), in: shanghai) == day("2024-10-09"))
    // 23:30 UTC on the 7th is already the 8th in Shanghai.
    #expect(
      CivilDate(Date(timeIntervalSince1970: 1_728_343_800), in: shanghai) == day("2024-10-08"))
  }

  @Test func endOfDayInAnotherZoneFollowsItsDaylightSavingTime() throws {
    let newYork = try #require(TimeZone(identifier: "America/New_York"))
    // 2024-03-10 has 23 hours in New York; it ends at 04:00 UTC on the 11th (EDT, -4).
    #expect(milliseconds(day("2024-03-10").endOfDay(in: newYork)) == 1_710_129_599_999)
    // 2024-01-15 ends at 05:00 UTC on the 16th (EST, -5).
    #expect(milliseconds(day("2024-01-15").endOfDay(in: newYork)) == 1_705_381_199_999)
    let utc = try #require(TimeZone(identifier: "UTC"))
    #expect(milliseconds(day("1970-01-01").endOfDay(in: utc)) == 86_399_999)
  }
}

/// Milliseconds since 1970, exact for the instants these tests name.
private func milliseconds(_ instant: Date) -> Int64 {
  Int64((instant.timeIntervalSince1970 * 1000).rounded())
}
