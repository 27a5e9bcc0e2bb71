import Testing

@testable import CharterDelivery

@Test func CharterDeliveryModuleLinks() {
  #expect(Bool(true))
}
