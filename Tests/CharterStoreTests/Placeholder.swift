import Testing

@testable import CharterStore

@Test func CharterStoreModuleLinks() {
    #expect(Bool(true))
}
