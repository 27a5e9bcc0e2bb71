import CharterPostgres
import CharterStore
import Foundation

/// `charterd migrate` applies pending migrations as the owner role; `--status` lists applied
/// and pending files; `--dry-run` shows what would run and flags statements that would
/// hold a long lock (`MigrationLockCheck`). A changed applied file is an error
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
    return await runAsOwner(configuration, label: "migrate") { connection in
      let directory = try configuration.migrationsDirectory()
      try await report(mode, MigrationRunner(directory: directory, connection: connection))
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
      let warnings = MigrationLockCheck.warnings(pending.map { ($0.fileName, $0.sql) })
      for file in pending {
        print("would apply  \(file.fileName)")
        for warning in warnings where warning.file == file.fileName { print(warning) }
      }
      if pending.isEmpty { print("nothing to apply: the database is current") }
      if !warnings.isEmpty {
        print(
          "\(warnings.count) statement\(warnings.count == 1 ? "" : "s") would hold a long lock "
            + "(reads or writes of the running daemon wait); see docs/operations.md, Upgrades")
      }
    default:
      let ran = try await runner.apply()
      for file in ran { print("applied  \(file.fileName)") }
      if ran.isEmpty { print("nothing to apply: the database is current") }
    }
  }
}
