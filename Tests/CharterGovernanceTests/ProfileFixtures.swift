import CharterGovernance
import Foundation
import Testing

/// The profiles shipped in `Config/charters/`, found from this file's place in the repository.
enum ProfileFixtures {
  static let chartersDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // CharterGovernanceTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // repository root
    .appendingPathComponent("Config/charters")

  static let ids = ["aitisa", "tjsia-ai", "aii", "dtpc-nmi", "zgc-ai"]

  static func text(_ id: String) throws -> String {
    try String(contentsOf: chartersDirectory.appendingPathComponent("\(id).toml"), encoding: .utf8)
  }

  static func profile(_ id: String) throws -> CharterProfile {
    try CharterProfile.load(text: try text(id), file: "charters/\(id).toml")
  }
}
