import CharterPostgres
import CharterStore
import CharterTestSupport
import Testing

/// RELIABILITY S7: every tenant table's keys include tenant_id, so the schema distributes on Citus.
@Suite struct CitusReadinessTests {
  @Test func theSchemaIsReady() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .app) { app in
        let found = try await CitusReadiness.violations(connection: app)
        #expect(found == [])
      }
    }
  }

  @Test func keysWithoutTenantIDAreCaught() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .owner) { owner in
        try await owner.executeScript(
          """
          create table charter.badge_codes (
              tenant_id uuid not null references charter.tenants (id),
              id uuid not null,
              code text not null unique,
              member_id uuid,
              primary key (tenant_id, id),
              foreign key (member_id, id) references charter.members (tenant_id, id)
          );
          create unique index badge_codes_by_id on charter.badge_codes (id);
          """)
        let found = try await CitusReadiness.violations(connection: owner)
        #expect(
          found.contains { $0.kind == .uniqueWithoutTenantID && $0.table == "charter.badge_codes" })
        #expect(
          found.contains {
            $0.kind == .foreignKeyWithoutTenantID && $0.table == "charter.badge_codes"
          })
        #expect(
          found.contains {
            $0.kind == .uniqueIndexWithoutTenantID && $0.object.contains("badge_codes_by_id")
          })
        #expect(found.allSatisfy { $0.table == "charter.badge_codes" })
      }
    }
  }
}
