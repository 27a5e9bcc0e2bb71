import Foundation
import Testing

@testable import CharterDaemon

/// Config/charterd.minimal.toml: the first settings an operator edits. Each key, set or
/// commented out, is a known option with a valid value, and states the option's true default
/// and whether a reload applies it — as the option table (and charterd.example.toml) says.
@Suite struct MinimalConfigurationTests {
  private static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Config/charterd.minimal.toml").path

  private func text() throws -> String { try String(contentsOfFile: Self.path, encoding: .utf8) }

  @Test func theFileLoadsAsItIs() throws {
    let (configuration, _) = try Configuration.load(
      arguments: ["--config", Self.path], environment: [:])
    #expect(configuration["data_dir"] == "/var/lib/charter")
    #expect(configuration["listen"] == "127.0.0.1:7433")
    #expect(configuration.databaseURL == nil, "embedded by default: database.url commented out")
  }

  @Test func everyCommentedKeyIsValidOnceUncommented() throws {
    let uncommented = try text().split(separator: "\n", omittingEmptySubsequences: false).map {
      line in
      let isCommentedKey =
        line.hasPrefix("#") && line.dropFirst().first?.isLetter == true
        && line.contains(" = ")
      return isCommentedKey ? String(line.dropFirst()) : String(line)
    }.joined(separator: "\n")
    let file = NSTemporaryDirectory() + "charterd-minimal-\(UUID().uuidString).toml"
    try uncommented.write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let (configuration, _) = try Configuration.load(
      arguments: ["--config", file], environment: [:])
    #expect(configuration.databaseURL?.hasPrefix("postgres://charter_app:") == true)
    #expect(configuration.sources["database.migration_url"] != .defaultValue)
    #expect(configuration["tls.key"] == "/etc/charter/tls/charterd.key")
  }

  @Test func eachKeyStatesItsDefaultAndWhetherAReloadAppliesIt() throws {
    var table = ""
    var comments: [String] = []
    var keys: [String] = []
    for raw in try text().split(separator: "\n", omittingEmptySubsequences: false) {
      let line = String(raw)
      if line.hasPrefix("[") {
        table = String(line.dropFirst().dropLast())
        comments = []
        continue
      }
      let keyLine = line.hasPrefix("#") ? String(line.dropFirst()) : line
      if let equals = keyLine.range(of: " = "), keyLine.first?.isLetter == true {
        let name = String(keyLine[..<equals.lowerBound])
        let key = table.isEmpty ? name : table + "." + name
        let option = try #require(ConfigurationOption.named(key), "\(key) is a known option")
        keys.append(key)
        let notes = comments.joined(separator: " ")
        #expect(
          notes.contains("Default: \"\(option.defaultValue)\""), "\(key) states its default")
        #expect(
          notes.contains(option.reloadable ? "reload" : "restart"),
          "\(key) says \(option.reloadable ? "reload" : "restart")")
        continue
      }
      if line.hasPrefix("#") { comments.append(line) } else { comments = [] }
    }
    #expect(
      Set(["data_dir", "listen", "database.url"]).isSubset(of: Set(keys)),
      "the first settings are there: \(keys)")
  }
}
