import CharterPostgres
import Foundation
import Testing

@Suite struct ValueRoundTripTests {
  @Test func awkwardTextSurvivesParametersUnchanged() async throws {
    try await withTestConnection { connection in
      let table = TestDatabase.uniqueName("texts")
      try await connection.query("CREATE TABLE \(table) (id int PRIMARY KEY, body text)")
      let texts: [String?] = [
        "中国电子工业标准化技术协会", "emoji 🎉👩‍💻🇨🇳", nil, "", "it's \"quoted\" \\ back",
        "'; DROP TABLE x; --", "$1 and $2 are not placeholders here", "line\nbreak\ttab",
      ]
      for (index, text) in texts.enumerated() {
        try await connection.query("INSERT INTO \(table) (id, body) VALUES ($1, $2)", index, text)
      }
      let rows = try await connection.query("SELECT body FROM \(table) ORDER BY id").rows
      #expect(rows.count == texts.count)
      for (row, text) in zip(rows, texts) {
        #expect(try row.decode(0, as: String?.self) == text)
      }
      // The table named in the injection attempt was never touched: ours still exists.
      let count = try await connection.query("SELECT count(*) FROM \(table)").scalar(as: Int.self)
      #expect(count == texts.count)
    }
  }

  @Test func everyDecodedTypeRoundTrips() async throws {
    try await withTestConnection { connection in
      let table = TestDatabase.uniqueName("types")
      try await connection.query(
        """
        CREATE TABLE \(table) (
            t text, i bigint, i4 integer, b boolean, d double precision, n numeric, ts timestamptz,
            day date, u uuid, j jsonb, bytes bytea, tags text[], ids bigint[], uuids uuid[]
        )
        """)
      let timestamp = Date(timeIntervalSince1970: 1_795_000_000.123456)
      let uuid = UUID()
      let decimal = Decimal(string: "-12345678901234567890.000123")!
      let bytes: [UInt8] = [0, 1, 2, 0xFF, 0x5C, 0x27, 0]
      let tags = ["理事会", "with \"quote\"", "", "comma, brace}", "NULL"]
      try await connection.query(
        "INSERT INTO \(table) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        [
          "文本", Int.min, Int32.max, true, 0.1 + 0.2, decimal, timestamp,
          PostgresDate(year: 2026, month: 2, day: 28), uuid,
          PostgresJSON(#"{"会员": [1, 2.5, null]}"#),
          PostgresBytes(bytes), tags, [1, -2, Int.max], [uuid, UUID()],
        ])
      let row = try #require(try await connection.query("SELECT * FROM \(table)").rows.first)
      #expect(try row.decode("t", as: String.self) == "文本")
      #expect(try row.decode("i", as: Int.self) == Int.min)
      #expect(try row.decode("i4", as: Int32.self) == Int32.max)
      #expect(try row.decode("i4", as: Int.self) == Int(Int32.max))
      #expect(try row.decode("b", as: Bool.self) == true)
      #expect(try row.decode("d", as: Double.self) == 0.1 + 0.2)
      #expect(try row.decode("n", as: Decimal.self) == decimal)
      #expect(try row.decode("ts", as: Date.self) == timestamp)
      #expect(
        try row.decode("day", as: PostgresDate.self) == PostgresDate(year: 2026, month: 2, day: 28))
      #expect(try row.decode("u", as: UUID.self) == uuid)
      // jsonb normalises spacing; compare what the server would compare.
      let sameJSON = try await connection.query(
        "SELECT j = $1 FROM \(table)", PostgresJSON(try row.decode("j", as: PostgresJSON.self).text)
      ).scalar(as: Bool.self)
      #expect(sameJSON)
      #expect(try row.decode("j", as: PostgresJSON.self).text.contains("会员"))
      #expect(try row.decode("bytes", as: [UInt8].self) == bytes)
      #expect(try row.decode("bytes", as: PostgresBytes.self) == PostgresBytes(bytes))
      #expect(try row.decode("tags", as: [String].self) == tags)
      #expect(try row.decode("ids", as: [Int].self) == [1, -2, Int.max])
      #expect(try row.decode("uuids", as: [UUID].self).first == uuid)
    }
  }

  @Test func serverComputedValuesDecode() async throws {
    try await withTestConnection { connection in
      let row = try #require(
        try await connection.query(
          """
          SELECT 1.50::numeric, 0::numeric, '-0.001'::numeric, 'NaN'::numeric, '2000-01-01'::date,
                 '1969-12-31'::date, '2000-01-01 00:00:00+00'::timestamptz, ARRAY[]::text[], ''::bytea
          """
        ).rows.first)
      #expect(try row.decode(0, as: Decimal.self) == Decimal(string: "1.5"))
      #expect(try row.decode(1, as: Decimal.self) == 0)
      #expect(try row.decode(2, as: Decimal.self) == Decimal(string: "-0.001"))
      #expect(try row.decode(3, as: Decimal.self).isNaN)
      #expect(
        try row.decode(4, as: PostgresDate.self) == PostgresDate(year: 2000, month: 1, day: 1))
      #expect(
        try row.decode(5, as: PostgresDate.self) == PostgresDate(year: 1969, month: 12, day: 31))
      #expect(try row.decode(6, as: Date.self) == Date(timeIntervalSince1970: 946_684_800))
      #expect(try row.decode(7, as: [String].self) == [])
      #expect(try row.decode(8, as: [UInt8].self) == [])
    }
  }

  @Test func nullRoundTripsThroughOptionals() async throws {
    try await withTestConnection { connection in
      let none: Int? = nil
      let row = try #require(
        try await connection.query("SELECT $1::bigint, $2::uuid", none, UUID?.none).rows.first)
      #expect(try row.decode(0, as: Int?.self) == nil)
      #expect(try row.decode(1, as: UUID?.self) == nil)
      #expect(row.isNull(0))
    }
  }

  @Test func typeMismatchesAreThrownErrors() async throws {
    try await withTestConnection { connection in
      let row = try #require(
        try await connection.query(
          "SELECT 'forty-two'::text AS word, NULL::int AS nothing, 70000 AS big"
        ).rows
          .first)
      #expect {
        try row.decode("word", as: Int.self)
      } throws: { ($0 as? PostgresDecodingError)?.kind == .typeMismatch }
      #expect {
        try row.decode("nothing", as: Int.self)
      } throws: { ($0 as? PostgresDecodingError)?.kind == .unexpectedNull }
      #expect {
        try row.decode("big", as: String.self)
      } throws: { ($0 as? PostgresDecodingError)?.kind == .typeMismatch }
      #expect {
        try row.decode("missing", as: String.self)
      } throws: { ($0 as? PostgresDecodingError)?.kind == .columnNotFound }
      #expect {
        try row.decode(7, as: String.self)
      } throws: { ($0 as? PostgresDecodingError)?.kind == .columnNotFound }
      #expect(throws: PostgresDecodingError.self) { try row.decode("word", as: Date.self) }
      #expect(throws: PostgresDecodingError.self) { try row.decode("word", as: UUID.self) }
      #expect(throws: PostgresDecodingError.self) { try row.decode("big", as: Bool.self) }
      #expect(throws: PostgresDecodingError.self) { try row.decode("big", as: [String].self) }
    }
  }

  @Test func serverErrorsCarrySQLStateAndKeepValuesOutOfTheDescription() async throws {
    try await withTestConnection { connection in
      do {
        try await connection.query("SELECT $1::int", "not a number: secret-value")
        Issue.record("casting text to int succeeded")
      } catch let error as PostgresError {
        #expect(error.kind == .server)
        #expect(error.sqlState == "22P02")
        #expect(!error.description.contains("secret-value"))
        #expect(error.description.contains("invalid input syntax"))
      }
      // The connection stays usable after a server error.
      #expect(try await connection.query("SELECT 1").scalar(as: Int.self) == 1)
    }
  }

  @Test func executeScriptRunsSeveralStatements() async throws {
    try await withTestConnection { connection in
      let table = TestDatabase.uniqueName("script")
      try await connection.executeScript(
        "CREATE TABLE \(table) (id int); INSERT INTO \(table) VALUES (1); INSERT INTO \(table) VALUES (2);"
      )
      let result = try await connection.query("UPDATE \(table) SET id = id + 10")
      #expect(result.affectedRows == 2)
    }
  }

  @Test func statementTimeoutIsATimeoutError() async throws {
    var configuration = try TestDatabase.configuration()
    configuration.statementTimeout = .milliseconds(100)
    let connection = try await PostgresConnection.connect(configuration)
    do {
      try await connection.query("SELECT pg_sleep(5)")
      Issue.record("pg_sleep(5) finished despite a 100 ms statement timeout")
    } catch {
      #expect(error.kind == .timeout)
      #expect(error.sqlState == "57014")
    }
    await connection.close()
  }
}
