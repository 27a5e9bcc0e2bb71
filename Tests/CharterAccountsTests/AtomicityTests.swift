import CharterPostgres
import CharterStore
import Foundation
import Testing

@testable import CharterAccounts

/// Every state change is one transaction with its audit row: a failure changes nothing but
/// the failure's own audit row (issue 3 item 6). The run-time role can only append to the
/// audit logs.
@Suite struct AtomicityTests {
  @Test func aDuplicateCreateChangesNothing() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("root", password: "operator passphrase")
      let aitisa = try await harness.seedTenant("aitisa")
      let session = harness.session()
      await session.send(#"LOGIN root "operator passphrase""#)
      await session.send("TENANT USE aitisa")
      #expect(await session.status("ADMIN CREATE zhangsan secretariat").hasPrefix("OK"))
      let hash = try await harness.administratorHash("zhangsan", in: aitisa)
      #expect(
        await session.send(#"ADMIN CREATE zhangsan viewer display="other""#)
          == "ERR CONFLICT administrator zhangsan exists\n")
      #expect(try await harness.administratorHash("zhangsan", in: aitisa) == hash)
      #expect(await session.send("ADMIN SHOW zhangsan").contains("* role\tsecretariat\n"))
      #expect(await session.send("ADMIN LIST").hasSuffix("OK 1 administrator\n"))
      let rows = try await harness.tenantAudit(aitisa).filter {
        $0.command.hasPrefix("ADMIN CREATE")
      }
      #expect(rows.map(\.outcome) == ["succeeded", "failed"])

      #expect(await session.status(#"TENANT CREATE aitisa "again""#).hasPrefix("ERR CONFLICT"))
      let count = try await harness.database.withInstallationScope { connection in
        try await connection.query("select count(*)::bigint from charter.tenants", []).scalar(
          as: Int.self)
      }
      #expect(count == 1)
    }
  }

  /// A password change of a name that does not exist stores nothing and is audited as
  /// refused.
  @Test func aRefusedPasswordChangeStoresNothing() async throws {
    try await AccountsHarness.with { harness in
      let aitisa = try await harness.seedTenant("aitisa")
      try await harness.seedAdministrator("sec", in: aitisa, password: "sec passphrase")
      let session = harness.session()
      await session.send(#"LOGIN sec@aitisa "sec passphrase""#)
      #expect(
        await session.send(#"ADMIN PASSWD ghost "ghost passphrase""#)
          == "ERR NOT_FOUND no administrator ghost\n")
      let rows = try await harness.tenantAudit(aitisa)
      #expect(rows.last?.command == #"ADMIN PASSWD "ghost" ***"#)
      #expect(rows.last?.outcome == "refused")
    }
  }

  @Test func theRuntimeRoleCannotRewriteAuditRows() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("root", password: "operator passphrase")
      let aitisa = try await harness.seedTenant("aitisa")
      try await harness.seedAdministrator("sec", in: aitisa, password: "sec passphrase")
      await harness.session().send(#"LOGIN root "operator passphrase""#)
      await harness.session().send(#"LOGIN sec@aitisa "sec passphrase""#)
      #expect(try await harness.installationAudit().count == 1)
      #expect(try await harness.tenantAudit(aitisa).count == 1)

      let statements: [(AccountHome, String)] = [
        (.installation, "update charter.installation_audit_log set outcome = 'failed'"),
        (.installation, "delete from charter.installation_audit_log"),
        (
          .tenant(TenantRef(id: aitisa, slug: "aitisa")), "update charter.audit_log set actor = 'x'"
        ),
        (.tenant(TenantRef(id: aitisa, slug: "aitisa")), "delete from charter.audit_log"),
        (.tenant(TenantRef(id: aitisa, slug: "aitisa")), "truncate charter.audit_log"),
      ]
      for (home, sql) in statements {
        var state: String?
        do {
          try await harness.database.transaction(in: home) { connection in
            try await connection.query(sql, [])
          }
        } catch let error as PostgresError {
          state = error.sqlState
        }
        #expect(state == "42501", "\(sql)")
      }
      #expect(try await harness.installationAudit().count == 1)
      #expect(try await harness.tenantAudit(aitisa).first?.actor == "sec")
    }
  }
}
