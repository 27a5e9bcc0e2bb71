import CharterPostgresServer
import Foundation
import Testing

@testable import CharterDaemon

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// `charterd health` against the built charterd running on its embedded PostgreSQL. The check
/// runs in-process (`HealthCommand.check` and `run`, exactly what the `health` subcommand
/// calls) with the configuration a probe would load for the same data folder, so it does not
/// depend on the subcommand's dispatch line.
@Suite("charterd health", .serialized)
struct HealthCommandTests {
  private func configuration(_ arguments: [String]) throws -> Configuration {
    try Configuration.load(arguments: arguments, environment: [:]).0
  }

  @Test func aRunningDaemonIsHealthyAndAStoppedOneIsNot() async throws {
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    let daemonPort = try freePort()
    let daemon = try DaemonProcess([
      "run", "--data-dir", data.path, "--listen", "127.0.0.1:\(daemonPort)",
    ])
    #expect(await daemon.waitForOutput("ready"), "\(daemon.output)")

    let probe = try configuration(["--data-dir", data.path, "--listen", "127.0.0.1:\(daemonPort)"])
    let healthy = await HealthCommand.check(probe, adminServer: false)
    #expect(healthy.healthy, "\(healthy.lines)")
    #expect(healthy.lines.contains { $0.hasPrefix("ok") && $0.contains("answers as charter_app") })
    #expect(healthy.lines.contains { $0.hasPrefix("ok") && $0.contains("migrations current") })
    #expect(await HealthCommand.run(configuration: probe, arguments: ["--skip-admin-server"]) == 0)

    // Nothing accepts on this port: the admin-server check fails and says where.
    let silentPort = try freePort()
    let noListener = try configuration([
      "--data-dir", data.path, "--listen", "127.0.0.1:\(silentPort)",
    ])
    let withoutAdmin = await HealthCommand.check(noListener, adminServer: true)
    #expect(!withoutAdmin.healthy)
    #expect(
      withoutAdmin.lines.contains {
        $0.hasPrefix("FAIL") && $0.contains("admin server on 127.0.0.1:\(silentPort)")
      }, "\(withoutAdmin.lines)")
    #expect(await HealthCommand.run(configuration: noListener, arguments: []) == 1)

    #expect(await daemon.stop() == 0)
    let stopped = await HealthCommand.check(probe, adminServer: false)
    #expect(!stopped.healthy)
    #expect(
      stopped.lines.contains { $0.hasPrefix("FAIL") && $0.contains("unreachable") },
      "\(stopped.lines)")
    #expect(await HealthCommand.run(configuration: probe, arguments: ["--skip-admin-server"]) == 1)
  }

  @Test func aPendingMigrationIsUnhealthyAndNamed() async throws {
    let data = temporaryDataDirectory()
    defer { cleanUp(data) }
    let migrations = data.appendingPathComponent("sql")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: EmbeddedDaemonTests.repositorySQL, to: migrations)
    let daemon = try DaemonProcess([
      "run", "--data-dir", data.path, "--database-migrations", migrations.path,
      "--listen", "127.0.0.1:\(try freePort())",
    ])
    #expect(await daemon.waitForOutput("ready"), "\(daemon.output)")
    // A release with a newer migration installed, the daemon not yet restarted.
    try "create table charter.health_probe_marker (id integer primary key);\n".write(
      to: migrations.appendingPathComponent("0999_newer_release.sql"), atomically: true,
      encoding: .utf8)
    let report = await HealthCommand.check(
      try configuration(["--data-dir", data.path, "--database-migrations", migrations.path]),
      adminServer: false)
    #expect(!report.healthy)
    #expect(
      report.lines.contains { $0.hasPrefix("FAIL") && $0.contains("0999_newer_release.sql") },
      "\(report.lines)")
    #expect(await daemon.stop() == 0)
  }

  @Test func theAdminServerProbeSeesAListenerComeAndGo() throws {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    try #require(listener >= 0)
    let port = try bindLoopback(listener)
    try #require(listen(listener, 4) == 0)
    let address = try #require(ListenAddress("127.0.0.1:\(port)"))
    #expect((try? TCPProbe.connect(to: address, timeout: .seconds(3)).get()) != nil)
    #expect(
      (try? TCPProbe.connect(
        to: try #require(ListenAddress("0.0.0.0:\(port)")), timeout: .seconds(3)
      )
      .get()) != nil, "a wildcard listen address is probed on the loopback")
    close(listener)
    #expect((try? TCPProbe.connect(to: address, timeout: .seconds(3)).get()) == nil)
  }

  @Test func unexpectedArgumentsAreAUsageError() async throws {
    #expect(await HealthCommand.run(configuration: Configuration(), arguments: ["--verbose"]) == 2)
  }

  private func cleanUp(_ data: URL) {
    if let cluster = try? EmbeddedPostgres(
      directory: data.appendingPathComponent("postgres"), binaries: PostgresBinaries.locate())
    {
      try? cluster.stop(mode: "immediate")
    }
    try? FileManager.default.removeItem(at: data)
  }
}

/// A TCP port free on the loopback now (bound to port 0, read back, closed).
func freePort() throws -> UInt16 {
  let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
  defer { close(descriptor) }
  return try bindLoopback(descriptor)
}

private func bindLoopback(_ descriptor: Int32) throws -> UInt16 {
  struct BindFailed: Error {}
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  address.sin_port = 0
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  let bound = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
      bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
    }
  }
  guard bound else { throw BindFailed() }
  return UInt16(bigEndian: address.sin_port)
}
