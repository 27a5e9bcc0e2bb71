import CharterCrypto
import CharterPostgres
import CharterProtocol
import CharterStore
import Foundation
import Testing

@testable import CharterAccounts

/// LOGIN, LOGOUT and WHOAMI (issue 3 items 4-5; RELIABILITY A1, A3).
@Suite struct LoginTests {
  static let authFailed = "ERR AUTH_FAILED wrong name or password\n"

  @Test func operatorsAndTenantAdministratorsLogInAndWhoamiShowsTheirScope() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("alice", password: "operator passphrase")
      let aitisa = try await harness.seedTenant("aitisa")
      try await harness.seedAdministrator("bob", in: aitisa, password: "secretariat passphrase")

      let operatorSession = harness.session()
      #expect(
        await operatorSession.send(#"LOGIN alice "operator passphrase""#)
          == "OK logged in as alice (operator)\n")
      #expect(
        await operatorSession.send("WHOAMI")
          == "# name\tscope\trole\ttenant\n* alice\tinstallation\toperator\t\nOK\n")

      let tenantSession = harness.session()
      #expect(
        await tenantSession.send(#"LOGIN bob@aitisa "secretariat passphrase""#)
          == "OK logged in as bob@aitisa (secretariat)\n")
      #expect(
        tenantSession.principal == Principal(name: "bob", scope: .tenant("aitisa", .secretariat)))
      #expect(
        await tenantSession.send("WHOAMI")
          == "# name\tscope\trole\ttenant\n* bob\ttenant\tsecretariat\taitisa\nOK\n")
      #expect(await tenantSession.send("LOGOUT") == "OK logged out\n")
      #expect(tenantSession.principal == nil)

      // Logins are audited where they belong: the operator's in the installation log, bob's
      // (and his logout) in aitisa's; the password never.
      let installation = try await harness.installationAudit()
      #expect(installation.map(\.command) == [#"LOGIN "alice" ***"#])
      #expect(installation.first?.outcome == "succeeded")
      #expect(installation.first?.detail.contains(#""address": "192.0.2.7""#) == true)
      let tenantRows = try await harness.tenantAudit(aitisa)
      #expect(tenantRows.map(\.command) == [#"LOGIN "bob@aitisa" ***"#, "LOGOUT"])
      #expect(!tenantRows.contains { $0.detail.contains("passphrase") })
    }
  }

  /// RELIABILITY A3: unknown name, unknown tenant, wrong password, disabled and locked
  /// accounts get byte-identical replies, and each attempt leaves an audit row.
  @Test func everyFailedLoginGetsTheSameReplyAndIsAudited() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("alice", password: "operator passphrase")
      let aitisa = try await harness.seedTenant("aitisa")
      try await harness.seedAdministrator("bob", in: aitisa, password: "bob passphrase")
      try await harness.seedAdministrator(
        "carol", in: aitisa, password: "carol passphrase", disabled: true)
      try await harness.seedAdministrator("dave", in: aitisa, password: "dave passphrase")
      try await harness.database.withTenant(aitisa) { connection in
        try await connection.query(
          "update charter.tenant_administrators set locked_until = $1 where login = 'dave'",
          [harness.clock.now.addingTimeInterval(600)])
      }
      let session = harness.session()
      let attempts = [
        #"LOGIN nobody "operator passphrase""#,  // unknown operator
        #"LOGIN alice "wrong passphrase""#,  // wrong password
        #"LOGIN bob@nope "bob passphrase""#,  // unknown tenant
        #"LOGIN nobody@aitisa "bob passphrase""#,  // unknown administrator
        #"LOGIN bob@aitisa "wrong passphrase""#,  // wrong password
        #"LOGIN carol@aitisa "carol passphrase""#,  // disabled, right password
        #"LOGIN dave@aitisa "dave passphrase""#,  // locked, right password
        #"LOGIN bob "bob passphrase""#,  // a tenant administrator without its tenant
        "LOGIN bob@aitisa",  // no password and no certificate
      ]
      for attempt in attempts {
        #expect(await session.send(attempt) == Self.authFailed, "\(attempt)")
      }
      #expect(session.principal == nil)
      let installation = try await harness.installationAudit()
      let tenantRows = try await harness.tenantAudit(aitisa)
      #expect(installation.count == 4)  // nobody, alice, bob@nope, bob
      #expect(tenantRows.count == 5)
      #expect((installation + tenantRows).allSatisfy { $0.outcome == "refused" })
      #expect(tenantRows.contains { $0.detail.contains("account locked") })
      #expect(tenantRows.contains { $0.detail.contains("account disabled") })
      // A locked account's password was never verified: only alice's and bob's wrong
      // passwords were (A2).
      #expect(harness.service.passwords.verificationCount == 2)
    }
  }

  /// RELIABILITY A1: a hash made with weaker parameters (here PBKDF2 with few iterations)
  /// is replaced at the next successful login by one at the current policy.
  @Test func aWeakerHashIsReplacedAtTheNextLogin() async throws {
    try await AccountsHarness.with { harness in
      let aitisa = try await harness.seedTenant("aitisa")
      let weak = try harness.hash(
        "old but right", policy: PasswordPolicy(algorithm: .pbkdf2SHA256(iterations: 1_000)))
      try await harness.seedAdministrator(
        "bob", in: aitisa, password: "", passwordHash: weak)
      let session = harness.session()
      #expect(await session.status(#"LOGIN bob@aitisa "old but right""#).hasPrefix("OK"))
      let stored = try #require(try await harness.administratorHash("bob", in: aitisa))
      #expect(stored.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
      #expect(stored != weak)
      // The new hash verifies the same password.
      #expect(await harness.session().status(#"LOGIN bob@aitisa "old but right""#).hasPrefix("OK"))
      #expect(try await harness.tenantAudit(aitisa).first?.detail.contains("re-hashed") == true)
    }
  }

  @Test func aFailedLoginWhileLoggedInKeepsTheSession() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("alice", password: "operator passphrase")
      let session = harness.session()
      await session.send(#"LOGIN alice "operator passphrase""#)
      #expect(await session.send("LOGIN alice wrong") == Self.authFailed)
      #expect(session.principal?.name == "alice")
    }
  }

  /// issue 3 item 1: a verified client certificate mapped to an administrator logs in
  /// without a password; another subject or a disabled administrator is refused
  /// (RELIABILITY T2), with the same reply as a wrong password.
  @Test func aMappedClientCertificateLogsInWithoutPassword() async throws {
    try await AccountsHarness.with { harness in
      let aitisa = try await harness.seedTenant("aitisa")
      let subject = "CN=bob,O=AITISA Secretariat,C=CN"
      try await harness.seedAdministrator(
        "bob", in: aitisa, password: "bob passphrase", certificate: subject)
      let good = harness.session(certificateSubject: subject)
      #expect(await good.send("LOGIN bob@aitisa") == "OK logged in as bob@aitisa (secretariat)\n")
      let other = harness.session(certificateSubject: "CN=bob,O=Someone Else,C=CN")
      #expect(await other.send("LOGIN bob@aitisa") == Self.authFailed)
      let none = harness.session()
      #expect(await none.send("LOGIN bob@aitisa") == Self.authFailed)

      try await harness.database.withTenant(aitisa) { connection in
        try await connection.query(
          "update charter.tenant_administrators set disabled = true where login = 'bob'", [])
      }
      #expect(
        await harness.session(certificateSubject: subject).send("LOGIN bob@aitisa")
          == Self.authFailed)
      // The session logged in before the disabling is logged out at its next command.
      #expect(
        await good.status("WHOAMI")
          == "ERR NOT_LOGGED_IN your account is disabled; you are logged out")
      #expect(good.principal == nil)
    }
  }
}
