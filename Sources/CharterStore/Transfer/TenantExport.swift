public import CharterPostgres
public import Foundation

/// Writes one tenant's complete data to a file: JSON lines, UTF-8. Line 1 is the header
/// (format, schema version and the applied migrations' checksums, tenant slug); then one line
/// `{"row": {...}, "table": "charter.x"}` per row, tables parent-first (foreign keys), rows in
/// primary-key order; the last line `{"end": true, "rows": N}` lets an import notice a cut file.
/// Every line is rendered by PostgreSQL (`to_jsonb`, jsonb's canonical key order), and the file
/// carries no timestamp of its own, so exporting the same data twice gives the same bytes.
public enum TenantExport {
  public static let format = "charter-tenant-export/1"

  /// Exports tenant `slug` from the database behind `connection`, which must be the owner role
  /// (it alone may read every table; row-level security still limits it to this tenant).
  /// Runs in one REPEATABLE READ transaction: a consistent snapshot. Returns the row count.
  @discardableResult
  public static func write(
    tenant slug: String, to file: URL, connection: PostgresConnection
  ) async throws -> Int {
    let lines = try await connection.transaction(
      isolation: .repeatableRead,
      settings: [TenancySettings.scope: TenancySettings.installationScope]
    ) { connection in
      let found = try await connection.query(
        "select id from charter.tenants where slug = $1", [slug])
      guard let row = found.rows.first else { throw TenantTransferError.unknownTenant(slug: slug) }
      let tenant = try row.decode(0, as: TenantID.self)
      try await connection.query(
        "select set_config($1, $2, true)", [TenancySettings.tenant, tenant.description])
      var lines = [try await SchemaFingerprint.header(slug: slug, on: connection)]
      for table in try await TenantTables.load(on: connection) {
        let key = table.isTenantsTable ? "id" : "tenant_id"
        let order =
          table.primaryKey.isEmpty ? "" : " order by " + table.primaryKey.joined(separator: ", ")
        let result = try await connection.query(
          """
          select jsonb_build_object('table', $2::text, 'row', to_jsonb(t))::text
          from \(table.quotedName) t where t.\(key) = $1\(order)
          """, [tenant, table.name])
        for row in result.rows { lines.append(try row.decode(0, as: String.self)) }
      }
      let rows = lines.count - 1
      let end = try await connection.query(
        "select jsonb_build_object('end', true, 'rows', $1::bigint)::text", [rows])
      lines.append(try end.scalar(as: String.self))
      return lines
    }
    let text = lines.joined(separator: "\n") + "\n"
    try Data(text.utf8).write(to: file, options: .atomic)
    return lines.count - 2
  }
}

/// The schema version a file was written at: the applied migrations, version and checksum.
enum SchemaFingerprint {
  static func header(slug: String, on connection: PostgresConnection) async throws -> String {
    let result = try await connection.query(
      """
      select jsonb_build_object(
          'format', $1::text, 'tenant', $2::text,
          'schema_version', (select max(version) from charter.schema_migrations),
          'migrations', (select jsonb_agg(jsonb_build_object('version', version,
                                                             'checksum', checksum)
                                          order by version)
                         from charter.schema_migrations))::text
      """, [TenantExport.format, slug])
    return try result.scalar(as: String.self)
  }

  /// The applied migrations of the database, as the header lists them, compared as jsonb.
  static func migrations(on connection: PostgresConnection) async throws -> String {
    let result = try await connection.query(
      """
      select coalesce(jsonb_agg(jsonb_build_object('version', version, 'checksum', checksum)
                                order by version), '[]'::jsonb)::text
      from charter.schema_migrations
      """, [])
    return try result.scalar(as: String.self)
  }
}
