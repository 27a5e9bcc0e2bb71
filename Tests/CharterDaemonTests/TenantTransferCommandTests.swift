import CharterPostgres
import CharterPostgresServer
import Foundation
import Testing

/// Issue 7 end to end: `charterd tenant export` on one embedded installation, `charterd tenant
/// import` on another, and the tenant exported again from there is the same file.
@Suite("charterd tenant export and import", .serialized)
struct TenantTransferCommandTests {
  @Test func exportImportOnEmbeddedDataFoldersRoundTrips() async throws {
    let source = temporaryDataDirectory()
    let target = temporaryDataDirectory()
    defer {
      cleanUp(source)
      cleanUp(target)
    }
    let first = source.appendingPathComponent("alpha.jsonl")
    let second = target.appendingPathComponent("alpha.jsonl")
    for data in [source, target] {
      let migrate = try await DaemonProcess.runToEnd(["migrate", "--data-dir", data.path])
      #expect(migrate.status == 0, "\(migrate.output)")
    }
    try await seedTenant(in: source)

    let export = try await DaemonProcess.runToEnd([
      "tenant", "export", "alpha", first.path, "--data-dir", source.path,
    ])
    #expect(export.status == 0, "\(export.output)")
    #expect(export.output.contains("exported tenant alpha: 3 rows"), "\(export.output)")
    let exported = try String(contentsOf: first, encoding: .utf8)
    #expect(exported.contains("\"table\": \"charter.member_register\""))

    let load = try await DaemonProcess.runToEnd([
      "tenant", "import", first.path, "--data-dir", target.path,
    ])
    #expect(load.status == 0, "\(load.output)")
    #expect(load.output.contains("imported tenant alpha"), "\(load.output)")

    let again = try await DaemonProcess.runToEnd([
      "tenant", "import", first.path, "--data-dir", target.path,
    ])
    #expect(again.status == 1)
    #expect(again.output.contains("already exists"), "\(again.output)")

    let reexport = try await DaemonProcess.runToEnd([
      "tenant", "export", "alpha", second.path, "--data-dir", target.path,
    ])
    #expect(reexport.status == 0, "\(reexport.output)")
    #expect(try Data(contentsOf: first) == Data(contentsOf: second))

    let unknown = try await DaemonProcess.runToEnd([
      "tenant", "export", "nobody", second.path, "--data-dir", target.path,
    ])
    #expect(unknown.status == 1)
    #expect(unknown.output.contains("no tenant with slug 'nobody'"), "\(unknown.output)")
    let usage = try await DaemonProcess.runToEnd(["tenant", "export", "alpha"])
    #expect(usage.status == 2)
  }

  /// A tenant with a member and its register entry, written as the owner on the stopped
  /// embedded cluster of `data` (started and stopped again here).
  private func seedTenant(in data: URL) async throws {
    let cluster = EmbeddedPostgres(
      directory: data.appendingPathComponent("postgres"), binaries: try PostgresBinaries.locate())
    try cluster.start()
    defer { try? cluster.stop() }
    let owner = try await PostgresConnection.connect(
      PostgresConfiguration(url: cluster.url(user: "charter_owner", database: "charter")))
    let tenant = UUID()
    try await owner.transaction(settings: ["charter.scope": "installation"]) {
      try await $0.query(
        "insert into charter.tenants (id, slug, name) values ($1, 'alpha', '联盟 Alpha')", [tenant])
    }
    try await owner.transaction(settings: ["charter.tenant": tenant.uuidString.lowercased()]) {
      let member = UUID()
      try await $0.query(
        "insert into charter.members (tenant_id, id, kind, name) values ($1, $2, 'unit', '成员')",
        [tenant, member])
      try await $0.query(
        """
        insert into charter.member_register
            (tenant_id, member_id, event, effective_on, status, cause, recorded_by)
        values ($1, $2, 'admitted', date '2026-01-05', 'member', 'council decision', 'test')
        """, [tenant, member])
    }
    await owner.close()
  }

  private func cleanUp(_ data: URL) {
    if let cluster = try? EmbeddedPostgres(
      directory: data.appendingPathComponent("postgres"), binaries: PostgresBinaries.locate())
    {
      try? cluster.stop(mode: "immediate")
    }
    try? FileManager.default.removeItem(at: data)
  }
}
