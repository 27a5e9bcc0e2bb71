import Testing

@testable import CharterDaemon

@Test func CharterDaemonModuleLinks() {
    #expect(Bool(true))
}
