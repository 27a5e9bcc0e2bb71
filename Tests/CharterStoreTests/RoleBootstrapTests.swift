import CharterPostgres
import CharterStore
import Foundation
import Testing

@testable import CharterStore

@Suite struct RoleBootstrapTests {
    @Test func deployRolesFileRunsTheSameStatementsAsTheBootstrap() throws {
        let file = TestDatabase.repositoryRoot.appendingPathComponent("Deploy/postgres/roles.sql")
        let text = try String(contentsOf: file, encoding: .utf8)
        let statements = RoleBootstrap.rolesSQL.split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let fileLines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let start = try #require(fileLines.firstIndex(of: statements[0]))
        #expect(Array(fileLines[start..<min(fileLines.count, start + statements.count)]) == statements)
    }

    @Test func rolesHaveTheAgreedAttributesAndRunningAgainIsHarmless() async throws {
        try await TestDatabase.with(migrated: false) { database in
            try await database.withConnection(as: .superuser) { superuser in
                try await RoleBootstrap.createRoles(superuser: superuser)
                try await RoleBootstrap.createRoles(superuser: superuser)
                let rows = try await superuser.query(
                    """
                    select rolname::text, rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,
                           pg_has_role(oid, 'charter_runtime', 'MEMBER'), pg_has_role(oid, 'charter_owner', 'MEMBER')
                    from pg_roles where rolname in ('charter_owner', 'charter_runtime', 'charter_app')
                    order by 1
                    """, []
                ).rows
                #expect(rows.count == 3)
                for row in rows {
                    let name = try row.decode(0, as: String.self)
                    let canLogin = try row.decode(1, as: Bool.self)
                    #expect(canLogin == (name != "charter_runtime"), "\(name) login")
                    for column in 2...5 {
                        #expect(try row.decode(column, as: Bool.self) == false, "\(name) attribute \(column)")
                    }
                    if name == "charter_app" {
                        #expect(try row.decode(6, as: Bool.self), "charter_app is in charter_runtime")
                        #expect(try row.decode(7, as: Bool.self) == false, "charter_app must not reach the owner")
                    }
                }
                let owner = try await superuser.query(
                    "select pg_get_userbyid(datdba)::text from pg_database where datname = current_database()", [])
                #expect(try owner.rows[0].decode(0, as: String.self) == "charter_owner")
                // Creating the same database again is not an error.
                try await RoleBootstrap.createDatabase(named: database.name, superuser: superuser)
            }
        }
    }

    @Test func databaseNamesThatAreNotPlainIdentifiersAreRefused() async throws {
        #expect(RoleBootstrap.isPlainIdentifier("charter"))
        #expect(RoleBootstrap.isPlainIdentifier("charter_t_01"))
        #expect(!RoleBootstrap.isPlainIdentifier("Charter"))
        #expect(!RoleBootstrap.isPlainIdentifier("x\"; drop database postgres; --"))
        #expect(!RoleBootstrap.isPlainIdentifier(""))
        #expect(!RoleBootstrap.isPlainIdentifier(String(repeating: "a", count: 64)))
    }
}

@Suite struct DatabaseTenancyTests {
    @Test func withTenantScopesATransactionAndLeavesNothingOnThePooledConnection() async throws {
        try await TestDatabase.with { database in
            let (a, b) = try await database.withConnection(as: .app) { app in
                (
                    try await Seeding.seedTenant(slug: "tenant-a", on: app),
                    try await Seeding.seedTenant(slug: "tenant-b", on: app)
                )
            }
            let pool = PostgresPool(
                configuration: try PostgresConfiguration(url: database.url(as: .app)), maxConnections: 1,
                acquireTimeout: .seconds(10))
            let store = Database(pool: pool)
            do {
                for seed in [a, b, a] {
                    let members = try await store.withTenant(seed.tenant) { connection in
                        try await connection.query("select id from charter.members", []).rows.map {
                            try $0.decode(0, as: UUID.self)
                        }
                    }
                    #expect(members == [seed.memberID])
                    // RELIABILITY S4: the one pooled connection carries no tenant afterwards.
                    let leftover = try await pool.withConnection { connection in
                        try await connection.query("select charter.current_tenant() is null", []).rows[0].decode(
                            0, as: Bool.self)
                    }
                    #expect(leftover)
                }
                let slugs = try await store.withInstallationScope { connection in
                    try await connection.query("select slug from charter.tenants order by slug", []).rows.map {
                        try $0.decode(0, as: String.self)
                    }
                }
                #expect(slugs == ["tenant-a", "tenant-b"])
                await pool.shutdown()
            } catch {
                await pool.shutdown()
                throw error
            }
        }
    }

    @Test func tenantIDParsesAndPrintsLowerCase() {
        let id = TenantID("8F14E45F-CEEA-467F-A9B3-6C2B1F0E4A11")
        #expect(id?.description == "8f14e45f-ceea-467f-a9b3-6c2b1f0e4a11")
        #expect(TenantID("not-a-uuid") == nil)
    }
}
