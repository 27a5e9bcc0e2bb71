import CharterPostgres
import Foundation
import Testing

/// The shared test server started by Scripts/test. A test that needs it fails (never skips)
/// when it is missing.
enum TestDatabase {
  static func configuration() throws -> PostgresConfiguration {
    let url = try #require(
      ProcessInfo.processInfo.environment["CHARTER_TEST_DATABASE_URL"],
      "CHARTER_TEST_DATABASE_URL is not set: run these tests with Scripts/test, which starts a throwaway PostgreSQL"
    )
    return try PostgresConfiguration(url: url)
  }

  static func connect() async throws -> PostgresConnection {
    try await PostgresConnection.connect(configuration())
  }

  /// A name no other test uses, for tables and channels (tests run in parallel).
  static func uniqueName(_ prefix: String) -> String {
    prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
  }
}

/// Closes the connection after `body`, whatever happens.
func withTestConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
  let connection = try await TestDatabase.connect()
  do {
    let value = try await body(connection)
    await connection.close()
    return value
  } catch {
    await connection.close()
    throw error
  }
}
