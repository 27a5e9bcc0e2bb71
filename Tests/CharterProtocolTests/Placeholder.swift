import Testing

@testable import CharterProtocol

@Test func CharterProtocolModuleLinks() {
    #expect(Bool(true))
}
