import CharterPostgres
import CharterStore
import Foundation

/// `charterd migrate` applies pending migrations as the owner role; `--status` lists applied
/// and pending files; `--dry-run` shows what would run. A changed applied file is an error
/// naming it (exit 1), so is a database that cannot be reached.
enum MigrateCommand {
  static func run(configuration: Configuration, arguments: [String]) async -> Int32 {
    let mode: String
    switch arguments {
    case []: mode = "apply"
    case ["--status"]: mode = "status"
    case ["--dry-run"]: mode = "dry-run"
    default: return DaemonCommandLine.unexpectedArguments(arguments)
    }
    let lock: DataDirectoryLock?
    do {
      // Only the embedded cluster lives in the data folder; an external server needs no lock.
      lock =
        configuration.databaseURL == nil
        ? try DataDirectoryLock(directory: configuration.dataDirectory) : nil
    } catch {
      DaemonLog.error("\(error)")
      return 1
    }
    var endpoints: DatabaseEndpoints?
    defer {
      endpoints?.stopEmbedded()
      withExtendedLifetime(lock) {}
    }
    do {
      endpoints = try await DatabaseEndpoints.prepare(configuration)
      guard let endpoints else { return 1 }
      let owner = try endpoints.connectionConfiguration(
        endpoints.migrationURL, configuration, applicationName: "charterd migrate")
      let directory = try configuration.migrationsDirectory()
      try await withConnection(owner) { connection in
        try await report(mode, MigrationRunner(directory: directory, connection: connection))
      }
      return 0
    } catch {
      DaemonLog.error("migrate: \(error)")
      return 1
    }
  }

  private static func report(_ mode: String, _ runner: MigrationRunner) async throws {
    switch mode {
    case "status":
      let status = try await runner.status()
      for applied in status.applied {
        print(
          "applied  \(applied.version)  \(applied.name)  \(applied.appliedAt.formatted(.iso8601))  sha256:\(applied.checksum.prefix(12))"
        )
      }
      for file in status.pending {
        print("pending  \(file.version)  \(file.name)  \(file.fileName)")
      }
      if status.pending.isEmpty { print("the database is current") }
    case "dry-run":
      let pending = try await runner.pending()
      for file in pending { print("would apply  \(file.fileName)") }
      if pending.isEmpty { print("nothing to apply: the database is current") }
    default:
      let ran = try await runner.apply()
      for file in ran { print("applied  \(file.fileName)") }
      if ran.isEmpty { print("nothing to apply: the database is current") }
    }
  }
}
