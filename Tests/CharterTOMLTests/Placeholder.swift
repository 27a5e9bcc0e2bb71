import Testing

@testable import CharterTOML

@Test func CharterTOMLModuleLinks() {
    #expect(Bool(true))
}
