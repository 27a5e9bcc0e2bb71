import Foundation
import Testing

@testable import CharterStore

@Suite struct MigrationFileTests {
  @Test func namesAreNumberedLowerCaseSQLFiles() {
    #expect(MigrationFile.parse(fileName: "0001_foundation.sql")! == (1, "foundation"))
    #expect(MigrationFile.parse(fileName: "0012_deadline_jobs_2.sql")! == (12, "deadline_jobs_2"))
    #expect(MigrationFile.parse(fileName: "1_foundation.sql") == nil)
    #expect(MigrationFile.parse(fileName: "0001-foundation.sql") == nil)
    #expect(MigrationFile.parse(fileName: "0001_Foundation.sql") == nil)
    #expect(MigrationFile.parse(fileName: "0000_zero.sql") == nil)
    #expect(MigrationFile.parse(fileName: "0001_.sql") == nil)
  }

  @Test func aDirectoryWithAMalformedOrDuplicateNameIsRefused() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "charter-mf-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try "select 1;".write(
      to: directory.appendingPathComponent("0001_a.sql"), atomically: true, encoding: .utf8)
    try "notes".write(
      to: directory.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    #expect(try MigrationFile.load(from: directory).map(\.fileName) == ["0001_a.sql"])

    try "select 2;".write(
      to: directory.appendingPathComponent("0001_b.sql"), atomically: true, encoding: .utf8)
    #expect(throws: MigrationError.self) { try MigrationFile.load(from: directory) }
    try FileManager.default.removeItem(at: directory.appendingPathComponent("0001_b.sql"))

    try "select 3;".write(
      to: directory.appendingPathComponent("2_c.sql"), atomically: true, encoding: .utf8)
    #expect(throws: MigrationError.self) { try MigrationFile.load(from: directory) }
  }
}
