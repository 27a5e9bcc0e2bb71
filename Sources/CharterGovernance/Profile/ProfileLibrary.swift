public import Foundation

/// The profiles shipped in `Config/charters/`, one `<id>.toml` per organisation.
public enum ProfileLibrary {
  /// Loads every `*.toml` in `directory`, keyed by profile id. Throws the first
  /// `ProfileError` met, or an error of reading the directory.
  public static func loadDirectory(_ directory: URL) throws -> [String: CharterProfile] {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".toml") }.sorted()
    var profiles: [String: CharterProfile] = [:]
    for name in names {
      let url = directory.appendingPathComponent(name)
      let text = try String(contentsOf: url, encoding: .utf8)
      let profile = try CharterProfile.load(text: text, file: "charters/\(name)")
      guard profiles[profile.id] == nil else {
        throw ProfileError(
          file: "charters/\(name)", line: 0, key: "id",
          message: "duplicate profile id \"\(profile.id)\"")
      }
      profiles[profile.id] = profile
    }
    return profiles
  }
}
