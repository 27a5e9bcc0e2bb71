public import CharterPostgres
public import Foundation

/// What an import loaded.
public struct TenantImportSummary: Sendable, Equatable {
  public let slug: String
  public let tenant: TenantID
  public let rows: Int

  public init(slug: String, tenant: TenantID, rows: Int) {
    self.slug = slug
    self.tenant = tenant
    self.rows = rows
  }
}

/// Loads a file written by `TenantExport` into another database, keeping every id, in ONE
/// transaction: a refused or failed import leaves nothing behind. Refuses a file written at
/// other applied migrations than the target's, and a slug the target already has. Table names
/// in the file are only looked up among the catalog's tenant tables, never put into SQL.
public enum TenantImport {
  /// `connection` must be the owner role: the run-time role may not move identity sequences.
  @discardableResult
  public static func load(from file: URL, connection: PostgresConnection) async throws
    -> TenantImportSummary
  {
    let data = try Data(contentsOf: file)
    guard let text = String(data: data, encoding: .utf8) else {
      throw TenantTransferError.malformedFile(line: 1, reason: "not UTF-8 text")
    }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    let header = try ExportHeader(line: lines.first ?? "")
    let rowLines = try checkedRowLines(lines)
    return try await connection.transaction(
      settings: [TenancySettings.scope: TenancySettings.installationScope]
    ) { connection in
      let databaseMigrations = try await SchemaFingerprint.migrations(on: connection)
      let same = try await connection.query(
        "select $1::jsonb = $2::jsonb", [header.migrations, databaseMigrations])
      guard try same.scalar(as: Bool.self) else {
        throw TenantTransferError.versionMismatch(
          file: try await describe(header.migrations, on: connection),
          database: try await describe(databaseMigrations, on: connection))
      }
      let existing = try await connection.query(
        "select 1 from charter.tenants where slug = $1", [header.slug])
      guard existing.rows.isEmpty else { throw TenantTransferError.tenantExists(slug: header.slug) }
      let tables = try await TenantTables.load(on: connection)
      let byName = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
      var tenant: TenantID?
      for (offset, line) in rowLines.enumerated() {
        let lineNumber = offset + 2
        let entry = try RowLine(line: line, number: lineNumber)
        guard let table = byName[entry.table] else {
          throw TenantTransferError.unknownTable(line: lineNumber, table: entry.table)
        }
        if tenant == nil {
          // The tenant's own row comes first (parent-first order): it names the tenant whose
          // context every following row is inserted in, so RLS checks each one.
          guard table.isTenantsTable, let id = entry.tenantID, entry.slug == header.slug else {
            throw TenantTransferError.malformedFile(
              line: lineNumber, reason: "the first row must be the tenant '\(header.slug)' itself")
          }
          tenant = id
          try await connection.query(
            "select set_config($1, $2, true)", [TenancySettings.tenant, id.description])
        }
        try await connection.query(
          """
          insert into \(table.quotedName) overriding system value
          select * from jsonb_populate_record(null::\(table.quotedName), ($1::jsonb) -> 'row')
          """, [line])
      }
      guard let tenant else {
        throw TenantTransferError.malformedFile(line: 2, reason: "the file holds no tenant row")
      }
      try await advanceIdentitySequences(tables, on: connection)
      return TenantImportSummary(slug: header.slug, tenant: tenant, rows: rowLines.count)
    }
  }

  /// The row lines between the header and the end line, after checking the end line's count:
  /// a file cut short is refused before anything is inserted.
  private static func checkedRowLines(_ lines: [String]) throws -> ArraySlice<String> {
    guard lines.count >= 2,
      let end = try? JSONSerialization.jsonObject(with: Data(lines[lines.count - 1].utf8))
        as? [String: Any],
      end["end"] as? Bool == true, let rows = end["rows"] as? Int
    else {
      throw TenantTransferError.malformedFile(
        line: lines.count, reason: "the end line is missing: the file was cut short")
    }
    guard rows == lines.count - 2 else {
      throw TenantTransferError.malformedFile(
        line: lines.count,
        reason: "the end line counts \(rows) rows, the file holds \(lines.count - 2)")
    }
    return lines[1..<(lines.count - 1)]
  }

  /// Ids of identity columns are kept; their sequences (shared by all tenants) must then
  /// hand out only ids above the imported ones, or the tenant's next row would collide.
  private static func advanceIdentitySequences(
    _ tables: [TenantTable], on connection: PostgresConnection
  ) async throws {
    for table in tables {
      for column in table.identityColumns {
        let quoted = "\"" + column.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try await connection.query(
          """
          select setval(s.name, greatest(nextval(s.name),
                                         (select coalesce(max(\(quoted)), 0) from \(table.quotedName))))
          from (select pg_get_serial_sequence($1, $2) as name) s
          """, [table.quotedName, column])
      }
    }
  }

  private static func describe(_ migrations: String, on connection: PostgresConnection)
    async throws -> String
  {
    let result = try await connection.query(
      """
      select coalesce(max((m ->> 'version')::bigint), 0),
             coalesce(string_agg((m ->> 'version') || ':' || left(m ->> 'checksum', 12), ' '
                                 order by (m ->> 'version')::bigint), 'none')
      from jsonb_array_elements($1::jsonb) m
      """, [migrations])
    guard let row = result.rows.first else { return migrations }
    return
      "version \(try row.decode(0, as: Int.self)) (migrations \(try row.decode(1, as: String.self)))"
  }
}

/// The first line of an export file.
struct ExportHeader {
  let slug: String
  /// The `migrations` array re-serialised, compared with the target's as jsonb.
  let migrations: String

  init(line: String) throws {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    else {
      throw TenantTransferError.malformedFile(line: 1, reason: "the header is not a JSON object")
    }
    guard object["format"] as? String == TenantExport.format else {
      throw TenantTransferError.malformedFile(
        line: 1, reason: "format is not \(TenantExport.format)")
    }
    guard let slug = object["tenant"] as? String, let migrations = object["migrations"],
      JSONSerialization.isValidJSONObject(migrations),
      let encoded = try? JSONSerialization.data(withJSONObject: migrations),
      let migrationsText = String(data: encoded, encoding: .utf8)
    else {
      throw TenantTransferError.malformedFile(
        line: 1, reason: "the header lacks the tenant slug or the migrations")
    }
    self.slug = slug
    self.migrations = migrationsText
  }
}

/// One row line, read just enough to find its table (and, for the tenants row, the tenant).
struct RowLine {
  let table: String
  let tenantID: TenantID?
  let slug: String?

  init(line: String, number: Int) throws {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
      let table = object["table"] as? String, let row = object["row"] as? [String: Any]
    else {
      throw TenantTransferError.malformedFile(line: number, reason: "not a row line")
    }
    self.table = table
    self.tenantID = (row["id"] as? String).flatMap { TenantID($0) }
    self.slug = row["slug"] as? String
  }
}
