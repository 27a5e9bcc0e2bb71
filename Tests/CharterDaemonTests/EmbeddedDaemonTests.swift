import CharterPostgres
import CharterPostgresServer
import Foundation
import Testing

/// The embedded default end to end: the built charterd with nothing configured but a data
/// folder creates its own PostgreSQL cluster, migrates, checks its posture, and keeps the
/// data across restarts (issue: Foundation, section 4).
@Suite("charterd on its embedded PostgreSQL", .serialized)
struct EmbeddedDaemonTests {
  @Test func startStopStartKeepsTheData() async throws {
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }

    let first = try DaemonProcess(["run", "--data-dir", data.path, "--log-level", "info"])
    #expect(await first.waitForReady(), "first start: \(first.output)")
    #expect(first.output.contains("applied migration 0001"))
    let cluster = EmbeddedPostgres(
      directory: data.appendingPathComponent("postgres"), binaries: try PostgresBinaries.locate())
    let owner = try PostgresConfiguration(
      url: cluster.url(user: "charter_owner", database: "charter"))
    let marker = "持久-\(UUID().uuidString)"
    try await withOwner(owner) { connection in
      try await connection.transaction(settings: ["charter.scope": "installation"]) { connection in
        try await connection.query(
          "insert into charter.tenants (slug, name) values ($1, $2)",
          "t" + String(UUID().uuidString.prefix(8)).lowercased(), marker)
      }
    }
    #expect(await first.stop() == 0, "SIGTERM stops the daemon cleanly: \(first.output)")
    #expect(first.output.contains("stopped the embedded PostgreSQL cluster"))
    // The outbox sender ran beside the scheduler, quietly with nothing to send (issue 6), and
    // was drained before the pool closed.
    #expect(first.output.contains("delivery stopped"), "\(first.output)")
    #expect(!first.output.contains("delivery: "), "no delivery warnings: \(first.output)")
    #expect(cluster.isRunning == false, "the embedded cluster stops with the daemon")

    let second = try DaemonProcess(["run", "--data-dir", data.path])
    #expect(await second.waitForReady(), "second start: \(second.output)")
    #expect(
      !second.output.contains("created an embedded PostgreSQL cluster"), "the cluster is reused")
    #expect(!second.output.contains("applied migration"), "nothing left to migrate")
    let names = try await withOwner(owner) { connection in
      try await connection.transaction(settings: ["charter.scope": "installation"]) { connection in
        try await connection.query("select name from charter.tenants where name = $1", marker).rows
          .map {
            try $0.decode(0, as: String.self)
          }
      }
    }
    #expect(names == [marker], "the row written before the restart is still there")
    #expect(await second.stop() == 0)
  }

  @Test func aSecondDaemonOnTheSameDataFolderIsRefused() async throws {
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    let first = try DaemonProcess(["run", "--data-dir", data.path])
    #expect(await first.waitForReady(), "\(first.output)")
    let second = try await DaemonProcess.runToEnd(["run", "--data-dir", data.path])
    #expect(second.status == 1)
    #expect(second.output.contains("another charterd"), "\(second.output)")
    #expect(await first.stop() == 0)
  }

  @Test func aChangedAppliedMigrationStopsTheDaemonNamingTheFile() async throws {
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    let migrations = data.appendingPathComponent("sql")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: Self.repositorySQL, to: migrations)

    let migrate = try await DaemonProcess.runToEnd([
      "migrate", "--data-dir", data.path, "--database-migrations", migrations.path,
    ])
    #expect(migrate.status == 0, "\(migrate.output)")
    let status = try await DaemonProcess.runToEnd([
      "migrate", "--status", "--data-dir", data.path, "--database-migrations", migrations.path,
    ])
    #expect(status.output.contains("applied  1  foundation"), "\(status.output)")

    let file = migrations.appendingPathComponent("0001_foundation.sql")
    try (String(contentsOf: file, encoding: .utf8) + "\n-- edited after it was applied\n").write(
      to: file, atomically: true, encoding: .utf8)
    let refused = try await DaemonProcess.runToEnd([
      "run", "--data-dir", data.path, "--database-migrations", migrations.path,
    ])
    #expect(refused.status == 1)
    #expect(
      refused.output.contains("0001_foundation.sql"), "the error names the file: \(refused.output)")
    #expect(
      refused.output.contains("stopped the embedded PostgreSQL cluster"), "nothing left running")
  }

  static var repositorySQL: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("SQL")
  }

  private func withOwner<T: Sendable>(
    _ configuration: PostgresConfiguration, _ body: (PostgresConnection) async throws -> T
  ) async throws -> T {
    let connection = try await PostgresConnection.connect(configuration)
    do {
      let result = try await body(connection)
      await connection.close()
      return result
    } catch {
      await connection.close()
      throw error
    }
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
