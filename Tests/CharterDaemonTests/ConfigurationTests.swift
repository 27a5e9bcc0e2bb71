import CharterDelivery
import Foundation
import Testing

@testable import CharterDaemon

@Suite("Configuration: file, CHARTER_* variables and flags")
struct ConfigurationTests {
  private func writeFile(_ text: String) throws -> String {
    let path = NSTemporaryDirectory() + "charterd-\(UUID().uuidString).toml"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws {
    let file = try writeFile(
      """
      data_dir = "/srv/from-file"
      listen = "127.0.0.1:9000"
      [database]
      pool_size = 7
      acquire_timeout = "2s"
      """)
    let (configuration, rest) = try Configuration.load(
      arguments: ["--config", file, "--listen", "[::1]:7500", "extra"],
      environment: ["CHARTER_DATA_DIR": "/srv/from-env", "CHARTER_LISTEN": "0.0.0.0:1"])
    #expect(configuration["data_dir"] == "/srv/from-env")
    #expect(configuration["listen"] == "[::1]:7500")
    #expect(configuration.poolSize == 7)
    #expect(configuration.duration("database.acquire_timeout") == .seconds(2))
    #expect(
      configuration["database.statement_timeout"] == "30s", "untouched keys keep their default")
    #expect(configuration.sources["database.pool_size"] == .file(path: file, line: 4))
    #expect(configuration.sources["listen"] == .flag("--listen"))
    #expect(rest == ["extra"], "non-configuration arguments are left for the subcommand")
  }

  /// RELIABILITY S8: webhooks go to public addresses only, unless the operator allows a
  /// network; a network that does not parse stops the start, naming the key.
  @Test func webhookAllowedNetworksAreParsedOrRefused() throws {
    let (allowed, _) = try Configuration.load(
      arguments: ["--delivery-webhook-allowed-networks", "10.20.0.0/16, 127.0.0.1/32"],
      environment: [:])
    let guardrail = try WebhookTargetGuard.configured(allowed)
    #expect(guardrail.allowedNetworks.map(\.description) == ["10.20.0.0/16", "127.0.0.1/32"])
    #expect(
      try WebhookTargetGuard.configured(Configuration.load(arguments: [], environment: [:]).0)
        .allowedNetworks.isEmpty)
    let (bad, _) = try Configuration.load(
      arguments: [], environment: ["CHARTER_DELIVERY_WEBHOOK_ALLOWED_NETWORKS": "10.0.0.0/99"])
    #expect(throws: ConfigurationError.self) { try WebhookTargetGuard.configured(bad) }
  }

  @Test func aBadValueInTheFileIsRefusedNamingFileLineAndKey() throws {
    let file = try writeFile("[database]\nurl = \"postgres://x/db\"\npool_size = 0\n")
    let error = #expect(throws: ConfigurationError.self) {
      try Configuration.load(arguments: ["--config", file], environment: [:])
    }
    #expect(error?.description == "\(file):3: database.pool_size: 0 is outside 1...500")
  }

  @Test func anUnknownKeyIsRefusedWithTheNearestKnownOne() throws {
    let file = try writeFile("[database]\npool_sise = 3\n")
    let error = #expect(throws: ConfigurationError.self) {
      try Configuration.load(arguments: ["--config", file], environment: [:])
    }
    #expect(error?.description.contains("did you mean database.pool_size?") == true)
  }

  @Test func malformedTOMLIsRefusedWithItsLine() throws {
    let file = try writeFile("listen = \"127.0.0.1:7433\"\n[database\n")
    let error = #expect(throws: ConfigurationError.self) {
      try Configuration.load(arguments: ["--config", file], environment: [:])
    }
    #expect(error?.description.contains("\(file):2") == true)
  }

  @Test func anExplicitFileThatDoesNotExistIsAnError() {
    #expect(throws: ConfigurationError.self) {
      try Configuration.load(
        arguments: ["--config", "/nonexistent/charterd.toml"], environment: [:])
    }
  }

  @Test func valuesAreCheckedByKind() {
    for (variable, value) in [
      ("CHARTER_LISTEN", "localhost"), ("CHARTER_LISTEN", "1.2.3.4:70000"),
      ("CHARTER_DATABASE_URL", "mysql://x"), ("CHARTER_DATABASE_CONNECT_TIMEOUT", "10 parsecs"),
      ("CHARTER_DATABASE_CONNECT_TIMEOUT", "301s"), ("CHARTER_LOG_FORMAT", "xml"),
    ] {
      #expect(throws: ConfigurationError.self, "\(variable)=\(value)") {
        try Configuration.load(arguments: [], environment: [variable: value])
      }
    }
  }

  @Test func secretsAreMaskedWhenShown() throws {
    let (configuration, _) = try Configuration.load(
      arguments: ["--database-url", "postgres://app:s3cr3t@db.example/charter"], environment: [:])
    let shown = configuration.rendered()
    #expect(!shown.contains("s3cr3t"))
    #expect(shown.contains("postgres://app:********@db.example/charter"))
    #expect(configuration.rendered(revealSecrets: true).contains("s3cr3t"))
  }

  @Test func theRenderedConfigurationReadsBackToTheSameValues() throws {
    let (original, _) = try Configuration.load(
      arguments: ["--listen", "[::1]:7001", "--database-pool-size", "3", "--log-level", "debug"],
      environment: [:])
    let file = try writeFile(original.rendered(revealSecrets: true))
    let (reread, _) = try Configuration.load(arguments: ["--config", file], environment: [:])
    #expect(reread.values == original.values)
  }

  @Test func theCommittedExampleFileIsTheGeneratedOne() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
    let committed = try String(
      contentsOf: root.appendingPathComponent("Config/charterd.example.toml"), encoding: .utf8)
    #expect(
      committed == ConfigurationOption.exampleFile(),
      "run: charterd --print-example-config > Config/charterd.example.toml")
  }

  @Test func everyOptionHasAFlagAndAVariable() {
    let options = ConfigurationOption.all
    #expect(Set(options.map(\.flag)).count == options.count)
    #expect(
      options.contains {
        $0.flag == "--database-url" && $0.environmentVariable == "CHARTER_DATABASE_URL"
      })
    #expect(
      options.contains { $0.flag == "--data-dir" && $0.environmentVariable == "CHARTER_DATA_DIR" })
    for option in options {
      #expect(
        option.kind.problem(with: option.defaultValue) == nil, "default of \(option.key) is valid")
    }
  }
}
