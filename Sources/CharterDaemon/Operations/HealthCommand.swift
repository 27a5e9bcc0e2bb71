import CharterPostgres
import CharterPostgresServer
import CharterStore
import Foundation

/// `charterd health`: for probes (systemd, Docker HEALTHCHECK, a load balancer). Exit 0 when
/// healthy, 1 when not, 2 on a usage error; one line per check on stdout. It reads the same
/// configuration as `run` and changes nothing: it takes no lock and never starts the embedded
/// cluster. Checks:
/// - the database answers the run-time role and is a primary (not a read-only standby);
/// - the migrations are current (read as the migration role: `schema_migrations` is the
///   owner's and not granted to the run-time role);
/// - the admin server accepts a TCP connection on `listen` (unless `--skip-admin-server`).
public enum HealthCommand {
  public static let usage = "charterd health [--skip-admin-server] [OPTIONS]"

  public static func run(configuration: Configuration, arguments: [String]) async -> Int32 {
    let checkAdminServer: Bool
    switch arguments {
    case []: checkAdminServer = true
    case ["--skip-admin-server"]: checkAdminServer = false
    default:
      StandardStreams.writeError("charterd health: unexpected \(arguments)\nusage: \(usage)\n")
      return 2
    }
    let report = await check(configuration, adminServer: checkAdminServer)
    for line in report.lines { print(line) }
    print(report.healthy ? "healthy" : "unhealthy")
    return report.healthy ? 0 : 1
  }

  public struct Report: Sendable {
    public var lines: [String] = []
    public var healthy = true

    mutating func pass(_ line: String) { lines.append("ok    " + line) }
    mutating func fail(_ line: String) {
      lines.append("FAIL  " + line)
      healthy = false
    }
  }

  public static func check(_ configuration: Configuration, adminServer: Bool) async -> Report {
    var report = Report()
    let runtimeURL: String
    let migrationURL: String
    if let url = configuration.databaseURL {
      runtimeURL = url
      migrationURL = configuration.migrationDatabaseURL ?? url
    } else {
      // Only the URL of the embedded cluster is needed, which does not depend on the binaries.
      let cluster = EmbeddedPostgres(
        directory: configuration.dataDirectory.appendingPathComponent("postgres"),
        binaries: PostgresBinaries(directory: URL(fileURLWithPath: "/usr/bin")))
      runtimeURL = cluster.url(
        user: RoleBootstrap.appRole, database: DatabaseEndpoints.embeddedDatabase)
      migrationURL = cluster.url(
        user: RoleBootstrap.ownerRole, database: DatabaseEndpoints.embeddedDatabase)
    }
    let shown = Configuration.masked(runtimeURL)

    do {
      let settings = try settings(runtimeURL, configuration)
      let (user, standby) = try await withConnection(settings) { connection in
        let row = try await connection.query("select current_user::text, pg_is_in_recovery()")
          .rows.first
        return (try row?.decode(0, as: String.self) ?? "?", try row?.decode(1, as: Bool.self))
      }
      if standby == true {
        report.fail("database \(shown) is a standby (read-only): point database.url at the primary")
      } else {
        report.pass("database \(shown) answers as \(user)")
      }
    } catch {
      report.fail("database \(shown) unreachable as the run-time role: \(error)")
    }

    do {
      let settings = try settings(migrationURL, configuration)
      let directory = try configuration.migrationsDirectory()
      let status = try await withConnection(settings) { connection in
        try await MigrationRunner(directory: directory, connection: connection).status()
      }
      if status.pending.isEmpty {
        report.pass("migrations current (\(status.applied.count) applied)")
      } else {
        report.fail(
          "migrations pending: \(status.pending.map(\.fileName).joined(separator: ", ")) "
            + "(charterd applies them at start, or run charterd migrate)")
      }
    } catch {
      report.fail("migrations: \(error)")
    }

    if adminServer {
      if let address = ListenAddress(configuration["listen"]) {
        switch TCPProbe.connect(to: address, timeout: .seconds(3)) {
        case .success: report.pass("admin server accepts connections on \(address)")
        case .failure(let problem):
          report.fail("admin server on \(address) does not accept connections: \(problem)")
        }
      } else {
        report.fail("listen = \"\(configuration["listen"])\" is not HOST:PORT")
      }
    }
    return report
  }

  private static func settings(_ url: String, _ configuration: Configuration) throws
    -> PostgresConfiguration
  {
    var settings = try PostgresConfiguration(url: url)
    settings.applicationName = "charterd health"
    // A probe answers within the prober's timeout, whatever connect_timeout says.
    settings.connectTimeout = min(configuration.duration("database.connect_timeout"), .seconds(5))
    settings.statementTimeout = .seconds(5)
    return settings
  }
}
