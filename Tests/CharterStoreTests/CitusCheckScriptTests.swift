import Foundation
import Testing

@testable import CharterStore

/// Deploy/citus/check-keys.sh (the operators' and CI's check) applies the same rule as
/// CitusReadiness (RELIABILITY S7): its SQL is CitusReadiness.query with the schema as a psql
/// variable. Scripts/test runs the script on a migrated database and on a bad table.
@Suite struct CitusCheckScriptTests {
  @Test func theScriptsQueryIsCitusReadinessQuery() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let text = try String(
      contentsOf: root.appendingPathComponent("Deploy/citus/check-keys.sql"), encoding: .utf8)
    let statement = text.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.hasPrefix("--") }.joined(separator: "\n")
      .replacingOccurrences(of: ":'schema'", with: "$1")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(
      statement == CitusReadiness.query.trimmingCharacters(in: .whitespacesAndNewlines),
      "change Deploy/citus/check-keys.sql together with CitusReadiness.query")
  }
}
