public import CharterPostgres
import CharterStore
public import Foundation

/// Shared by the test targets that need a migrated database (store, scheduler, delivery,
/// accounts): test targets cannot import one another, so this lives in a library target.
///
/// A database of its own for one test, on the throwaway cluster Scripts/test starts:
/// roles bootstrapped, `charter_t_<random>` created owned by charter_owner, optionally migrated,
/// dropped at the end. Tests run in parallel, so nothing here is shared but the roles.
public struct TestDatabase: Sendable {
  public enum Role: Sendable {
    case superuser, owner, app
  }

  public let name: String
  public let clusterURL: PostgresTestURL

  public func url(as role: Role) -> String {
    switch role {
    case .superuser: clusterURL.with(database: name).string
    case .owner: clusterURL.with(user: RoleBootstrap.ownerRole, database: name).string
    case .app: clusterURL.with(user: RoleBootstrap.appRole, database: name).string
    }
  }

  public func connect(as role: Role) async throws -> PostgresConnection {
    try await PostgresConnection.connect(PostgresConfiguration(url: url(as: role)))
  }

  /// Runs `body` on a new connection as `role`, closed afterwards.
  @discardableResult
  public func withConnection<T: Sendable>(
    as role: Role, _ body: (PostgresConnection) async throws -> T
  ) async throws -> T {
    let connection = try await connect(as: role)
    do {
      let result = try await body(connection)
      await connection.close()
      return result
    } catch {
      await connection.close()
      throw error
    }
  }

  /// Runs `body` on a fresh database and drops it afterwards, whether `body` threw or not.
  public static func with(
    migrated: Bool = true, _ body: (TestDatabase) async throws -> Void
  ) async throws {
    let clusterURL = try PostgresTestURL.fromEnvironment()
    let name = "charter_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    let admin = try await PostgresConnection.connect(PostgresConfiguration(url: clusterURL.string))
    do {
      try await RoleBootstrap.createRoles(superuser: admin)
      try await RoleBootstrap.createDatabase(named: name, superuser: admin)
    } catch {
      await admin.close()
      throw error
    }
    let database = TestDatabase(name: name, clusterURL: clusterURL)
    var failure: (any Error)?
    do {
      if migrated {
        let owner = try await database.connect(as: .owner)
        do {
          try await MigrationRunner(directory: sqlDirectory, connection: owner).apply()
        } catch {
          await owner.close()
          throw error
        }
        await owner.close()
      }
      try await body(database)
    } catch {
      failure = error
    }
    do {
      try await admin.query("drop database \"\(name)\" with (force)", [])
    } catch {
      failure = failure ?? error
    }
    await admin.close()
    if let failure { throw failure }
  }

  /// The repository's SQL/ directory, found from this file's place in the checkout.
  public static var sqlDirectory: URL {
    repositoryRoot.appendingPathComponent("SQL")
  }

  /// Tests/CharterTestSupport/TestDatabase.swift → the checkout.
  public static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }
}

public struct MissingTestDatabase: Error, CustomStringConvertible {
  public var description: String {
    "CHARTER_TEST_DATABASE_URL is not set: run the tests with Scripts/test "
      + "(for example Scripts/test --filter CharterStoreTests), which starts a throwaway PostgreSQL"
  }
}

/// The cluster URL Scripts/test exports, e.g. postgres://postgres@/postgres?host=<socket directory>,
/// with the user or database swapped. Split by hand: the host part is often empty (unix socket).
public struct PostgresTestURL: Sendable {
  public var scheme: String
  public var user: String
  public var password: String?
  public var hostAndPort: String
  public var database: String
  public var query: String?

  public static func fromEnvironment() throws -> PostgresTestURL {
    guard let text = ProcessInfo.processInfo.environment["CHARTER_TEST_DATABASE_URL"], !text.isEmpty
    else { throw MissingTestDatabase() }
    guard let parsed = PostgresTestURL(text) else {
      throw MissingTestDatabase()
    }
    return parsed
  }

  public init?(_ text: String) {
    guard let schemeEnd = text.range(of: "://") else { return nil }
    scheme = String(text[..<schemeEnd.lowerBound])
    var rest = text[schemeEnd.upperBound...]
    if let question = rest.firstIndex(of: "?") {
      query = String(rest[rest.index(after: question)...])
      rest = rest[..<question]
    }
    let authority: Substring
    if let slash = rest.firstIndex(of: "/") {
      authority = rest[..<slash]
      database = String(rest[rest.index(after: slash)...])
    } else {
      authority = rest
      database = "postgres"
    }
    if let at = authority.lastIndex(of: "@") {
      let userInfo = authority[..<at]
      hostAndPort = String(authority[authority.index(after: at)...])
      if let colon = userInfo.firstIndex(of: ":") {
        user = String(userInfo[..<colon])
        password = String(userInfo[userInfo.index(after: colon)...])
      } else {
        user = String(userInfo)
      }
    } else {
      hostAndPort = String(authority)
      user = "postgres"
    }
  }

  /// Another role or database on the same server. Another role gets no password: the test
  /// cluster trusts its socket.
  public func with(user newUser: String? = nil, database newDatabase: String) -> PostgresTestURL {
    var copy = self
    if let newUser, newUser != user {
      copy.user = newUser
      copy.password = nil
    }
    copy.database = newDatabase
    return copy
  }

  public var string: String {
    let userInfo = password.map { "\(user):\($0)" } ?? user
    return "\(scheme)://\(userInfo)@\(hostAndPort)/\(database)" + (query.map { "?\($0)" } ?? "")
  }
}
