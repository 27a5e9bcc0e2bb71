import CharterDaemon
import CharterPostgres
import CharterStore
import Foundation
import Testing

/// Issue 7, upgrades: `charterd migrate --dry-run` flags the statements of pending
/// migrations that would hold a long lock, naming the file, line and lock, with a safer way.
@Suite("migrations that take a long lock")
struct MigrationLockCheckTests {
  /// A migration that does most of what the check knows, one statement per line group.
  static let risky = """
    -- 0005: every statement here locks an existing table for a long time
    alter table charter.members add column joined_at timestamptz default clock_timestamp();
    alter table charter.members add column code text not null;
    alter table charter.members alter column name type varchar(400);
    create index members_name on charter.members (name);
    alter table charter.members
      add constraint members_name_short check (length(name) < 500);
    vacuum full charter.members;
    cluster charter.members using members_pkey;
    lock table charter.tenants;
    """

  /// The same changes written the safe way, and statements that only look dangerous.
  static let safe = """
    alter table charter.members add column note text default 'none';
    alter table charter.members add column seen_at timestamptz default now();
    create index concurrently if not exists members_name on charter.members (name);
    alter table charter.members
      add constraint members_name_short check (length(name) < 500) not valid;
    alter table charter.members validate constraint members_name_short;
    lock table charter.tenants in row exclusive mode;
    create table charter.fresh (id bigint primary key, label text);
    create index fresh_label on charter.fresh (label);
    alter table charter.fresh add column code text not null;
    create function charter.f() returns void language plpgsql as $body$
    begin
      execute 'vacuum full charter.members';  -- inside a body: not run by the migration
      /* cluster charter.members; */
    end
    $body$;
    comment on table charter.members is 'alter table charter.members alter column x type int';
    """

  @Test func eachLongLockIsNamedWithItsLineLockAndASaferWay() {
    let warnings = MigrationLockCheck.warnings([("0005_risky.sql", Self.risky)])
    let summary = warnings.map { "\($0.line) \($0.lock)" }
    #expect(
      summary == [
        "2 ACCESS EXCLUSIVE", "3 ACCESS EXCLUSIVE", "4 ACCESS EXCLUSIVE", "5 SHARE",
        "7 ACCESS EXCLUSIVE", "8 ACCESS EXCLUSIVE", "9 ACCESS EXCLUSIVE", "10 ACCESS EXCLUSIVE",
      ], "\(warnings.map(\.description).joined(separator: "\n"))")
    #expect(warnings.allSatisfy { $0.file == "0005_risky.sql" && !$0.saferAlternative.isEmpty })
    #expect(warnings.allSatisfy { $0.table.hasPrefix("charter.") }, "\(warnings.map(\.table))")
    let index = warnings.first { $0.line == 5 }
    #expect(index?.saferAlternative.contains("CREATE INDEX CONCURRENTLY") == true)
    #expect(
      index?.description.hasPrefix(
        "warning: 0005_risky.sql:5: SHARE lock on charter.members while it builds the index")
        == true, "\(index?.description ?? "")")
    let check = warnings.first { $0.line == 7 }
    #expect(check?.saferAlternative.contains("NOT VALID") == true)
  }

  @Test func safeFormsNewTablesAndTextInsideStringsAreNotFlagged() {
    let warnings = MigrationLockCheck.warnings([("0006_safe.sql", Self.safe)])
    #expect(warnings.isEmpty, "\(warnings.map(\.description).joined(separator: "\n"))")
  }

  @Test func aTableCreatedByAnEarlierPendingFileIsNew() {
    let warnings = MigrationLockCheck.warnings([
      ("0005_a.sql", "create table charter.later (id bigint primary key);"),
      ("0006_b.sql", "alter table charter.later alter column id type numeric;"),
      ("0006_b.sql", "alter table \"charter\".\"members\" alter column id type numeric;"),
    ])
    #expect(warnings.map(\.table) == ["charter.members"], "\(warnings)")
  }

  @Test func theRepositoryMigrationsOnAnEmptyDatabaseAreNotFlagged() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("SQL")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".sql") }.sorted()
    #expect(!files.isEmpty)
    let warnings = MigrationLockCheck.warnings(
      try files.map {
        ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8))
      })
    #expect(warnings.isEmpty, "\(warnings.map(\.description).joined(separator: "\n"))")
  }

  /// End to end on the throwaway cluster of Scripts/test (a database of its own, no
  /// initdb): migrated with a copy of SQL/, then one more file in that folder; `--dry-run`
  /// prints the warnings under the file that would apply, and applies nothing.
  @Test func dryRunPrintsTheWarningsOfAPendingFile() async throws {
    let cluster = try #require(
      ProcessInfo.processInfo.environment["CHARTER_TEST_DATABASE_URL"],
      "run the tests with Scripts/test, which starts a throwaway PostgreSQL")
    let name = "charter_t_lock_" + UUID().uuidString.prefix(8).lowercased()
    let superuser = try await PostgresConnection.connect(PostgresConfiguration(url: cluster))
    try await RoleBootstrap.createRoles(superuser: superuser)
    try await RoleBootstrap.createDatabase(named: name, superuser: superuser)
    let folder = temporaryDataDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      let owner = try #require(Self.url(cluster, user: RoleBootstrap.ownerRole, database: name))
      let migrations = folder.appendingPathComponent("sql")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try FileManager.default.copyItem(at: Self.repositorySQL, to: migrations)
      let options = ["--database-url", owner, "--database-migrations", migrations.path]
      let migrate = try await DaemonProcess.runToEnd(["migrate"] + options)
      #expect(migrate.status == 0, "\(migrate.output)")
      let pending =
        try FileManager.default.contentsOfDirectory(atPath: migrations.path)
        .filter { $0.hasSuffix(".sql") }.compactMap { Int($0.prefix(4)) }.max().map { $0 + 1 } ?? 1
      let fixture = String(format: "%04d_risky.sql", pending)
      try Self.risky.write(
        to: migrations.appendingPathComponent(fixture), atomically: true, encoding: .utf8)

      let dryRun = try await DaemonProcess.runToEnd(["migrate", "--dry-run"] + options)
      #expect(dryRun.status == 0, "\(dryRun.output)")
      let lines = dryRun.output.split(separator: "\n").map(String.init)
      let applyIndex = try #require(lines.firstIndex(of: "would apply  \(fixture)"), "\(lines)")
      let warnings = lines[(applyIndex + 1)...].filter { $0.hasPrefix("warning: ") }
      #expect(warnings.count == 8, "\(dryRun.output)")
      #expect(
        warnings.contains {
          $0.hasPrefix("warning: \(fixture):4: ACCESS EXCLUSIVE lock on charter.members")
            && $0.contains("safer: add a new column")
        }, "\(dryRun.output)")
      #expect(dryRun.output.contains("8 statements would hold a long lock"), "\(dryRun.output)")

      let status = try await DaemonProcess.runToEnd(["migrate", "--status"] + options)
      #expect(
        status.output.contains("pending  \(pending)  risky"), "nothing applied: \(status.output)")
    } catch {
      Issue.record(error)
    }
    try await superuser.query("drop database \"\(name)\" with (force)", [])
    await superuser.close()
  }

  static var repositorySQL: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("SQL")
  }

  /// The cluster URL of Scripts/test (postgres://postgres@/postgres?host=DIR) with another
  /// user and database.
  static func url(_ cluster: String, user: String, database: String) -> String? {
    guard let schemeEnd = cluster.range(of: "://") else { return nil }
    var rest = cluster[schemeEnd.upperBound...]
    var query = ""
    if let question = rest.firstIndex(of: "?") {
      query = String(rest[question...])
      rest = rest[..<question]
    }
    let authority = rest.prefix { $0 != "/" }
    let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
    return "\(cluster[..<schemeEnd.upperBound])\(user)@\(host)/\(database)\(query)"
  }
}
