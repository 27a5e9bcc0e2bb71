import Testing

@testable import CharterAccounts

@Test func CharterAccountsModuleLinks() {
  #expect(Bool(true))
}
