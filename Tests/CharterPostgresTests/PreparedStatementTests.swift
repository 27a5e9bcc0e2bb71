import CharterPostgres
import Testing

/// The per-connection prepared-statement cache: a parameterised statement is parsed once per
/// connection, and what makes a prepared statement unusable (a schema change, DEALLOCATE ALL,
/// a new connection) never reaches the caller as an error outside a transaction.
@Suite struct PreparedStatementTests {
  /// How many statements of this session the server holds prepared under `sql`.
  private func preparedCount(_ sql: String, on connection: PostgresConnection) async throws -> Int {
    try await connection.query(
      "SELECT count(*)::int8 FROM pg_prepared_statements WHERE statement = $1", sql
    ).scalar(as: Int.self)
  }

  @Test func aRepeatedQueryIsPreparedOnceAndGivesTheRightResults() async throws {
    try await withTestConnection { connection in
      let sql = "SELECT $1::int8 * 2 AS \(TestDatabase.uniqueName("doubled"))"
      let observed1 = try await preparedCount(sql, on: connection)
      #expect(observed1 == 0)
      for value in 1...5 {
        let observed2 = try await connection.query(sql, value).scalar(as: Int.self)
        #expect(observed2 == value * 2)
      }
      let observed3 = try await preparedCount(sql, on: connection)
      #expect(observed3 == 1)
      // A statement without parameters is not prepared.
      let plain = "SELECT 7 AS \(TestDatabase.uniqueName("plain"))"
      let observed4 = try await connection.query(plain).scalar(as: Int.self)
      #expect(observed4 == 7)
      let observed5 = try await preparedCount(plain, on: connection)
      #expect(observed5 == 0)
    }
  }

  @Test func aSchemaChangeThatChangesTheResultTypeStillWorks() async throws {
    try await withTestConnection { connection in
      let table = TestDatabase.uniqueName("prepared_schema")
      try await connection.executeScript(
        "CREATE TABLE \(table) (id int8 PRIMARY KEY, name text); INSERT INTO \(table) VALUES (1, 'a')"
      )
      let sql = "SELECT * FROM \(table) WHERE id = $1"
      let observed6 = try await connection.query(sql, 1).columnCount
      #expect(observed6 == 2)
      let observed7 = try await connection.query(sql, 1).columnCount
      #expect(observed7 == 2)

      // Outside a transaction: prepared again, transparently.
      try await connection.executeScript("ALTER TABLE \(table) ADD COLUMN extra int4 DEFAULT 5")
      let widened = try await connection.query(sql, 1)
      #expect(widened.columnCount == 3)
      #expect(try widened.rows[0].decode(2, as: Int32.self) == 5)

      // Inside a transaction the statement that meets the change fails (the transaction is
      // aborted by the server), and the next transaction works.
      try await connection.executeScript("ALTER TABLE \(table) DROP COLUMN extra")
      _ = try? await connection.transaction { connection in
        try await connection.query(sql, 1)
      }
      let narrowed = try await connection.transaction { connection in
        try await connection.query(sql, 1).columnCount
      }
      #expect(narrowed == 2)
      let observed8 = try await preparedCount(sql, on: connection)
      #expect(observed8 == 1)
      try await connection.executeScript("DROP TABLE \(table)")
    }
  }

  @Test func statementsTheSessionLostArePreparedAgain() async throws {
    try await withTestConnection { connection in
      let sql = "SELECT $1::text || '!' AS \(TestDatabase.uniqueName("shout"))"
      let observed9 = try await connection.query(sql, "a").scalar(as: String.self)
      #expect(observed9 == "a!")
      try await connection.executeScript("DEALLOCATE ALL")
      let observed10 = try await connection.query(sql, "b").scalar(as: String.self)
      #expect(observed10 == "b!")
      let observed11 = try await preparedCount(sql, on: connection)
      #expect(observed11 == 1)
    }
  }

  @Test func theCacheIsBoundedPerConnection() async throws {
    var configuration = try TestDatabase.configuration()
    configuration.preparedStatementCapacity = 2
    let connection = try await PostgresConnection.connect(configuration)
    do {
      let marker = TestDatabase.uniqueName("bounded")
      for round in 0..<2 {
        for index in 0..<4 {
          let sql = "SELECT $1::int8 + \(index) AS \(marker)"
          let observed12 = try await connection.query(sql, round).scalar(as: Int.self)
          #expect(observed12 == round + index)
        }
      }
      let held = try await connection.query(
        "SELECT count(*)::int8 FROM pg_prepared_statements WHERE statement LIKE '%' || $1",
        marker
      ).scalar(as: Int.self)
      // The counting query itself takes one of the two places.
      #expect(held == 1)
      await connection.close()
    } catch {
      await connection.close()
      throw error
    }
  }

  @Test func aNewConnectionAfterTheOldOneDiedPreparesAgain() async throws {
    let pool = PostgresPool(
      configuration: try TestDatabase.configuration(), maxConnections: 1,
      acquireTimeout: .seconds(60))
    let sql = "SELECT $1::int8 - 1 AS \(TestDatabase.uniqueName("reconnect"))"
    let firstPID = try await pool.withConnection { connection in
      let observed13 = try await connection.query(sql, 10).scalar(as: Int.self)
      #expect(observed13 == 9)
      let observed14 = try await preparedCount(sql, on: connection)
      #expect(observed14 == 1)
      return connection.backendPID
    }
    try await withTestConnection { killer in
      try await killer.query("SELECT pg_terminate_backend($1)", firstPID)
      // Wait until the backend has gone, not for a fixed time.
      while try await killer.query(
        "SELECT count(*)::int8 FROM pg_stat_activity WHERE pid = $1", firstPID
      ).scalar(as: Int.self) > 0 {
        try await Task.sleep(for: .milliseconds(10))
      }
    }
    var pid = firstPID
    // The pool may hand out the dead connection once (its socket not yet readable); the
    // caller then retries, as every pool user does after a connection error.
    for _ in 0..<3 where pid == firstPID {
      do {
        pid = try await pool.withConnection { connection in
          let observed15 = try await preparedCount(sql, on: connection)
          #expect(observed15 == 0)
          let observed16 = try await connection.query(sql, 10).scalar(as: Int.self)
          #expect(observed16 == 9)
          let observed17 = try await preparedCount(sql, on: connection)
          #expect(observed17 == 1)
          return connection.backendPID
        }
      } catch let error as PostgresError where error.kind == .connection {
        continue
      }
    }
    #expect(pid != firstPID)
    await pool.shutdown()
  }
}
