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

  /// The seed organisations; `shippedIDs` must hold at least these.
  static let ids = ["aitisa", "tjsia-ai", "aii", "dtpc-nmi", "zgc-ai"]

  /// Every profile file in `Config/charters/`, so a new organisation is tested as soon as its
  /// file is added.
  static let shippedIDs: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: chartersDirectory.path)) ?? [])
    .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()

  static func text(_ id: String) throws -> String {
    try String(contentsOf: chartersDirectory.appendingPathComponent("\(id).toml"), encoding: .utf8)
  }

  static func profile(_ id: String) throws -> CharterProfile {
    try CharterProfile.load(text: try text(id), file: "charters/\(id).toml")
  }

  /// A shipped profile as its next amendment would be loaded: the same file with another
  /// `version`.
  static func profile(_ id: String, version: Int) throws -> CharterProfile {
    let text = try text(id)
    let amended = text.replacingOccurrences(of: "\nversion = 1\n", with: "\nversion = \(version)\n")
    try #require(amended != text, "charters/\(id).toml states no `version = 1` line")
    return try CharterProfile.load(text: amended, file: "charters/\(id).toml")
  }
}
