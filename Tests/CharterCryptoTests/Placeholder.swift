import Testing

@testable import CharterCrypto

@Test func CharterCryptoModuleLinks() {
  #expect(Bool(true))
}
