import CharterPostgres
import CharterPostgresServer
import Dispatch
import Foundation
import Testing

/// A private cluster for tests that restart the server: the shared one serves other tests
/// running in parallel.
struct PrivateCluster {
  let server: EmbeddedPostgres

  static func start() async throws -> PrivateCluster {
    // Short path: unix socket paths are limited to 107 bytes.
    let directory = URL(fileURLWithPath: "/tmp/cpg-" + TestDatabase.uniqueName("r").suffix(10))
    var options = EmbeddedPostgres.Options()
    options.durable = false
    let server = EmbeddedPostgres(
      directory: directory, binaries: try PostgresBinaries.locate(), options: options)
    try await offThePool {
      try server.initializeIfNeeded()
      try server.start()
    }
    return PrivateCluster(server: server)
  }

  func configuration() throws -> PostgresConfiguration {
    try PostgresConfiguration(url: server.url())
  }

  func restart(mode: String) async throws {
    try await offThePool { try server.restart(mode: mode) }
  }

  func destroy() async {
    try? await offThePool { try server.destroy() }
  }
}

/// pg_ctl blocks for seconds: run it on a Dispatch thread, not on Swift's concurrency pool.
func offThePool(_ work: @escaping @Sendable () throws -> Void) async throws {
  try await withCheckedThrowingContinuation {
    (continuation: CheckedContinuation<Void, any Error>) in
    DispatchQueue.global().async {
      continuation.resume(with: Result { try work() })
    }
  }
}

@Suite struct ServerRestartTests {
  /// RELIABILITY R4: `pg_ctl restart -m fast` and then `-m immediate`; the listener hears
  /// notifications again and the pool hands out working connections, the caller doing nothing.
  @Test func listenerAndPoolRecoverAfterPgCtlRestart() async throws {
    let cluster = try await PrivateCluster.start()
    let configuration = try cluster.configuration()
    let channel = TestDatabase.uniqueName("restart")
    let listener = PostgresListener(
      configuration: configuration,
      reconnectBackoff: PostgresBackoff(initial: .milliseconds(20), maximum: .milliseconds(500)))
    let pool = PostgresPool(
      configuration: configuration, maxConnections: 2, acquireTimeout: .seconds(60))
    do {
      let collector = NotificationCollector(try await listener.listen(channel))
      let notify: @Sendable (String, String) async throws -> Void = { channel, payload in
        try await pool.withConnection {
          _ = try await $0.query("SELECT pg_notify($1, $2)", channel, payload)
        }
      }
      #expect(
        try await notifyUntilHeard(collector, channel: channel, payload: "before", send: notify))

      for (round, mode) in ["fast", "immediate"].enumerated() {
        let pidBefore = try await pool.withConnection { $0.backendPID }
        try await cluster.restart(mode: mode)
        // The pooled connection died with the server: the next one must work anyway.
        let (value, pidAfter) = try await pool.withConnection {
          (try await $0.query("SELECT 41 + 1").scalar(as: Int.self), $0.backendPID)
        }
        #expect(value == 42, "pool after restart -m \(mode)")
        #expect(pidAfter != pidBefore)
        let heard = try await notifyUntilHeard(
          collector, channel: channel, payload: "after-\(mode)", send: notify)
        #expect(heard, "listener after restart -m \(mode)")
        #expect(listener.reconnectCount >= round + 1)
      }
    } catch {
      Issue.record("unexpected error: \(error)")
    }
    await listener.stop()
    await pool.shutdown()
    await cluster.destroy()
  }
}
