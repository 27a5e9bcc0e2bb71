import CharterPostgres
import CharterStore
import CharterTestSupport
import Foundation
import Testing

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
            try await connection.query("select charter.current_tenant() is null", []).rows[0]
              .decode(
                0, as: Bool.self)
          }
          #expect(leftover)
        }
        let slugs = try await store.withInstallationScope { connection in
          try await connection.query("select slug from charter.tenants order by slug", []).rows.map
          {
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
