import CharterPostgres
import CharterStore
import CharterTestSupport
import Foundation
import Testing

/// The member register (DTPC art. 17: kept for good) and the audit log are append-only: the
/// run-time role has no UPDATE or DELETE privilege, and a trigger refuses both even to the owner.
@Suite struct AppendOnlyHistoryTests {
  static let historyTables = [
    "charter.member_register", "charter.audit_log", "charter.charter_versions",
    "charter.decisions", "charter.facts", "charter.fee_payments",
  ]

  @Test(arguments: historyTables)
  func runtimeRoleCannotRewriteHistory(table: String) async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .app) { app in
        let seed = try await Seeding.seedTenant(slug: "tenant-a", on: app)
        let inTenant = [TenancySettings.tenant: seed.tenant.description]
        for statement in ["update \(table) set tenant_id = tenant_id", "delete from \(table)"] {
          let state = await sqlState {
            try await app.transaction(settings: inTenant) { connection in
              try await connection.query(statement, [])
            }
          }
          #expect(state == insufficientPrivilege, "run-time role ran: \(statement)")
        }
        let remaining = try await app.transaction(settings: inTenant) { connection in
          try await connection.query("select count(*) from \(table)", []).rows[0].decode(
            0, as: Int.self)
        }
        #expect(remaining == 1)
      }
    }
  }

  @Test(arguments: historyTables)
  func triggerRefusesRewriteEvenByTheOwner(table: String) async throws {
    try await TestDatabase.with { database in
      let seed = try await database.withConnection(as: .app) { app in
        try await Seeding.seedTenant(slug: "tenant-a", on: app)
      }
      try await database.withConnection(as: .owner) { owner in
        let inTenant = [TenancySettings.tenant: seed.tenant.description]
        for statement in ["update \(table) set tenant_id = tenant_id", "delete from \(table)"] {
          do {
            try await owner.transaction(settings: inTenant) { connection in
              try await connection.query(statement, [])
            }
            Issue.record("the owner ran: \(statement)")
          } catch let error as PostgresError {
            #expect(error.sqlState == insufficientPrivilege)
            #expect(error.message.contains("append-only"), "\(error)")
          }
        }
      }
    }
  }
}
