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
    // Cancel only once the statement runs on the server: a cancel request reaching an idle
    // backend is ignored (a known narrow window, docs/postgres-client.md), and a fixed sleep
    // lost that race on a loaded machine.
    try await waitUntilRunning(backend: connection.backendPID, statement: "SELECT pg_sleep(30)")
    sleeper.cancel()
    let outcome = await sleeper.result
    #expect((outcome.failureValue as? PostgresError)?.kind == .cancelled, "\(outcome)")
    #expect(try await connection.query("SELECT 5").scalar(as: Int.self) == 5)
    await connection.close()
  }
}

extension CancellationTests {
  /// Polls pg_stat_activity from another connection until some backend (or `backend`) runs
  /// exactly `statement`.
  func waitUntilRunning(backend: Int32? = nil, statement: String) async throws {
    let observer = try await TestDatabase.connect()
    defer { Task { await observer.close() } }
    for _ in 0..<600 {
      let running = try await observer.query(
        """
        SELECT count(*) FROM pg_stat_activity
        WHERE ($1::int IS NULL OR pid = $1) AND state = 'active' AND query = $2
        """,
        backend.map { Int($0) }, statement
      ).scalar(as: Int.self)
      if running == 1 { return }
      try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("no backend ran \(statement)")
  }

  /// The cancelled transaction is rolled back, and the next user of the pooled connection is
  /// not hit by the cancel request.
  @Test func aCancelledPoolTransactionRollsBackAndLeavesTheNextUserAlone() async throws {
    let table = TestDatabase.uniqueName("cancelled")
    let pool = PostgresPool(
      configuration: try TestDatabase.configuration(), maxConnections: 1,
      acquireTimeout: .seconds(10))
    try await pool.withConnection { _ = try await $0.query("CREATE TABLE \(table) (id int)") }
    let sleep = "SELECT pg_sleep(30) -- \(table)"
    let worker = Task {
      try await pool.transaction { connection in
        try await connection.query("INSERT INTO \(table) VALUES (1)")
        try await connection.query(sleep)
      }
    }
    try await waitUntilRunning(statement: sleep)
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
