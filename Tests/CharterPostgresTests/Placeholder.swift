import Testing

@testable import CharterPostgres

@Test func CharterPostgresModuleLinks() {
    #expect(Bool(true))
}
