import CharterPostgres

/// A table that holds a tenant's rows, as the catalog describes it. Names come from the catalog
/// already quoted (`quote_ident`), so they can be put into SQL text.
struct TenantTable: Sendable, Equatable {
  /// `charter.members`: the name written into export files.
  let name: String
  /// The quoted qualified name for SQL text.
  let quotedName: String
  /// The quoted primary-key columns, in key order: the export's row order.
  let primaryKey: [String]
  /// Identity columns (unquoted names), whose sequences an import moves past the imported ids.
  let identityColumns: [String]
  /// True for `charter.tenants`, which is keyed by `id`, not by `tenant_id`.
  let isTenantsTable: Bool
}

enum TenantTables {
  /// `charter.tenants` plus every table of schema `charter` with a `tenant_id` column, ordered
  /// so that a table comes after every table its foreign keys reference: a table added by a
  /// later migration is exported and imported without code changes.
  static func load(on connection: PostgresConnection) async throws -> [TenantTable] {
    let result = try await connection.query(
      """
      select c.oid::regclass::text,
             quote_ident(n.nspname) || '.' || quote_ident(c.relname),
             coalesce((select string_agg(quote_ident(a.attname), ',' order by k.ord)
                       from pg_index i
                       cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
                       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                       where i.indrelid = c.oid and i.indisprimary), ''),
             coalesce((select string_agg(a.attname, ',' order by a.attnum)
                       from pg_attribute a
                       where a.attrelid = c.oid and a.attidentity <> '' and not a.attisdropped),
                      ''),
             coalesce((select string_agg(f.confrelid::regclass::text, ',')
                       from pg_constraint f
                       where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid), '')
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'charter' and c.relkind in ('r', 'p')
        and (c.relname = 'tenants'
             or exists (select 1 from pg_attribute a
                        where a.attrelid = c.oid and a.attname = 'tenant_id'
                          and not a.attisdropped))
      order by 1
      """, [])
    var tables: [String: TenantTable] = [:]
    var references: [String: Set<String>] = [:]
    for row in result.rows {
      let name = try row.decode(0, as: String.self)
      let columns = { (text: String) in text.split(separator: ",").map(String.init) }
      tables[name] = TenantTable(
        name: name, quotedName: try row.decode(1, as: String.self),
        primaryKey: columns(try row.decode(2, as: String.self)),
        identityColumns: columns(try row.decode(3, as: String.self)),
        isTenantsTable: name == "charter.tenants")
      references[name] = Set(columns(try row.decode(4, as: String.self)))
    }
    // Kahn's algorithm, the alphabetically first ready table each time: a stable order, so
    // two exports of the same data are byte-identical.
    var ordered: [TenantTable] = []
    var remaining = Set(tables.keys)
    while !remaining.isEmpty {
      let ready = remaining.filter { name in
        (references[name] ?? []).allSatisfy { !remaining.contains($0) }
      }
      // The tenants row always leads (the import takes the tenant from it), even before a
      // tenant table without a foreign key to it. A foreign-key cycle between tenant tables
      // falls back to name order for the rest.
      let next =
        ready.contains("charter.tenants") ? "charter.tenants" : ready.min() ?? remaining.min() ?? ""
      remaining.remove(next)
      if let table = tables[next] { ordered.append(table) }
    }
    return ordered
  }
}
