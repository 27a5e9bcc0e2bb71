import CharterPostgres
import Foundation
import Testing

/// Blocking libpq calls run on each connection's own queue, never on Swift's cooperative
/// pool (about as many threads as cores): slow statements on more connections than the pool
/// has threads are all in flight at once, which the server sees.
@Suite struct QueueOwnershipTests {
  @Test(arguments: [false, true])
  func slowStatementsRunInParallelBeyondTheCooperativePool(throughPool: Bool) async throws {
    let connectionCount = max(4, ProcessInfo.processInfo.activeProcessorCount * 2)
    var named = try TestDatabase.configuration()
    named.applicationName = TestDatabase.uniqueName("parallel")
    let configuration = named
    let pool = PostgresPool(
      configuration: configuration, maxConnections: connectionCount, acquireTimeout: .seconds(60))
    let sleepers = Task {
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<connectionCount {
          group.addTask {
            if throughPool {
              try await pool.withConnection { _ = try await $0.query("SELECT pg_sleep(120)") }
            } else {
              let connection = try await PostgresConnection.connect(configuration)
              defer { Task { await connection.close() } }
              try await connection.query("SELECT pg_sleep(120)")
            }
          }
        }
        try await group.waitForAll()
      }
    }
    let peak = try await withTestConnection { observer in
      var peak = 0
      let deadline = ContinuousClock.now + .seconds(100)
      while peak < connectionCount, ContinuousClock.now < deadline {
        let active = try await observer.query(
          "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'",
          configuration.applicationName
        ).scalar(as: Int.self)
        peak = max(peak, active)
        try await Task.sleep(for: .milliseconds(50))
      }
      return peak
    }
    #expect(
      peak == connectionCount,
      "only \(peak) of \(connectionCount) blocking statements were in flight at once")
    // Cancelling the sleepers cancels their statements, so the test ends now.
    sleepers.cancel()
    _ = await sleepers.result
    await pool.shutdown()
  }
}
