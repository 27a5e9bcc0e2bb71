import Testing

@testable import CharterPostgres

struct DeliberateFailure: Error {}

@Suite struct TransactionTests {
  @Test func aThrowInsideATransactionLeavesNoRow() async throws {
    try await withTestConnection { connection in
      let table = TestDatabase.uniqueName("rollback")
      try await connection.query("CREATE TABLE \(table) (id int)")
      await #expect(throws: DeliberateFailure.self) {
        try await connection.transaction { transaction in
          try await transaction.query("INSERT INTO \(table) VALUES ($1)", 1)
          throw DeliberateFailure()
        }
      }
      #expect(try await connection.query("SELECT count(*) FROM \(table)").scalar(as: Int.self) == 0)
      try await connection.transaction { try await $0.query("INSERT INTO \(table) VALUES ($1)", 2) }
      #expect(try await connection.query("SELECT count(*) FROM \(table)").scalar(as: Int.self) == 1)
    }
  }

  @Test func uniqueViolationIsATypedErrorNamingTheConstraint() async throws {
    try await withTestConnection { connection in
      let table = TestDatabase.uniqueName("members")
      try await connection.query(
        "CREATE TABLE \(table) (name text CONSTRAINT \(table)_name_key UNIQUE)")
      try await connection.query("INSERT INTO \(table) VALUES ($1)", "华为")
      do {
        try await connection.transaction {
          try await $0.query("INSERT INTO \(table) VALUES ($1)", "华为")
        }
        Issue.record("a duplicate insert succeeded")
      } catch let error as PostgresError {
        #expect(error.kind == .server)
        #expect(error.isUniqueViolation)
        #expect(error.sqlState == "23505")
        #expect(error.constraint == "\(table)_name_key")
        #expect(error.table == table)
        #expect(error.description.contains("\(table)_name_key"))
        #expect(!error.description.contains("华为"))
      }
    }
  }

  @Test func savepointRollbackKeepsTheOuterWork() async throws {
    try await withTestConnection { connection in
      let table = TestDatabase.uniqueName("savepoints")
      try await connection.query("CREATE TABLE \(table) (id int PRIMARY KEY)")
      try await connection.transaction { transaction in
        try await transaction.query("INSERT INTO \(table) VALUES (1)")
        await #expect(throws: PostgresError.self) {
          try await transaction.savepoint { inner in
            try await inner.query("INSERT INTO \(table) VALUES (2)")
            try await inner.query("INSERT INTO \(table) VALUES (1)")  // duplicate key
          }
        }
        try await transaction.savepoint { try await $0.query("INSERT INTO \(table) VALUES (3)") }
      }
      let ids = try await connection.query("SELECT id FROM \(table) ORDER BY id").rows.map {
        try $0.decode(0, as: Int.self)
      }
      #expect(ids == [1, 3])
    }
  }

  @Test func transactionLocalSettingsApplyInsideAndVanishAfter() async throws {
    try await withTestConnection { connection in
      let inside = try await connection.transaction(settings: ["charter.tenant": "tenant-a"]) {
        try await $0.query("SELECT current_setting('charter.tenant', true)").scalar(as: String.self)
      }
      #expect(inside == "tenant-a")
      let after = try await connection.query("SELECT current_setting('charter.tenant', true)")
        .scalar(
          as: String?.self)
      #expect(after == nil || after == "")
    }
  }

  /// Plain values go with BEGIN in one round trip; anything else is bound as a parameter.
  /// Both apply inside and vanish after.
  @Test func settingsThatAreNotPlainAreBoundNotWritten() async throws {
    #expect(
      PostgresConnection.inlinedSettings(["charter.tenant": "3f2a-b", "charter.scope": "x"])
        == "set_config('charter.scope', 'x', true), set_config('charter.tenant', '3f2a-b', true)")
    #expect(PostgresConnection.inlinedSettings(["charter.tenant": "a'); drop table t; --"]) == nil)
    #expect(PostgresConnection.inlinedSettings(["charter.tenant": "a\\b"]) == nil)
    #expect(PostgresConnection.inlinedSettings([:]) == nil)
    try await withTestConnection { connection in
      for value in ["a'); select pg_sleep(0); --", "租户", "tenant-b"] {
        let inside = try await connection.transaction(settings: ["charter.tenant": value]) {
          try await $0.query("SELECT current_setting('charter.tenant', true)").scalar(
            as: String.self)
        }
        #expect(inside == value)
        let after = try await connection.query("SELECT current_setting('charter.tenant', true)")
          .scalar(as: String?.self)
        #expect(after == nil || after == "")
      }
    }
  }

  @Test func commitOfAnAbortedTransactionThrows() async throws {
    try await withTestConnection { (connection) async throws in
      await #expect(throws: PostgresError.self) {
        try await connection.transaction { transaction in
          _ = try? await transaction.query("SELECT 1/0")
        }
      }
      #expect(try await connection.query("SELECT 1").scalar(as: Int.self) == 1)
    }
  }

  @Test func serializationFailuresAreRetried() async throws {
    let table = TestDatabase.uniqueName("counter")
    try await withTestConnection { setup in
      try await setup.query("CREATE TABLE \(table) (id int PRIMARY KEY, value int)")
      try await setup.query("INSERT INTO \(table) VALUES (1, 0)")
    }
    let first = try await TestDatabase.connect()
    let second = try await TestDatabase.connect()
    var attempts = 0
    // The first attempt of `first` reads, then `second` commits a conflicting update, so
    // the write of `first` fails with 40001 and the helper runs it again.
    try await withSerializationRetry {
      attempts += 1
      try await first.transaction(isolation: .serializable) { transaction in
        let value = try await transaction.query("SELECT value FROM \(table) WHERE id = 1").scalar(
          as: Int.self)
        if attempts == 1 {
          try await second.query("UPDATE \(table) SET value = value + 100 WHERE id = 1")
        }
        try await transaction.query("UPDATE \(table) SET value = $1 WHERE id = 1", value + 1)
      }
    }
    #expect(attempts == 2)
    #expect(try await first.query("SELECT value FROM \(table)").scalar(as: Int.self) == 101)
    await first.close()
    await second.close()
  }
}
