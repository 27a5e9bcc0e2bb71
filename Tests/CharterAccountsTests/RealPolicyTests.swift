import CharterCrypto
import Foundation
import Testing

@testable import CharterAccounts

/// The production policy, end to end (RELIABILITY A1, A3): scrypt N = 2^17, r = 8, p = 1.
@Suite struct RealPolicyTests {
  @Test func loginWithTheProductionPasswordPolicy() async throws {
    try await AccountsHarness.with(policy: .current) { harness in
      try await harness.seedOperator("alice", password: "operator passphrase")
      let stored = try #require(try await harness.operatorHash("alice"))
      #expect(stored.hasPrefix("$scrypt$ln=17,r=8,p=1$"))
      let clock = ContinuousClock()
      var replies: [String] = []
      var times: [Duration] = []
      for attempt in [#"LOGIN alice "wrong passphrase""#, #"LOGIN nobody "operator passphrase""#] {
        let session = harness.session(address: "203.0.113.\(replies.count + 1)")
        var reply = ""
        times.append(await clock.measure { reply = await session.send(attempt) })
        replies.append(reply)
      }
      #expect(replies == Array(repeating: "ERR AUTH_FAILED wrong name or password\n", count: 2))
      print("real policy: wrong password \(times[0]), unknown name \(times[1])")
      #expect(
        await harness.session().send(#"LOGIN alice "operator passphrase""#)
          == "OK logged in as alice (operator)\n")
      // No re-hash: the stored hash already meets the policy.
      #expect(try await harness.operatorHash("alice") == stored)
    }
  }
}
