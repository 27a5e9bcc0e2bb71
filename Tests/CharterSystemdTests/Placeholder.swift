import Testing

@testable import CharterSystemd

@Test func CharterSystemdModuleLinks() {
  #expect(Bool(true))
}
