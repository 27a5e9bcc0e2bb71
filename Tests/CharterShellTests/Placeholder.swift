import Testing

@testable import CharterShell

@Test func CharterShellModuleLinks() {
  #expect(Bool(true))
}
