import CharterPostgres
import CharterPostgresServer
import CharterStore
public import Foundation

/// The database the daemon works on: an external server named by URL, or its embedded
/// cluster under the data folder (DESIGN.md, Running it). Knows the two connections the
/// daemon needs: the owner role's for migrations and the run-time role's for everything else.
struct DatabaseEndpoints: Sendable {
  var runtimeURL: String
  var migrationURL: String
  /// Set when the daemon runs its own cluster: started by `prepare`, stopped by the caller.
  var embedded: EmbeddedPostgres?

  /// The database the embedded cluster holds Charter's schema in.
  static let embeddedDatabase = "charter"

  var summary: String {
    if let embedded {
      return "embedded PostgreSQL at \(embedded.directory.path) (unix socket only)"
    }
    return Configuration.masked(runtimeURL)
  }

  /// For an external server: the URLs as configured. For the embedded default: creates the
  /// cluster on first use, starts it (or reuses one left running), and makes sure the roles
  /// and the database exist.
  static func prepare(_ configuration: Configuration) async throws -> DatabaseEndpoints {
    if let url = configuration.databaseURL {
      return DatabaseEndpoints(
        runtimeURL: url, migrationURL: configuration.migrationDatabaseURL ?? url, embedded: nil)
    }
    let cluster = EmbeddedPostgres(
      directory: configuration.dataDirectory.appendingPathComponent("postgres"),
      binaries: try PostgresBinaries.locate())
    if try cluster.initializeIfNeeded() {
      DaemonLog.info("created an embedded PostgreSQL cluster in \(cluster.directory.path)")
    }
    try cluster.start()
    let endpoints = DatabaseEndpoints(
      runtimeURL: cluster.url(user: RoleBootstrap.appRole, database: embeddedDatabase),
      migrationURL: cluster.url(user: RoleBootstrap.ownerRole, database: embeddedDatabase),
      embedded: cluster)
    do {
      let superuser = try PostgresConfiguration(
        url: cluster.url(user: "postgres", database: "postgres"))
      try await withConnection(superuser) { connection in
        try await RoleBootstrap.createRoles(superuser: connection)
        try await RoleBootstrap.createDatabase(named: embeddedDatabase, superuser: connection)
      }
    } catch {
      try? cluster.stop()
      throw error
    }
    return endpoints
  }

  func connectionConfiguration(
    _ url: String, _ configuration: Configuration, applicationName: String
  ) throws -> PostgresConfiguration {
    var settings = try PostgresConfiguration(url: url)
    settings.applicationName = applicationName
    settings.connectTimeout = configuration.duration("database.connect_timeout")
    settings.statementTimeout = configuration.duration("database.statement_timeout")
    return settings
  }

  /// Stops the embedded cluster, if the daemon runs one.
  func stopEmbedded() {
    guard let embedded else { return }
    do {
      try embedded.stop()
      DaemonLog.info("stopped the embedded PostgreSQL cluster")
    } catch {
      DaemonLog.error("could not stop the embedded PostgreSQL cluster: \(error)")
    }
  }
}
