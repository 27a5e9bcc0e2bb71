import CharterPostgres
import Foundation
import Testing

/// Blocking libpq calls run on each connection's own queue, never on Swift's cooperative
/// pool (about as many threads as cores): slow statements on more connections than cores
/// run in parallel, and other tasks keep running meanwhile.
@Suite struct QueueOwnershipTests {
  @Test(arguments: [false, true])
  func slowStatementsDoNotBlockSwiftConcurrency(throughPool: Bool) async throws {
    let connectionCount = max(4, ProcessInfo.processInfo.activeProcessorCount * 2)
    let configuration = try TestDatabase.configuration()
    let pool = PostgresPool(
      configuration: configuration, maxConnections: connectionCount, acquireTimeout: .seconds(30))
    let connections = try await withThrowingTaskGroup(of: PostgresConnection.self) { group in
      for _ in 0..<connectionCount {
        group.addTask { try await PostgresConnection.connect(configuration) }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    let ticker = Task {
      var ticks = 0
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(10))
        ticks += 1
      }
      return ticks
    }
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      for connection in connections {
        group.addTask {
          if throughPool {
            try await pool.withConnection { _ = try await $0.query("SELECT pg_sleep(1)") }
          } else {
            try await connection.query("SELECT pg_sleep(1)")
          }
        }
      }
      try await group.waitForAll()
    }
    let elapsed = ContinuousClock.now - started
    ticker.cancel()
    let ticks = await ticker.value
    // Serialised on the cooperative pool this would take connectionCount / cores seconds.
    #expect(
      elapsed < .seconds(Double(connectionCount) / 2 - 0.5),
      "\(connectionCount) sleeps took \(elapsed)")
    #expect(ticks >= 20, "other tasks were starved while statements ran: \(ticks) ticks")
    for connection in connections { await connection.close() }
    await pool.shutdown()
  }
}
