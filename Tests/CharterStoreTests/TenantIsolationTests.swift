import CharterPostgres
import CharterStore
import CharterTestSupport
import Foundation
import Testing

/// RELIABILITY S2: with raw SQL as the run-time role, row-level security keeps tenants apart on
/// every tenant table, the list taken from the catalog so that a table added later is covered.
@Suite struct TenantIsolationTests {
  @Test func everyTenantTableHidesAndProtectsAnotherTenantsRows() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .app) { app in
        let a = try await Seeding.seedTenant(slug: "tenant-a", on: app)
        let b = try await Seeding.seedTenant(slug: "tenant-b", on: app)
        let inA = [TenancySettings.tenant: a.tenant.description]

        let tables = try await Seeding.tenantTables(on: app)
        #expect(tables.count >= tenantFixtures.count)
        let fixtures = Dictionary(uniqueKeysWithValues: tenantFixtures.map { ($0.table, $0) })
        for table in tables {
          let fixture = try #require(
            fixtures[table], "tenant table \(table) has no fixture in TenantFixtures.swift: add one"
          )

          let (ownRows, otherRows) = try await app.transaction(settings: inA) { connection in
            let own = try await connection.query("select count(*) from \(table)", [])
            let other = try await connection.query(
              "select count(*) from \(table) where tenant_id <> $1", [a.tenant])
            return (
              try own.rows[0].decode(0, as: Int.self), try other.rows[0].decode(0, as: Int.self)
            )
          }
          #expect(
            ownRows >= 1, "\(table): tenant A must see its own rows, or this test proves nothing")
          #expect(otherRows == 0, "\(table): tenant A read rows of another tenant")

          let updateState = await sqlState {
            try await app.transaction(settings: inA) { connection in
              let result = try await connection.query(
                "update \(table) set tenant_id = tenant_id where tenant_id = $1", [b.tenant])
              #expect(result.affectedRows == 0, "\(table): tenant A updated tenant B's rows")
            }
          }
          #expect(
            updateState == nil || updateState == insufficientPrivilege,
            "\(table): \(updateState ?? "")")

          let deleteState = await sqlState {
            try await app.transaction(settings: inA) { connection in
              let result = try await connection.query(
                "delete from \(table) where tenant_id = $1", [b.tenant])
              #expect(result.affectedRows == 0, "\(table): tenant A deleted tenant B's rows")
            }
          }
          #expect(
            deleteState == nil || deleteState == insufficientPrivilege,
            "\(table): \(deleteState ?? "")")

          let insertState = await sqlState {
            try await app.transaction(settings: inA) { connection in
              try await connection.query(fixture.sql, fixture.parameters(b))
            }
          }
          #expect(
            insertState == insufficientPrivilege,
            "\(table): INSERT with B's tenant_id in A's context")

          let moveState = await sqlState {
            try await app.transaction(settings: inA) { connection in
              try await connection.query(
                "update \(table) set tenant_id = $1 where tenant_id = $2", [b.tenant, a.tenant])
            }
          }
          #expect(moveState == insufficientPrivilege, "\(table): UPDATE moving A's rows to B")
        }

        // B's rows are all still there, and B sees only its own.
        let inB = [TenancySettings.tenant: b.tenant.description]
        for table in tables {
          let count = try await app.transaction(settings: inB) { connection in
            try await connection.query("select count(*) from \(table)", []).rows[0].decode(
              0, as: Int.self)
          }
          #expect(count == 1, "\(table): tenant B has \(count) rows, seeded 1")
        }
      }
    }
  }

  @Test func withoutContextNoTenantRowIsVisibleOrWritable() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .app) { app in
        // Never set in this session: current_setting gives NULL.
        let unset = try await app.query("select charter.current_tenant() is null", []).scalar(
          as: Bool.self)
        #expect(unset)
        let a = try await Seeding.seedTenant(slug: "tenant-a", on: app)
        _ = try await Seeding.seedTenant(slug: "tenant-b", on: app)
        // Set locally by the seeding transactions, now ended: current_setting gives '', still NULL.
        let ended = try await app.query("select charter.current_tenant() is null", []).scalar(
          as: Bool.self)
        #expect(ended)

        let tables = try await Seeding.tenantTables(on: app)
        for table in tables + ["charter.tenants"] {
          let count = try await app.query("select count(*) from \(table)", []).rows[0].decode(
            0, as: Int.self)
          #expect(count == 0, "\(table): \(count) rows visible without a tenant context")
        }
        let fixture = try #require(tenantFixtures.first { $0.table == "charter.members" })
        let insertState = await sqlState { try await app.query(fixture.sql, fixture.parameters(a)) }
        #expect(insertState == insufficientPrivilege)

        // Installation scope opens the tenants table, never tenant tables.
        let scope = [TenancySettings.scope: TenancySettings.installationScope]
        let (tenants, members) = try await app.transaction(settings: scope) { connection in
          (
            try await connection.query("select count(*) from charter.tenants", []).rows[0].decode(
              0, as: Int.self),
            try await connection.query("select count(*) from charter.members", []).rows[0].decode(
              0, as: Int.self)
          )
        }
        #expect(tenants == 2)
        #expect(members == 0)

        // Inside a tenant, the tenants table shows that tenant's row only, read-only.
        let inA = [TenancySettings.tenant: a.tenant.description]
        let visible = try await app.transaction(settings: inA) { connection in
          try await connection.query("select id from charter.tenants", []).rows.map {
            try $0.decode(0, as: TenantID.self)
          }
        }
        #expect(visible == [a.tenant])
        let renameState = await sqlState {
          try await app.transaction(settings: inA) { connection in
            let result = try await connection.query("update charter.tenants set name = 'x'", [])
            #expect(result.affectedRows == 0)
          }
        }
        #expect(renameState == nil || renameState == insufficientPrivilege)
      }
    }
  }

  @Test func runtimeRoleCannotSwitchRowSecurityOffOrBecomeOwner() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .app) { app in
        var attempts = [
          "set role charter_owner",
          "set session authorization charter_owner",
          "grant charter_owner to charter_app",
          "alter role charter_app bypassrls",
          "create or replace function charter.current_tenant() returns uuid language sql as 'select null::uuid'",
        ]
        for table in try await Seeding.tenantTables(on: app) {
          attempts += [
            "alter table \(table) disable row level security",
            "alter table \(table) no force row level security",
            "alter table \(table) owner to charter_app",
            "drop policy tenant_isolation on \(table)",
          ]
        }
        for statement in attempts {
          let state = await sqlState { try await app.query(statement, []) }
          #expect(state == insufficientPrivilege, "run-time role managed: \(statement)")
        }
      }
    }
  }
}
