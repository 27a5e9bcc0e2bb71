import CharterPostgres
import Testing

@Suite struct PoolTests {
  @Test func aConnectionReturnedAfterAnErrorMidTransactionCarriesNoSettingAndNoTransaction()
    async throws
  {
    let pool = PostgresPool(
      configuration: try TestDatabase.configuration(), maxConnections: 1,
      acquireTimeout: .seconds(60))
    let firstPID = try await pool.withConnection { $0.backendPID }
    // Error in the middle of a pool transaction with a tenant setting.
    await #expect(throws: PostgresError.self) {
      try await pool.transaction(settings: ["charter.tenant": "tenant-a"]) { connection in
        try await connection.query("SELECT 1/0")
      }
    }
    // A caller that opened a transaction by hand and left it open, with an error inside.
    await #expect(throws: PostgresError.self) {
      try await pool.withConnection { connection in
        try await connection.query("BEGIN")
        try await connection.query("SELECT set_config('charter.tenant', $1, true)", "tenant-b")
        try await connection.query("SELECT 1/0")
      }
    }
    // And one that left a transaction open without any error.
    try await pool.withConnection { connection in
      try await connection.query("BEGIN")
      try await connection.query("SELECT set_config('charter.tenant', $1, true)", "tenant-c")
    }
    try await pool.withConnection { connection in
      let tenant = try await connection.query("SELECT current_setting('charter.tenant', true)")
        .scalar(
          as: String?.self)
      #expect(tenant == nil || tenant == "")
      // Two statements in different transactions get different transaction ids.
      let first = try await connection.query("SELECT txid_current()").scalar(as: Int.self)
      let second = try await connection.query("SELECT txid_current()").scalar(as: Int.self)
      #expect(first != second, "the pooled connection was handed out inside a transaction")
    }
    #expect(pool.statistics.open <= 1)
    _ = firstPID
    await pool.shutdown()
  }

  @Test func acquisitionTimesOutWithATypedErrorWhenAllConnectionsAreHeld() async throws {
    let pool = PostgresPool(
      configuration: try TestDatabase.configuration(), maxConnections: 2,
      acquireTimeout: .milliseconds(300))
    let (held, release) = AsyncStream.makeStream(of: Void.self)
    let (acquired, signalAcquired) = AsyncStream.makeStream(of: Void.self)
    let holders = Task {
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<2 {
          group.addTask {
            try await pool.withConnection { _ in
              signalAcquired.yield()
              for await _ in held { break }
            }
          }
        }
        try await group.waitForAll()
      }
    }
    var count = 0
    for await _ in acquired {
      count += 1
      if count == 2 { break }
    }
    #expect(pool.statistics.inUse == 2)
    let started = ContinuousClock.now
    do {
      try await pool.withConnection { _ in }
      Issue.record("a third connection was handed out from a pool of two")
    } catch let error as PostgresError {
      #expect(error.kind == .poolTimeout)
    }
    let waited = ContinuousClock.now - started
    #expect(waited >= .milliseconds(250))
    release.yield()
    release.yield()
    release.finish()
    try await holders.value
    // Once released, connections are handed out again.
    #expect(
      try await pool.withConnection { try await $0.query("SELECT 7").scalar(as: Int.self) } == 7)
    await pool.shutdown()
  }

  @Test func waitersGetConnectionsAsTheyComeBack() async throws {
    let pool = PostgresPool(
      configuration: try TestDatabase.configuration(), maxConnections: 3,
      acquireTimeout: .seconds(120))  // handoff, not timeout, is under test
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
      for index in 0..<40 {
        group.addTask {
          try await pool.transaction(settings: ["charter.tenant": "t\(index)"]) { connection in
            let tenant = try await connection.query("SELECT current_setting('charter.tenant')")
              .scalar(
                as: String.self)
            #expect(tenant == "t\(index)")
            return 1
          }
        }
      }
      return try await group.reduce(0, +)
    }
    #expect(total == 40)
    #expect(pool.statistics.open <= 3)
    #expect(pool.statistics.waiting == 0)
    await pool.shutdown()
  }
}

extension PoolTests {
  @Test func aCancelledWaiterLeavesTheQueueAtOnce() async throws {
    let pool = PostgresPool(
      configuration: try TestDatabase.configuration(), maxConnections: 1,
      acquireTimeout: .seconds(30))
    let (held, release) = AsyncStream.makeStream(of: Void.self)
    let (acquired, signalAcquired) = AsyncStream.makeStream(of: Void.self)
    let holder = Task {
      try await pool.withConnection { _ in
        signalAcquired.yield()
        for await _ in held { break }
      }
    }
    for await _ in acquired { break }
    let waiter = Task { try await pool.withConnection { _ in } }
    while pool.statistics.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
    waiter.cancel()
    let outcome = await waiter.result
    #expect((outcome.failureValue as? PostgresError)?.kind == .cancelled)
    #expect(pool.statistics.waiting == 0)
    release.yield()
    try await holder.value
    await pool.shutdown()
  }
}

extension Result {
  var failureValue: Failure? {
    if case .failure(let error) = self { return error }
    return nil
  }
}
