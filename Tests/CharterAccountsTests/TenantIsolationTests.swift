import CharterPostgres
import CharterStore
import Foundation
import Testing

@testable import CharterAccounts

/// A tenant administrator cannot reach another tenant (issue 3 item 4; RELIABILITY S1, S5,
/// S6): an object of tenant B looks exactly like a missing one, installation commands are
/// refused, and every attempt is audited in the attacker's own tenant.
@Suite struct TenantIsolationTests {
  /// B's administrators, by name.
  static let betaNames = (1...12).map { "b-admin-\($0)" } + ["carol", "sec"]

  /// Everything a secretariat of A might try against B: every ADMIN and AUDIT command with
  /// every name of B, and the TENANT commands with B's slug. `sec` exists in both tenants.
  static var attempts: [String] {
    var attempts: [String] = []
    for name in betaNames where name != "sec" {
      attempts += [
        "ADMIN SHOW \(name)", #"ADMIN PASSWD \#(name) "attacker chosen passphrase""#,
        "ADMIN DISABLE \(name)", "ADMIN ENABLE \(name)", "AUDIT SEARCH admin=\(name)",
      ]
    }
    attempts += [
      "TENANT SHOW beta", "TENANT USE beta", #"TENANT CREATE beta "Beta again""#, "TENANT LIST",
    ]
    return attempts
  }

  /// Attempts that end in an error (the AUDIT SEARCH ones succeed with no rows, and a
  /// successful read is not audited).
  static var failingAttempts: Int { attempts.filter { !$0.hasPrefix("AUDIT SEARCH") }.count }

  @Test func anotherTenantsObjectsLookMissingAndEveryAttemptIsAudited() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("root", password: "operator passphrase")
      let alpha = try await harness.seedTenant("alpha")
      let beta = try await harness.seedTenant("beta")
      try await harness.seedAdministrator("sec", in: alpha, password: "alpha passphrase")
      try await harness.seedAdministrator("sec", in: beta, password: "beta passphrase")

      let attacker = harness.session(address: "198.51.100.66")
      #expect(await attacker.status(#"LOGIN sec@alpha "alpha passphrase""#).hasPrefix("OK"))

      // Before B's administrators exist.
      var before: [String] = []
      for attempt in Self.attempts { before.append(await attacker.send(attempt)) }
      #expect(before[0] == "ERR NOT_FOUND no administrator b-admin-1\n")
      #expect(before.contains("ERR FORBIDDEN TENANT SHOW is for installation operators\n"))

      // They are created (carol by an operator, the others seeded).
      let operatorSession = harness.session()
      await operatorSession.send(#"LOGIN root "operator passphrase""#)
      await operatorSession.send("TENANT USE beta")
      #expect(await operatorSession.status("ADMIN CREATE carol viewer").hasPrefix("OK"))
      for name in Self.betaNames where name != "carol" && name != "sec" {
        try await harness.seedAdministrator(name, in: beta, password: "beta passphrase")
      }
      var hashes: [String: String?] = [:]
      for name in Self.betaNames {
        hashes[name] = try await harness.administratorHash(name, in: beta)
      }

      // The same attempts now that they exist in B: byte for byte the same replies.
      let attacker2 = harness.session(address: "198.51.100.66")
      #expect(await attacker2.status(#"LOGIN sec@alpha "alpha passphrase""#).hasPrefix("OK"))
      var after: [String] = []
      for attempt in Self.attempts { after.append(await attacker2.send(attempt)) }
      #expect(before == after)
      #expect(!after.contains { $0.hasPrefix("OK") && !$0.hasSuffix("OK 0 records\n") })
      // And nothing changed in B.
      for name in Self.betaNames {
        #expect(try await harness.administratorHash(name, in: beta) == hashes[name])
      }
      #expect(await operatorSession.send("ADMIN LIST").contains("\tdisabled\t") == false)

      // The tenant comes from the session: a LOGIN switching to B's carol without her
      // password or certificate fails like any wrong login, and A's session stays.
      #expect(
        await attacker2.send("LOGIN carol@beta") == "ERR AUTH_FAILED wrong name or password\n")
      #expect(attacker2.principal?.name == "sec")

      // S5: a natural key that exists only in B is free in A.
      #expect(await attacker2.status("ADMIN CREATE carol viewer").hasPrefix("OK"))
      #expect(try await harness.administratorHash("carol", in: beta) == hashes["carol"])

      // S6: every failed attempt of both rounds is one refused row in A's log; B's log
      // holds only the operator's work and the failed login naming B.
      let alphaRows = try await harness.tenantAudit(alpha)
      let refused = alphaRows.filter { $0.actor == "sec" && $0.outcome == "refused" }
      #expect(refused.count == 2 * Self.failingAttempts)
      print("cross-tenant attempts: \(2 * Self.attempts.count), audited refusals: \(refused.count)")
      #expect(refused.allSatisfy { $0.detail.contains("198.51.100.66") })
      #expect(!alphaRows.contains { $0.detail.contains("attacker chosen") })
      let betaRows = try await harness.tenantAudit(beta)
      #expect(Set(betaRows.map(\.actor)) == ["carol", "root"])
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
