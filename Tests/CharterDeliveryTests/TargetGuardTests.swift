import Testing

@testable import CharterDelivery

/// RELIABILITY S8: which webhook targets are refused, by address and by name.
@Suite struct TargetGuardTests {
  @Test(arguments: [
    "http://127.0.0.1/", "http://127.8.9.10:8080/x", "http://[::1]/",
    "http://169.254.169.254/latest",
    "http://10.1.2.3/", "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.1.1/",
    "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[fe80::1]/", "http://0.0.0.0/",
    "http://[::]/", "http://100.64.0.1/", "http://[::ffff:127.0.0.1]/", "http://localhost:9/",
  ])
  func nonPublicTargetsAreRefused(url: String) throws {
    #expect(throws: DeliveryError.self) { try WebhookTargetGuard().pin(url) }
  }

  @Test func publicAddressesAreAllowedAndPinned() throws {
    let target = try WebhookTargetGuard().pin("https://93.184.216.34:8443/hook")
    #expect(target.resolveEntry == "93.184.216.34:8443:93.184.216.34")
    let v6 = try WebhookTargetGuard().pin("https://[2001:4860:4860::8888]/hook")
    #expect(v6.resolveEntry == "2001:4860:4860::8888:443:[2001:4860:4860::8888]")
  }

  @Test func theOperatorsAllowanceOpensOnlyItsNetworks() throws {
    let guardrail = WebhookTargetGuard(allowedNetworks: [try IPNetwork("10.20.0.0/16")])
    #expect(try guardrail.pin("http://10.20.3.4/").address == "10.20.3.4")
    #expect(throws: DeliveryError.self) { try guardrail.pin("http://10.21.0.1/") }
    #expect(throws: DeliveryError.self) { try guardrail.pin("http://127.0.0.1/") }
  }

  @Test func onlyHTTPWithoutUserInfoIsAccepted() {
    #expect(throws: DeliveryError.self) { try WebhookTargetGuard().pin("file:///etc/passwd") }
    #expect(throws: DeliveryError.self) { try WebhookTargetGuard().pin("gopher://93.184.216.34/") }
    #expect(throws: DeliveryError.self) {
      try WebhookTargetGuard().pin("http://user:pw@93.184.216.34/")
    }
  }

  /// The checked address is the one curl uses: the name is pinned to it (no second lookup).
  @Test func aNameIsPinnedToTheAddressThatWasChecked() throws {
    let guardrail = WebhookTargetGuard(allowedNetworks: [
      try IPNetwork("127.0.0.0/8"), try IPNetwork("::1/128"),
    ])
    let target = try guardrail.pin("http://localhost:8080/hook")
    #expect(target.resolveEntry.hasPrefix("localhost:8080:"))
    #expect(target.address.hasPrefix("127.") || target.address == "::1")
  }
}
