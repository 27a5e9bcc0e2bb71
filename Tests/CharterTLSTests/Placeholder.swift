import Testing

@testable import CharterTLS

@Test func CharterTLSModuleLinks() {
    #expect(Bool(true))
}
