import CharterPostgres
import CharterStore
import Foundation
import Testing

@testable import CharterAccounts

/// An account locks after 10 failed logins in 15 minutes (issue 3 item 5, RELIABILITY A2),
/// for 15 minutes; each source address meets a growing delay.
@Suite struct LockoutTests {
  static let authFailed = "ERR AUTH_FAILED wrong name or password\n"

  @Test func tenFailuresLockTheAccountUntilTheLockoutEnds() async throws {
    try await AccountsHarness.with { harness in
      let aitisa = try await harness.seedTenant("aitisa")
      try await harness.seedAdministrator("bob", in: aitisa, password: "right passphrase")
      try await harness.seedOperator("alice", password: "operator passphrase")
      // From rotating addresses: the lockout is per account, not per address.
      for attempt in 1...10 {
        let session = harness.session(address: "198.51.100.\(attempt)")
        #expect(await session.send(#"LOGIN bob@aitisa "guess \#(attempt)""#) == Self.authFailed)
        harness.clock.advance(by: 60)
      }
      let verifiedBeforeLock = harness.service.passwords.verificationCount
      #expect(verifiedBeforeLock == 10)
      // Locked: even the right password fails, with the same reply, and no password is
      // verified while the lock lasts.
      for _ in 1...5 {
        #expect(
          await harness.session().send(#"LOGIN bob@aitisa "right passphrase""#) == Self.authFailed)
      }
      #expect(harness.service.passwords.verificationCount == verifiedBeforeLock)
      // Other accounts are not affected.
      #expect(
        await harness.session().status(#"LOGIN alice "operator passphrase""#).hasPrefix("OK"))

      // The lockout is recorded once, in the audit log and the daemon log.
      let rows = try await harness.tenantAudit(aitisa)
      #expect(rows.filter { $0.detail.contains(#""lockout": "started""#) }.count == 1)
      #expect(rows.filter { $0.outcome == "refused" }.count == 15)
      #expect(harness.logLines.all.filter { $0.contains("locked until") }.count == 1)

      // 15 minutes after the tenth failure the account accepts its password again (the
      // clock is one minute past it now).
      harness.clock.advance(by: 13 * 60)
      #expect(
        await harness.session().send(#"LOGIN bob@aitisa "right passphrase""#) == Self.authFailed)
      harness.clock.advance(by: 61)
      #expect(
        await harness.session().send(#"LOGIN bob@aitisa "right passphrase""#)
          == "OK logged in as bob@aitisa (secretariat)\n")
    }
  }

  /// The window slides: 9 failures, a pause longer than the window, 9 more do not lock;
  /// a 10th within 15 minutes of the 9 before it does.
  @Test func failuresOutsideTheWindowDoNotCount() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("alice", password: "operator passphrase")
      for _ in 1...9 { await harness.session().send("LOGIN alice wrong") }
      harness.clock.advance(by: 16 * 60)
      for _ in 1...9 {
        await harness.session().send("LOGIN alice wrong")
        harness.clock.advance(by: 10)
      }
      #expect(
        await harness.session().status(#"LOGIN alice "operator passphrase""#).hasPrefix("OK"))
      // A success forgets the failures: nine more still do not lock.
      for _ in 1...9 { await harness.session().send("LOGIN alice wrong") }
      #expect(
        await harness.session().status(#"LOGIN alice "operator passphrase""#).hasPrefix("OK"))
      for _ in 1...10 { await harness.session().send("LOGIN alice wrong") }
      #expect(
        await harness.session().send(#"LOGIN alice "operator passphrase""#) == Self.authFailed)
      let rows = try await harness.installationAudit()
      #expect(rows.filter { $0.detail.contains(#""lockout": "started""#) }.count == 1)
    }
  }

  @Test func anOperatorLiftsALockoutWithAdminEnable() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("root", password: "operator passphrase")
      let aitisa = try await harness.seedTenant("aitisa")
      try await harness.seedAdministrator("bob", in: aitisa, password: "right passphrase")
      for _ in 1...10 { await harness.session().send("LOGIN bob@aitisa wrong") }
      let operatorSession = harness.session()
      await operatorSession.send(#"LOGIN root "operator passphrase""#)
      await operatorSession.send("TENANT USE aitisa")
      #expect(await operatorSession.send("ADMIN LIST").contains("bob\tsecretariat\tbob\tlocked\t"))
      #expect(await operatorSession.send("ADMIN ENABLE bob") == "OK bob enabled\n")
      #expect(
        await harness.session().status(#"LOGIN bob@aitisa "right passphrase""#).hasPrefix("OK"))
    }
  }

  /// The delay per source address grows with its failures, is capped, decays with time and
  /// is not reset by a success from the same address.
  @Test func theDelayPerAddressGrowsAndDecays() async {
    let throttle = AddressThrottle(
      policy: ThrottlePolicy(
        base: .milliseconds(250), maximum: .seconds(8), halfLife: .seconds(600)))
    let start = Date(timeIntervalSince1970: 1_795_000_000)
    var delays: [Duration] = []
    for _ in 1...7 {
      delays.append(await throttle.recordFailure(from: "203.0.113.9", at: start))
    }
    #expect(
      delays == [
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8),
        .seconds(8),
      ])
    // Another address starts afresh.
    #expect(await throttle.recordFailure(from: "203.0.113.10", at: start) == .milliseconds(250))
    // After one half-life the score of 7 is 3.5: the next failure scores 4.5.
    let later = start.addingTimeInterval(600)
    #expect(abs(await throttle.currentScore(of: "203.0.113.9", at: later) - 3.5) < 0.001)
    let decayed = await throttle.recordFailure(from: "203.0.113.9", at: later)
    #expect(decayed > .seconds(2) && decayed < .seconds(4))
  }

  /// The throttle really delays the reply of a failed login.
  @Test func aFailedLoginIsAnsweredAfterTheAddressDelay() async throws {
    try await AccountsHarness.with(
      throttle: ThrottlePolicy(base: .milliseconds(200), maximum: .milliseconds(400))
    ) { harness in
      try await harness.seedOperator("alice", password: "operator passphrase")
      let session = harness.session(address: "203.0.113.50")
      let clock = ContinuousClock()
      let first = await clock.measure { await session.send("LOGIN alice wrong") }
      let second = await clock.measure { await session.send("LOGIN alice wrong") }
      #expect(first >= .milliseconds(200))
      #expect(second >= .milliseconds(400))
    }
  }
}
