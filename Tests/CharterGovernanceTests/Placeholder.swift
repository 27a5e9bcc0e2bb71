import Testing

@testable import CharterGovernance

@Test func CharterGovernanceModuleLinks() {
    #expect(Bool(true))
}
