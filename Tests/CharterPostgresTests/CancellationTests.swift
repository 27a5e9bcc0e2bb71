import CharterPostgres
import Testing

@Suite struct CancellationTests {
  /// Cancelling a task cancels its running statement on the server; the connection stays usable.
  @Test(arguments: [false, true])
  func cancellingATaskCancelsItsStatement(onConnectionQueue: Bool) async throws {
    let connection = try await TestDatabase.connect()
    let sleeper = Task {
      if onConnectionQueue {
        try await connection.withQueueAffinity { _ = try await $0.query("SELECT pg_sleep(30)") }
      } else {
        try await connection.query("SELECT pg_sleep(30)")
      }
    }
    try await Task.sleep(for: .milliseconds(300))
    sleeper.cancel()
    let outcome = await sleeper.result
    #expect((outcome.failureValue as? PostgresError)?.kind == .cancelled, "\(outcome)")
    #expect(try await connection.query("SELECT 5").scalar(as: Int.self) == 5)
    await connection.close()
  }
}

extension CancellationTests {
  /// The cancelled transaction is rolled back, and the next user of the pooled connection is
  /// not hit by the cancel request.
  @Test func aCancelledPoolTransactionRollsBackAndLeavesTheNextUserAlone() async throws {
    let table = TestDatabase.uniqueName("cancelled")
    let pool = PostgresPool(
      configuration: try TestDatabase.configuration(), maxConnections: 1,
      acquireTimeout: .seconds(10))
    try await pool.withConnection { _ = try await $0.query("CREATE TABLE \(table) (id int)") }
    let worker = Task {
      try await pool.transaction { connection in
        try await connection.query("INSERT INTO \(table) VALUES (1)")
        try await connection.query("SELECT pg_sleep(30)")
      }
    }
    try await Task.sleep(for: .milliseconds(300))
    worker.cancel()
    _ = await worker.result
    for _ in 0..<20 {
      let count = try await pool.withConnection {
        try await $0.query("SELECT count(*) FROM \(table), pg_sleep(0.01)").scalar(as: Int.self)
      }
      #expect(count == 0)
    }
    await pool.shutdown()
  }
}
