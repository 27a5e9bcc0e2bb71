import CharterPostgres
import CharterStore
import Foundation
import Testing

@testable import CharterAccounts

/// A tenant administrator cannot reach another tenant (issue 3 item 4; RELIABILITY S1, S5,
/// S6): an object of tenant B looks exactly like a missing one, installation commands are
/// refused, and every attempt is audited in the attacker's own tenant.
@Suite struct TenantIsolationTests {
  /// Everything a secretariat of A might try against B's administrator `carol` and B itself.
  static let attempts = [
    "ADMIN SHOW carol",
    #"ADMIN PASSWD carol "attacker chosen passphrase""#,
    "ADMIN DISABLE carol",
    "ADMIN ENABLE carol",
    "TENANT SHOW beta",
    "TENANT USE beta",
    #"TENANT CREATE beta "Beta again""#,
    "TENANT LIST",
    "LOGIN carol@beta",
  ]

  @Test func anotherTenantsObjectsLookMissingAndEveryAttemptIsAudited() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("root", password: "operator passphrase")
      let alpha = try await harness.seedTenant("alpha")
      let beta = try await harness.seedTenant("beta")
      try await harness.seedAdministrator("sec", in: alpha, password: "alpha passphrase")

      let attacker = harness.session(address: "198.51.100.66")
      #expect(await attacker.status(#"LOGIN sec@alpha "alpha passphrase""#).hasPrefix("OK"))

      // Before carol exists anywhere.
      var before: [String] = []
      for attempt in Self.attempts.dropLast() { before.append(await attacker.send(attempt)) }
      #expect(before[0] == "ERR NOT_FOUND no administrator carol\n")
      #expect(before[4] == "ERR FORBIDDEN TENANT SHOW is for installation operators\n")

      // An operator creates carol in beta.
      let operatorSession = harness.session()
      await operatorSession.send(#"LOGIN root "operator passphrase""#)
      await operatorSession.send("TENANT USE beta")
      #expect(await operatorSession.status("ADMIN CREATE carol viewer").hasPrefix("OK"))
      let carolHash = try await harness.administratorHash("carol", in: beta)

      // The same attempts now that carol exists in beta: byte for byte the same replies.
      let attacker2 = harness.session(address: "198.51.100.66")
      #expect(await attacker2.status(#"LOGIN sec@alpha "alpha passphrase""#).hasPrefix("OK"))
      var after: [String] = []
      for attempt in Self.attempts.dropLast() { after.append(await attacker2.send(attempt)) }
      #expect(before == after)
      // And nothing changed in beta.
      #expect(try await harness.administratorHash("carol", in: beta) == carolHash)
      let show = await operatorSession.send("ADMIN SHOW carol")
      #expect(show.contains("* status\tactive\n"))

      // The tenant comes from the session: a LOGIN switching to beta's carol without her
      // password or certificate fails like any wrong login, and alpha's session stays.
      #expect(
        await attacker2.send(Self.attempts.last ?? "")
          == "ERR AUTH_FAILED wrong name or password\n")
      #expect(attacker2.principal?.name == "sec")

      // S5: a natural key that exists only in beta is free in alpha.
      #expect(await attacker2.status("ADMIN CREATE carol viewer").hasPrefix("OK"))
      #expect(try await harness.administratorHash("carol", in: beta) == carolHash)

      // S6: every attempt (both rounds, 8 each) is one refused row in alpha's log; beta's
      // log holds only the operator's work and the failed login naming beta.
      let alphaRows = try await harness.tenantAudit(alpha)
      let refused = alphaRows.filter { $0.actor == "sec" && $0.outcome == "refused" }
      #expect(refused.count == 2 * (Self.attempts.count - 1))
      #expect(refused.allSatisfy { $0.detail.contains("198.51.100.66") })
      #expect(!alphaRows.contains { $0.detail.contains("attacker chosen") })
      let betaRows = try await harness.tenantAudit(beta)
      #expect(betaRows.map(\.actor).sorted() == ["carol", "root"])
    }
  }

  /// AUDIT commands of a tenant administrator read only its tenant's log.
  @Test func auditShowsOnlyTheOwnTenant() async throws {
    try await AccountsHarness.with { harness in
      let alpha = try await harness.seedTenant("alpha")
      let beta = try await harness.seedTenant("beta")
      try await harness.seedAdministrator("sec", in: alpha, password: "alpha passphrase")
      try await harness.seedAdministrator("sec", in: beta, password: "beta passphrase")
      let betaSession = harness.session()
      await betaSession.send(#"LOGIN sec@beta "beta passphrase""#)
      await betaSession.send("ADMIN CREATE secret-beta-name viewer")

      let alphaSession = harness.session()
      await alphaSession.send(#"LOGIN sec@alpha "alpha passphrase""#)
      let tail = await alphaSession.send("AUDIT TAIL limit=1000")
      #expect(!tail.contains("beta"))
      #expect(tail.contains(#"LOGIN "sec@alpha" ***"#))
      let search = await alphaSession.send(#"AUDIT SEARCH command="ADMIN CREATE""#)
      #expect(search == "# at\tadmin\ttenant\taddress\tcommand\toutcome\tdetail\nOK 0 records\n")
    }
  }

  /// Viewers are read-only: every state-changing command is refused (by the command table,
  /// before a handler runs) and each refusal is audited; their own password they may set.
  @Test func aViewerCannotChangeState() async throws {
    try await AccountsHarness.with { harness in
      let alpha = try await harness.seedTenant("alpha")
      try await harness.seedAdministrator("sec", in: alpha, password: "alpha passphrase")
      try await harness.seedAdministrator(
        "vera", in: alpha, role: "viewer", password: "viewer passphrase")
      let session = harness.session()
      await session.send(#"LOGIN vera@alpha "viewer passphrase""#)
      let refused = [
        "ADMIN CREATE mallory secretariat", "ADMIN DISABLE sec", "ADMIN ENABLE sec",
        #"ADMIN PASSWD sec "viewer chosen passphrase""#, "ADMIN LIST", "AUDIT TAIL",
      ]
      for command in refused {
        #expect(await session.status(command).hasPrefix("ERR FORBIDDEN"), "\(command)")
      }
      #expect(
        await session.send(#"ADMIN PASSWD vera "a new viewer passphrase""#)
          == "OK password of vera changed\n")
      let rows = try await harness.tenantAudit(alpha).filter { $0.actor == "vera" }
      #expect(rows.filter { $0.outcome == "refused" }.count == refused.count)
      #expect(
        await harness.session().status(#"LOGIN sec@alpha "alpha passphrase""#).hasPrefix("OK"))
    }
  }
}
