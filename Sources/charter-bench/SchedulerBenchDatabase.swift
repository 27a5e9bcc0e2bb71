// A migrated Charter database of its own for one scheduler benchmark, on the throwaway server
// Scripts/lib/bench-scheduler.sh starts: roles from Deploy/postgres/roles.sql, schema from SQL/.
// Bulk set-up (tenants, thousands of jobs) runs as the superuser, which row-level security
// does not restrict, so that one statement can write every tenant's rows.
import CharterPostgres
import Foundation

struct SchedulerBenchDatabase: Sendable {
  let name: String
  /// The superuser, connected to this database.
  let superuser: PostgresConfiguration
  /// The run-time role (`charter_app`), as the daemon connects.
  let app: PostgresConfiguration
  /// The superuser on the server's maintenance database, to drop this one.
  private let maintenance: PostgresConfiguration

  /// Connects to an existing benchmark database (made by `create`).
  init(url: String, name: String) throws {
    maintenance = try PostgresConfiguration(url: url)
    self.name = name
    var superuser = maintenance
    superuser.database = name
    self.superuser = superuser
    var app = maintenance
    app.user = "charter_app"
    app.password = nil
    app.database = name
    app.applicationName = "charter-bench"
    self.app = app
  }

  /// Creates the roles (idempotent) and a fresh database `charter_bench_<label>_<pid>` with
  /// every migration applied as `charter_owner`.
  static func create(url: String, repository: String, label: String) async throws
    -> SchedulerBenchDatabase
  {
    let root = URL(fileURLWithPath: repository)
    let rolesSQL = try String(
      contentsOf: root.appendingPathComponent("Deploy/postgres/roles.sql"), encoding: .utf8)
    let migrations = try FileManager.default.contentsOfDirectory(
      at: root.appendingPathComponent("SQL"), includingPropertiesForKeys: nil
    ).filter { $0.pathExtension == "sql" }.sorted { $0.lastPathComponent < $1.lastPathComponent }

    let database = try SchedulerBenchDatabase(
      url: url, name: "charter_bench_\(label)_\(ProcessInfo.processInfo.processIdentifier)")
    let maintenance = try await PostgresConnection.connect(database.maintenance)
    do {
      try await maintenance.executeScript(rolesSQL)
      try await maintenance.executeScript("drop database if exists \(database.name) with (force)")
      try await maintenance.executeScript("create database \(database.name) owner charter_owner")
    } catch {
      await maintenance.close()
      throw error
    }
    await maintenance.close()

    var ownerConfiguration = database.superuser
    ownerConfiguration.user = "charter_owner"
    ownerConfiguration.password = nil
    let owner = try await PostgresConnection.connect(ownerConfiguration)
    do {
      for file in migrations {
        let text = try String(contentsOf: file, encoding: .utf8)
        try await owner.transaction { connection in try await connection.executeScript(text) }
      }
    } catch {
      await owner.close()
      await database.drop()
      throw error
    }
    await owner.close()
    return database
  }

  func drop() async {
    guard let connection = try? await PostgresConnection.connect(maintenance) else { return }
    try? await connection.executeScript("drop database if exists \(name) with (force)")
    await connection.close()
  }

  /// Runs `body` on a superuser connection to this database.
  func asSuperuser<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
    let connection = try await PostgresConnection.connect(superuser)
    do {
      let value = try await body(connection)
      await connection.close()
      return value
    } catch {
      await connection.close()
      throw error
    }
  }

  /// Creates `count` tenants `bench-1` … in one statement.
  func createTenants(_ count: Int) async throws {
    try await asSuperuser { connection in
      try await connection.executeScript(
        """
        insert into charter.tenants (slug, name)
        select 'bench-' || g, 'bench ' || g from generate_series(1, \(count)) g
        """)
    }
  }

  /// Writes `count` pending jobs of `kind`, spread round-robin over every tenant, in one
  /// INSERT … SELECT. Job `g` (0-based) is due at `dueSQL`, an SQL expression in `g` and
  /// `count` (e.g. `now() - interval '1 hour' + g * interval '1 ms'`). Analyses the table
  /// afterwards, as autovacuum would soon do.
  func insertJobs(_ count: Int, kind: String, dueSQL: String) async throws {
    try await asSuperuser { connection in
      try await connection.executeScript(
        """
        insert into charter.deadline_jobs (tenant_id, kind, subject, due_at)
        select t.ids[1 + g % t.n], '\(kind)', 'bench job ' || g, \(dueSQL)
        from generate_series(0, \(count) - 1) g,
             (select array_agg(id order by slug) as ids, count(*)::integer as n
              from charter.tenants) t;
        analyze charter.deadline_jobs
        """)
    }
  }
}
