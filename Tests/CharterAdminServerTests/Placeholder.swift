import Testing

@testable import CharterAdminServer

@Test func CharterAdminServerModuleLinks() {
  #expect(Bool(true))
}
