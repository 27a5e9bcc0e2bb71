import CharterPostgres
import CharterStore
import CharterTestSupport
import Foundation
import Testing

/// Issue 7: a tenant's complete data moves to another installation and back unchanged; a file
/// from another schema version, a damaged file or an existing slug changes nothing.
@Suite struct TenantTransferTests {
  @Test func exportImportExportGivesTheSameBytesAndOnlyThatTenant() async throws {
    try await withFiles { first, second in
      try await TestDatabase.with { source in
        let (alpha, beta) = try await seedTwoTenants(source)
        let exported = try await source.withConnection(as: .owner) { owner in
          try await TenantExport.write(tenant: "alpha", to: first, connection: owner)
        }
        let text = try String(contentsOf: first, encoding: .utf8)
        #expect(!text.contains(beta.tenant.description), "another tenant's rows leaked")
        #expect(!text.contains("beta"))
        #expect(text.contains(alpha.memberID.uuidString.lowercased()))
        let tables = try await source.withConnection(as: .app) {
          try await Seeding.tenantTables(on: $0)
        }
        for table in tables + ["charter.tenants"] {
          #expect(text.contains("\"table\": \"\(table)\""), "\(table) is missing from the export")
        }
        #expect(exported >= tables.count + 1)

        try await TestDatabase.with { target in
          let summary = try await target.withConnection(as: .owner) { owner in
            try await TenantImport.load(from: first, connection: owner)
          }
          #expect(
            summary == TenantImportSummary(slug: "alpha", tenant: alpha.tenant, rows: exported))
          try await target.withConnection(as: .owner) { owner in
            try await TenantExport.write(tenant: "alpha", to: second, connection: owner)
          }
          #expect(try Data(contentsOf: first) == Data(contentsOf: second))

          // The identity sequences moved past the imported ids: the tenant can write on.
          try await target.withConnection(as: .app) { app in
            try await app.transaction(settings: [TenancySettings.tenant: alpha.tenant.description])
            {
              try await $0.query(
                """
                insert into charter.audit_log (tenant_id, actor, actor_kind, command, outcome)
                values ($1, 'test', 'system', 'after import', 'succeeded')
                """, [alpha.tenant])
            }
          }
        }
      }
    }
  }

  @Test func aFileFromAnotherSchemaVersionIsRefusedAndNothingIsInserted() async throws {
    try await withFiles { file, _ in
      try await TestDatabase.with { source in
        _ = try await seedTwoTenants(source)
        try await source.withConnection(as: .owner) { owner in
          try await TenantExport.write(tenant: "alpha", to: file, connection: owner)
        }
      }
      // As if the file came from a database with one more migration.
      var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
      lines[0] = lines[0].replacingOccurrences(
        of: "\"migrations\": [", with: "\"migrations\": [{\"version\": 99, \"checksum\": \"x\"}, ")
      try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

      try await TestDatabase.with { target in
        try await target.withConnection(as: .owner) { owner in
          do {
            try await TenantImport.load(from: file, connection: owner)
            Issue.record("a file from another schema version was imported")
          } catch let error as TenantTransferError {
            guard case .versionMismatch(let fileVersion, let databaseVersion) = error else {
              Issue.record("wrong error: \(error)")
              return
            }
            #expect(fileVersion.hasPrefix("version 99"))
            #expect(!databaseVersion.hasPrefix("version 99"))
            #expect(error.description.contains("mismatch"))
          }
          let tenants = try await tenantCount(owner)
          #expect(tenants == 0)
        }
      }
    }
  }

  @Test func anImportFailingAtTheLastRowLeavesNothingBehind() async throws {
    try await withFiles { file, _ in
      try await TestDatabase.with { source in
        _ = try await seedTwoTenants(source)
        try await source.withConnection(as: .owner) { owner in
          try await TenantExport.write(tenant: "alpha", to: file, connection: owner)
        }
      }
      // The last row line repeats the one before it (same table, same key): the insert of the
      // very last row fails with a unique violation after every other row went in.
      var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
      if lines.last == "" { lines.removeLast() }
      lines[lines.count - 2] = lines[lines.count - 3]
      try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)

      try await TestDatabase.with { target in
        try await target.withConnection(as: .owner) { owner in
          let state = await sqlState { try await TenantImport.load(from: file, connection: owner) }
          #expect(state == "23505")
          let tenants = try await tenantCount(owner)
          #expect(tenants == 0)
        }
        try await target.withConnection(as: .superuser) { superuser in
          let members = try await superuser.query("select count(*) from charter.members", [])
          #expect(try members.scalar(as: Int.self) == 0)
        }
      }
    }
  }

  @Test func aCutOrForgedFileIsRefusedBeforeAnyInsert() async throws {
    try await withFiles { file, forged in
      try await TestDatabase.with { source in
        _ = try await seedTwoTenants(source)
        try await source.withConnection(as: .owner) { owner in
          try await TenantExport.write(tenant: "alpha", to: file, connection: owner)
        }
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        // A row line naming an installation table: never inserted, whatever the row says.
        lines[2] = lines[2].replacing(
          #/"table": "charter\.[a-z_]+"/#, with: "\"table\": \"charter.operators\"")
        try lines.joined(separator: "\n").write(to: forged, atomically: true, encoding: .utf8)
        // Cut short: the end line is gone.
        try lines.dropLast().joined(separator: "\n").write(
          to: file, atomically: true, encoding: .utf8)
      }
      try await TestDatabase.with { target in
        try await target.withConnection(as: .owner) { owner in
          await #expect(
            throws: TenantTransferError.unknownTable(line: 3, table: "charter.operators")
          ) {
            try await TenantImport.load(from: forged, connection: owner)
          }
          await #expect {
            try await TenantImport.load(from: file, connection: owner)
          } throws: { error in
            guard case .malformedFile = error as? TenantTransferError else { return false }
            return true
          }
          let tenants = try await tenantCount(owner)
          #expect(tenants == 0)
        }
      }
    }
  }

  @Test func anExistingSlugIsRefused() async throws {
    try await withFiles { file, _ in
      try await TestDatabase.with { database in
        _ = try await seedTwoTenants(database)
        try await database.withConnection(as: .owner) { owner in
          try await TenantExport.write(tenant: "alpha", to: file, connection: owner)
          await #expect(throws: TenantTransferError.tenantExists(slug: "alpha")) {
            try await TenantImport.load(from: file, connection: owner)
          }
          await #expect(throws: TenantTransferError.unknownTenant(slug: "gamma")) {
            try await TenantExport.write(tenant: "gamma", to: file, connection: owner)
          }
          let tenants = try await tenantCount(owner)
          #expect(tenants == 2)
        }
      }
    }
  }

  /// A tenant table added later (here by hand, on both sides, with no foreign key and a name
  /// sorting before `tenants`) is carried without code changes, after the tenant's own row.
  @Test func aTableAddedLaterIsCarriedWithoutCodeChanges() async throws {
    let addTable = """
      create table charter.aaa_later_notes (
          tenant_id uuid not null, id bigint generated always as identity, note text not null,
          primary key (tenant_id, id));
      alter table charter.aaa_later_notes enable row level security;
      alter table charter.aaa_later_notes force row level security;
      create policy tenant_isolation on charter.aaa_later_notes
          using (tenant_id = charter.current_tenant())
          with check (tenant_id = charter.current_tenant());
      """
    try await withFiles { first, second in
      try await TestDatabase.with { source in
        let (alpha, _) = try await seedTwoTenants(source)
        try await source.withConnection(as: .owner) { owner in
          try await owner.executeScript(addTable)
          try await owner.transaction(settings: [TenancySettings.tenant: alpha.tenant.description])
          {
            try await $0.query(
              "insert into charter.aaa_later_notes (tenant_id, note) values ($1, '备注 note')",
              [alpha.tenant])
          }
          try await TenantExport.write(tenant: "alpha", to: first, connection: owner)
        }
        let lines = try String(contentsOf: first, encoding: .utf8).components(separatedBy: "\n")
        #expect(lines[1].contains("\"table\": \"charter.tenants\""))
        #expect(lines.contains { $0.contains("备注 note") })
        try await TestDatabase.with { target in
          try await target.withConnection(as: .owner) { owner in
            try await owner.executeScript(addTable)
            try await TenantImport.load(from: first, connection: owner)
            try await TenantExport.write(tenant: "alpha", to: second, connection: owner)
          }
          #expect(try Data(contentsOf: first) == Data(contentsOf: second))
        }
      }
    }
  }

  private func seedTwoTenants(_ database: TestDatabase) async throws -> (TenantSeed, TenantSeed) {
    try await database.withConnection(as: .app) { app in
      let alpha = try await Seeding.seedTenant(slug: "alpha", on: app)
      let beta = try await Seeding.seedTenant(slug: "beta", on: app)
      return (alpha, beta)
    }
  }

  private func tenantCount(_ owner: PostgresConnection) async throws -> Int {
    try await owner.transaction(
      settings: [TenancySettings.scope: TenancySettings.installationScope]
    ) { try await $0.query("select count(*) from charter.tenants", []).scalar(as: Int.self) }
  }

  /// Two temporary file paths, removed afterwards.
  private func withFiles(_ body: (URL, URL) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "charter-transfer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(
      directory.appendingPathComponent("first.jsonl"),
      directory.appendingPathComponent("second.jsonl"))
  }
}
