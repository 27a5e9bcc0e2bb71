import CharterPostgres
import Testing

@Suite struct ConfigurationTests {
  @Test func parsesAFullURL() throws {
    let configuration = try PostgresConfiguration(
      url:
        "postgres://charter:s%40cret@db.example.org:6543/alliance?sslmode=verify-full&application_name=charterd"
    )
    #expect(configuration.user == "charter")
    #expect(configuration.password == "s@cret")
    #expect(configuration.host == "db.example.org")
    #expect(configuration.port == 6543)
    #expect(configuration.database == "alliance")
    #expect(configuration.sslMode == "verify-full")
    #expect(configuration.applicationName == "charterd")
  }

  @Test func unixSocketDirectoryFromQueryOrPercentEncodedHost() throws {
    let fromQuery = try PostgresConfiguration(
      url: "postgres://postgres@/postgres?host=/run/postgresql")
    #expect(fromQuery.host == "/run/postgresql")
    let encoded = try PostgresConfiguration(
      url: "postgresql://postgres@%2Frun%2Fpostgresql:5433/postgres")
    #expect(encoded.host == "/run/postgresql")
    #expect(encoded.port == 5433)
  }

  @Test func redactedDescriptionHidesThePassword() throws {
    let configuration = try PostgresConfiguration(
      url: "postgres://charter:topsecret@db:5432/alliance")
    #expect(!configuration.redactedDescription.contains("topsecret"))
    #expect(configuration.redactedDescription.contains("charter:***@db:5432/alliance"))
  }

  @Test func rejectsBadURLs() {
    for url in [
      "mysql://x@y/z", "postgres://x@y:99999/z", "postgres://x@y/z?sslmode=sometimes",
      "postgres://x@y/z?bogus=1",
      "postgres://x@y/%zz",
    ] {
      #expect(throws: PostgresError.self, "\(url)") { try PostgresConfiguration(url: url) }
    }
  }

  @Test func connectFailureIsATypedConnectionError() async throws {
    var configuration = try PostgresConfiguration(
      url: "postgres://postgres@/postgres?host=/nonexistent-charter-dir")
    configuration.connectTimeout = .seconds(2)
    do {
      _ = try await PostgresConnection.connect(configuration)
      Issue.record("connecting to a missing socket directory succeeded")
    } catch {
      #expect(error.kind == .connection)
    }
  }
}
