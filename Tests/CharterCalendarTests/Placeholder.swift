import Testing

@testable import CharterCalendar

@Test func CharterCalendarModuleLinks() {
    #expect(Bool(true))
}
