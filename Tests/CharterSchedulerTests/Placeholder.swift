import Testing

@testable import CharterScheduler

@Test func CharterSchedulerModuleLinks() {
  #expect(Bool(true))
}
