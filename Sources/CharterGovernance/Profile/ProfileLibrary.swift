import CharterTOML
public import Foundation

/// The profiles shipped in `Config/charters/`, one `<id>.toml` per organisation.
public enum ProfileLibrary {
  /// Loads every `*.toml` in `directory`, keyed by profile id. A file must be named after the
  /// id it declares (`aii.toml` holds `id = "aii"`). Throws the first `ProfileError` met, or
  /// an error of reading the directory.
  public static func loadDirectory(_ directory: URL) throws -> [String: CharterProfile] {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".toml") }.sorted()
    var profiles: [String: CharterProfile] = [:]
    for name in names {
      let file = "charters/\(name)"
      let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
      let profile = try CharterProfile.load(text: text, file: file)
      let expected = String(name.dropLast(".toml".count))
      guard profile.id == expected else {
        throw ProfileError(
          file: file, line: idLine(in: text), key: "id",
          message:
            "the file \(name) declares id \"\(profile.id)\": name the file \(profile.id).toml")
      }
      profiles[profile.id] = profile
    }
    return profiles
  }

  /// The line of the top-level `id` key (the text has already parsed without error).
  private static func idLine(in text: String) -> Int {
    (try? TOML.parse(text))?["id"]?.line ?? 0
  }
}
