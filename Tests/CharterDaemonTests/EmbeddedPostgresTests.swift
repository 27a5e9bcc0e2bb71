import Foundation
import Testing

@testable import CharterPostgresServer

@Suite("Embedded PostgreSQL cluster")
struct EmbeddedPostgresTests {
  @Test func createsStartsStopsAndRestartsAPrivateCluster() throws {
    let folder = URL(fileURLWithPath: "/tmp/charter-embedded-\(UUID().uuidString.prefix(8))")
    let cluster = EmbeddedPostgres(directory: folder, binaries: try PostgresBinaries.locate())
    defer { try? cluster.destroy() }

    #expect(try cluster.initializeIfNeeded())
    #expect(
      try cluster.initializeIfNeeded() == false, "a second initialisation must reuse the cluster")
    try cluster.start()
    #expect(cluster.isRunning)
    let socket = cluster.socketDirectory.appendingPathComponent(".s.PGSQL.5432").path
    #expect(FileManager.default.fileExists(atPath: socket), "listens on the private unix socket")
    let configuration = try String(
      contentsOf: cluster.dataDirectory.appendingPathComponent("postgresql.conf"), encoding: .utf8)
    #expect(configuration.contains("listen_addresses = ''"), "no TCP listener")

    try cluster.stop()
    #expect(cluster.isRunning == false)
    #expect(FileManager.default.fileExists(atPath: socket) == false)
    try cluster.start()
    #expect(cluster.isRunning)
    try cluster.restart()
    #expect(cluster.isRunning)
  }

  @Test func refusesASocketPathLongerThanTheKernelAllows() throws {
    let long = "/tmp/" + String(repeating: "x", count: 120)
    let cluster = EmbeddedPostgres(
      directory: URL(fileURLWithPath: long), binaries: try PostgresBinaries.locate())
    #expect(throws: EmbeddedPostgres.SetupError.self) { try cluster.initializeIfNeeded() }
  }
}
