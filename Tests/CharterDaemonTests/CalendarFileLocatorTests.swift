import CharterCalendar
import Foundation
import Testing

@testable import CharterDaemon

@Suite struct CalendarFileLocatorTests {
  @Test func searchOrderIsConfigDirThenParentsOfTheExecutableThenSystemFolders() {
    let locator = CalendarFileLocator(
      environment: ["CHARTER_CONFIG_DIR": "/srv/charter/config"],
      executable: URL(fileURLWithPath: "/opt/charter/bin/charterd"))
    #expect(
      locator.candidates().map(\.path) == [
        "/srv/charter/config/calendar/cn-statutory.toml",
        "/opt/charter/bin/Config/calendar/cn-statutory.toml",
        "/opt/charter/Config/calendar/cn-statutory.toml",
        "/opt/Config/calendar/cn-statutory.toml",
        "/Config/calendar/cn-statutory.toml",
        "/etc/charter/calendar/cn-statutory.toml",
        "/usr/share/charter/calendar/cn-statutory.toml",
      ])
  }

  @Test func emptyConfigDirIsIgnored() {
    let locator = CalendarFileLocator(environment: ["CHARTER_CONFIG_DIR": ""], executable: nil)
    #expect(locator.candidates().count == 2)
  }

  @Test func optionsMayComeAnywhereAndInEitherSpelling() {
    let parsed = CalendarInvocation.parse([
      "--calendar=/x.toml", "after", "2024-09-30", "--fallback", "weekdays", "3", "days",
    ])
    guard case .success(.run(let invocation)) = parsed else {
      Issue.record("not parsed: \(parsed)")
      return
    }
    #expect(invocation.calendarFile == "/x.toml")
    #expect(invocation.fallback == .mondayToFriday)
    #expect(invocation.operation == .after(CivilDateLiteral.day("2024-09-30"), .calendarDays(3)))
  }
}

enum CivilDateLiteral {
  static func day(_ iso: String) -> CivilDate {
    guard let date = CivilDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
  }
}
