import CharterPostgres
import Foundation
import Testing

@Suite struct ConnectTimeoutTests {
  @Test func aServerThatNeverAnswersGivesATimeoutError() async throws {
    let server = try SilentServer()
    var configuration = try PostgresConfiguration(
      url: "postgres://postgres@127.0.0.1:\(server.port)/postgres?sslmode=disable")
    configuration.connectTimeout = .seconds(2)
    let started = ContinuousClock.now
    do {
      _ = try await PostgresConnection.connect(configuration)
      Issue.record("connected to a server that never answers")
    } catch {
      #expect(error.kind == .timeout, "\(error)")
    }
    let waited = ContinuousClock.now - started
    // Waited for the timeout (no upper bound: a loaded machine can delay the resumption).
    #expect(waited >= .milliseconds(1500), "waited \(waited)")
    withExtendedLifetime(server) {}
  }
}
