import CharterPostgres
import CharterStore
import CharterTestSupport
import Foundation
import Testing

@Suite struct MigrationRunnerTests {
  /// A copy of SQL/ in a temporary directory, so a test may tamper with it.
  static func copyOfSQLDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("charter-sql-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: TestDatabase.sqlDirectory, to: directory)
    return directory
  }

  static func sqlFileNames() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: TestDatabase.sqlDirectory.path)
      .filter { $0.hasSuffix(".sql") }.sorted()
  }

  @Test func freshInstallAppliesEveryFileInOrderAndASecondRunChangesNothing() async throws {
    try await TestDatabase.with(migrated: false) { database in
      try await database.withConnection(as: .owner) { owner in
        let runner = MigrationRunner(directory: TestDatabase.sqlDirectory, connection: owner)
        let before = try await runner.status()
        #expect(before.applied.isEmpty)
        #expect(before.pending.map(\.fileName) == (try Self.sqlFileNames()))

        let ran = try await runner.apply()
        #expect(ran.map(\.fileName) == (try Self.sqlFileNames()))
        #expect(ran.first?.fileName == "0001_foundation.sql")

        let after = try await runner.status()
        #expect(after.pending.isEmpty)
        #expect(after.applied.map(\.version) == ran.map(\.version))
        #expect(after.applied.allSatisfy { $0.checksum.count == 64 })

        let again = try await runner.apply()
        #expect(again.isEmpty)
        #expect(try await runner.status().applied == after.applied)

        let tables = try await owner.query(
          "select count(*) from pg_tables where schemaname = 'charter' and tablename = 'deadline_jobs'",
          [])
        #expect(try tables.rows[0].decode(0, as: Int.self) == 1)
      }
    }
  }

  @Test func aChangedAppliedFileIsRefusedByName() async throws {
    let directory = try Self.copyOfSQLDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try await TestDatabase.with(migrated: false) { database in
      try await database.withConnection(as: .owner) { owner in
        let runner = MigrationRunner(directory: directory, connection: owner)
        try await runner.apply()
        let file = directory.appendingPathComponent("0001_foundation.sql")
        let original = try String(contentsOf: file, encoding: .utf8)
        try (original + "\n-- edited after release\n").write(
          to: file, atomically: true, encoding: .utf8)

        for attempt in ["apply", "status"] {
          do {
            if attempt == "apply" {
              try await runner.apply()
            } else {
              _ = try await runner.status()
            }
            Issue.record("\(attempt) accepted a changed file")
          } catch let error as MigrationError {
            guard case .checksumMismatch(let name, _, _) = error else {
              Issue.record("\(attempt): \(error)")
              continue
            }
            #expect(name == "0001_foundation.sql")
            #expect(error.description.contains("0001_foundation.sql"))
          }
        }
      }
    }
  }

  @Test func statusListsAppliedAndPendingAndAFailingFileRollsBackAlone() async throws {
    let directory = try Self.copyOfSQLDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try await TestDatabase.with(migrated: false) { database in
      try await database.withConnection(as: .owner) { owner in
        let runner = MigrationRunner(directory: directory, connection: owner)
        let shipped = try await runner.apply()

        try "create table charter.probe_one (id integer primary key);\n".write(
          to: directory.appendingPathComponent("9001_probe_one.sql"), atomically: true,
          encoding: .utf8)
        try "create table charter.probe_two (id integer primary key);\nselect 1/0;\n".write(
          to: directory.appendingPathComponent("9002_probe_two.sql"), atomically: true,
          encoding: .utf8)

        let status = try await runner.status()
        #expect(status.applied.map(\.version) == shipped.map(\.version))
        #expect(status.pending.map(\.fileName) == ["9001_probe_one.sql", "9002_probe_two.sql"])
        #expect(try await runner.pending().map(\.version) == [9001, 9002])
        #expect(status.lines.first?.hasPrefix("applied  0001_foundation  ") == true)
        #expect(status.lines.suffix(2) == ["pending  9001_probe_one", "pending  9002_probe_two"])

        do {
          try await runner.apply()
          Issue.record("a failing migration was accepted")
        } catch let error as MigrationError {
          guard case .fileFailed(let file, _) = error else {
            Issue.record("\(error)")
            return
          }
          #expect(file == "9002_probe_two.sql")
        }
        let afterFailure = try await runner.status()
        #expect(afterFailure.applied.last?.version == 9001)
        #expect(afterFailure.pending.map(\.version) == [9002])
        let probeTwo = try await owner.query("select to_regclass('charter.probe_two') is null", [])
        #expect(
          try probeTwo.rows[0].decode(0, as: Bool.self), "the failed file left a table behind")

        try FileManager.default.removeItem(
          at: directory.appendingPathComponent("9002_probe_two.sql"))
        try FileManager.default.removeItem(
          at: directory.appendingPathComponent("9001_probe_one.sql"))
        do {
          _ = try await runner.status()
          Issue.record("a database migrated by a newer release was accepted")
        } catch let error as MigrationError {
          guard case .unknownAppliedVersion(let version, _) = error else {
            Issue.record("\(error)")
            return
          }
          #expect(version == 9001)
        }
      }
    }
  }

  @Test func twoRunnersAtOnceApplyEachFileOnce() async throws {
    try await TestDatabase.with(migrated: false) { database in
      let runs = try await withThrowingTaskGroup(of: [Int].self) { group in
        for _ in 0..<3 {
          group.addTask {
            try await database.withConnection(as: .owner) { owner in
              try await MigrationRunner(directory: TestDatabase.sqlDirectory, connection: owner)
                .apply().map(\.version)
            }
          }
        }
        var all: [Int] = []
        for try await ran in group { all += ran }
        return all
      }
      let versions = try Self.sqlFileNames().compactMap { Int($0.prefix(4)) }
      #expect(runs.sorted() == versions)
    }
  }

  @Test func anAppliedFileThatWasRemovedIsNamed() async throws {
    let directory = try Self.copyOfSQLDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try await TestDatabase.with(migrated: false) { database in
      try await database.withConnection(as: .owner) { owner in
        let runner = MigrationRunner(directory: directory, connection: owner)
        for name in ["9001_probe_one", "9002_probe_two"] {
          try "select 1;\n".write(
            to: directory.appendingPathComponent("\(name).sql"), atomically: true, encoding: .utf8)
        }
        try await runner.apply()
        try FileManager.default.removeItem(
          at: directory.appendingPathComponent("9001_probe_one.sql"))
        do {
          try await runner.apply()
          Issue.record("a missing applied file was accepted")
        } catch let error as MigrationError {
          guard case .missingFile(let version, let name) = error else {
            Issue.record("\(error)")
            return
          }
          #expect(version == 9001)
          #expect(name == "probe_one")
        }
      }
    }
  }
}
