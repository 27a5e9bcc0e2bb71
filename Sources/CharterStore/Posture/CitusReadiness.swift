public import CharterPostgres

/// One way a tenant table would not distribute by tenant on Citus (RELIABILITY S7).
public struct CitusReadinessViolation: Sendable, Equatable, CustomStringConvertible {
  public enum Kind: String, Sendable, CaseIterable {
    case tenantIDNotUUID = "tenant_id_not_uuid"
    case noPrimaryKey = "no_primary_key"
    case primaryKeyNotLedByTenantID = "primary_key_not_led_by_tenant_id"
    case uniqueWithoutTenantID = "unique_without_tenant_id"
    case foreignKeyWithoutTenantID = "foreign_key_without_tenant_id"
    case exclusionWithoutTenantID = "exclusion_without_tenant_id"
    case foreignKeyTenantIDMismatch = "foreign_key_tenant_id_mismatch"
    case uniqueIndexWithoutTenantID = "unique_index_without_tenant_id"
  }
  public var kind: Kind
  /// The tenant table, e.g. `charter.members`.
  public var table: String
  /// The constraint or index at fault, or the column type for `tenantIDNotUUID`.
  public var object: String

  public var description: String {
    switch kind {
    case .tenantIDNotUUID: "\(table): tenant_id is \(object), not uuid"
    case .noPrimaryKey: "\(table) has no primary key"
    case .primaryKeyNotLedByTenantID:
      "\(table): primary key \(object) does not start with tenant_id"
    case .uniqueWithoutTenantID: "\(table): unique constraint \(object) does not include tenant_id"
    case .foreignKeyWithoutTenantID: "\(table): foreign key \(object) does not include tenant_id"
    case .exclusionWithoutTenantID:
      "\(table): exclusion constraint \(object) does not include tenant_id"
    case .foreignKeyTenantIDMismatch:
      "\(table): foreign key \(object) pairs tenant_id with a column other than the referenced tenant_id"
    case .uniqueIndexWithoutTenantID: "\(table): unique index \(object) does not include tenant_id"
    }
  }
}

/// Citus readiness lint, for CI and the posture report: every tenant table's primary key,
/// unique constraints and indexes, and foreign keys include tenant_id (a uuid), so the schema
/// can be distributed by tenant without a rewrite.
public enum CitusReadiness {
  public static func violations(connection: PostgresConnection, schema: String = "charter")
    async throws -> [CitusReadinessViolation]
  {
    let result = try await connection.query(query, [schema])
    return try result.rows.map { row in
      let kind = try row.decode(0, as: String.self)
      return CitusReadinessViolation(
        kind: CitusReadinessViolation.Kind(rawValue: kind) ?? .uniqueWithoutTenantID,
        table: try row.decode(1, as: String.self), object: try row.decode(2, as: String.self))
    }
  }

  /// One row per violation: (kind, table, constraint or index). $1 = schema name.
  static let query = """
    with tenant_tables as (
        select c.oid, a.attnum as tenant_attnum, a.atttypid as tenant_type
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        join pg_catalog.pg_attribute a
          on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
        where n.nspname = $1::text::name and c.relkind in ('r', 'p')
    )
    select 'tenant_id_not_uuid', t.oid::regclass::text, pg_catalog.format_type(t.tenant_type, null)
    from tenant_tables t where t.tenant_type <> 'pg_catalog.uuid'::pg_catalog.regtype
    union all
    select 'no_primary_key', t.oid::regclass::text, ''
    from tenant_tables t
    where not exists (select 1 from pg_catalog.pg_constraint k
                      where k.conrelid = t.oid and k.contype = 'p')
    union all
    select 'primary_key_not_led_by_tenant_id', t.oid::regclass::text, k.conname::text
    from tenant_tables t
    join pg_catalog.pg_constraint k on k.conrelid = t.oid and k.contype = 'p'
    where k.conkey[1] <> t.tenant_attnum
    union all
    select case k.contype when 'f' then 'foreign_key_without_tenant_id'
                          when 'x' then 'exclusion_without_tenant_id'
                          else 'unique_without_tenant_id' end,
           t.oid::regclass::text, k.conname::text
    from tenant_tables t join pg_catalog.pg_constraint k on k.conrelid = t.oid
    where k.contype in ('p', 'u', 'f', 'x') and not (t.tenant_attnum = any (k.conkey))
    union all
    select 'foreign_key_tenant_id_mismatch', t.oid::regclass::text, k.conname::text
    from tenant_tables t
    join pg_catalog.pg_constraint k on k.conrelid = t.oid and k.contype = 'f'
    join tenant_tables rt on rt.oid = k.confrelid
    where t.tenant_attnum = any (k.conkey)
      and k.confkey[pg_catalog.array_position(k.conkey, t.tenant_attnum)] <> rt.tenant_attnum
    union all
    select 'unique_index_without_tenant_id', t.oid::regclass::text, i.indexrelid::regclass::text
    from tenant_tables t join pg_catalog.pg_index i on i.indrelid = t.oid
    where i.indisunique
      and not (t.tenant_attnum = any (i.indkey::pg_catalog.int2[]))
      and not exists (select 1 from pg_catalog.pg_constraint k where k.conindid = i.indexrelid)
    order by 1, 2, 3
    """
}
