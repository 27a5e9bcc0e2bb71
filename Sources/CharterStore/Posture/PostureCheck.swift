public import CharterPostgres

/// The catalog checks the daemon runs before it serves (RELIABILITY S3, R14): the run-time role
/// cannot get around row-level security, every tenant table is secured, nothing is UNLOGGED,
/// commits are synchronous. A failure names what is at fault and the daemon does not start.
public enum PostureCheck {
  /// Throws `PostureViolation` listing every problem found.
  /// - Parameters:
  ///   - connection: preferably a run-time session: its own `synchronous_commit` is checked.
  ///   - runtimeRole: the role the daemon runs as; nil means the connection's `current_user`.
  ///   - schema: the schema holding Charter's tables.
  ///   - dispatchRole: the BYPASSRLS role owning the scheduler's cross-tenant functions.
  public static func verify(
    connection: PostgresConnection, runtimeRole: String? = nil, schema: String = "charter",
    dispatchRole: String = RoleBootstrap.dispatchRole
  ) async throws {
    let found = try await violations(
      connection: connection, runtimeRole: runtimeRole, schema: schema, dispatchRole: dispatchRole)
    if !found.isEmpty { throw PostureViolation(violations: found) }
  }

  /// Every violation, empty when the posture is good.
  public static func violations(
    connection: PostgresConnection, runtimeRole: String? = nil, schema: String = "charter",
    dispatchRole: String = RoleBootstrap.dispatchRole
  ) async throws -> [PostureViolation.Violation] {
    let role: String
    if let runtimeRole {
      role = runtimeRole
    } else {
      let result = try await connection.query("select current_user::text", [])
      guard let row = result.rows.first else { return [] }
      role = try row.decode(0, as: String.self)
    }
    let result = try await connection.query(query, [role, schema, dispatchRole])
    return try result.rows.compactMap { row in
      let kind = try row.decode(0, as: String.self)
      let object = try row.decode(1, as: String.self)
      // An unknown kind would mean this file and its query disagree; report it rather
      // than drop it, under the closest kind.
      return PostureViolation.Violation(
        kind: PostureViolation.Violation.Kind(rawValue: kind) ?? .noPolicy, object: object)
    }
  }

  /// The only objects the dispatch role may own (SQL/0002_scheduler.sql, SQL/0004_delivery.sql), as `regprocedure`
  /// prints them with `charter` off the search path.
  static let dispatchFunctions = [
    "charter.claim_due_jobs(text,interval,integer)", "charter.next_due_at()",
    "charter.rescue_expired_leases()", "charter.claim_due_notices(text,interval,integer)",
    "charter.next_notice_due_at()", "charter.rescue_expired_notice_leases()",
  ]

  /// One row per violation: (kind, object). $1 = run-time role name, $2 = schema name,
  /// $3 = dispatch role name.
  /// A "tenant table" is any table of the schema with a tenant_id column: found in the
  /// catalog, so a table added later is checked without anyone listing it.
  static let query = """
    with params as (select $1::text::name as role_name, $2::text::name as schema_name,
                           $3::text::name as dispatch_name),
    dispatch as (
        select r.oid, r.rolname, r.rolcanlogin
        from pg_catalog.pg_roles r, params p where r.rolname = p.dispatch_name
    ),
    -- Everything the dispatch role owns in this database or cluster-wide, from pg_shdepend.
    dispatch_owned as (
        select sd.classid, sd.objid, sd.objsubid
        from pg_catalog.pg_shdepend sd, dispatch d
        where sd.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
          and sd.refobjid = d.oid and sd.deptype = 'o'
          and (sd.dbid = 0 or sd.dbid = (select oid from pg_catalog.pg_database
                                        where datname = pg_catalog.current_database()))
    ),
    runtime as (
        select r.oid from pg_catalog.pg_roles r, params p where r.rolname = p.role_name
    ),
    runtime_roles as (
        select r.oid, r.rolname, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb
        from pg_catalog.pg_roles r, runtime rt
        where pg_catalog.pg_has_role(rt.oid, r.oid, 'MEMBER')
    ),
    target_schema as (
        select n.oid, n.nspname, n.nspowner
        from pg_catalog.pg_namespace n, params p where n.nspname = p.schema_name
    ),
    tenant_tables as (
        select c.oid, c.relrowsecurity, c.relforcerowsecurity
        from pg_catalog.pg_class c
        join target_schema s on s.oid = c.relnamespace
        where c.relkind in ('r', 'p')
          and exists (select 1 from pg_catalog.pg_attribute a
                      where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
    )
    select 'runtime_role_missing', p.role_name::text from params p
    where not exists (select 1 from runtime)
    union all
    select 'dispatch_role_missing', p.dispatch_name::text from params p
    where not exists (select 1 from dispatch)
    union all
    select 'dispatch_role_can_login', rolname::text from dispatch where rolcanlogin
    union all
    select 'runtime_in_dispatch_role', p.role_name::text || ' reaches ' || d.rolname
    from dispatch d, runtime rt, params p
    where pg_catalog.pg_has_role(rt.oid, d.oid, 'MEMBER')
    union all
    select 'dispatch_role_owns_object',
           pg_catalog.pg_describe_object(o.classid, o.objid, o.objsubid)
    from dispatch_owned o
    where not (o.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
               and o.objid::pg_catalog.regprocedure::text = any (array['\(dispatchFunctions.joined(separator: "', '"))']))
    union all
    -- Each allowed function must pin search_path, be SECURITY DEFINER and be executable by
    -- nobody but its owner and the run-time group (functions are PUBLIC-executable by default).
    select 'dispatch_function_unsafe', f.oid::pg_catalog.regprocedure::text
    from pg_catalog.pg_proc f join dispatch d on d.oid = f.proowner
    where not f.prosecdef
       or not coalesce('search_path=pg_catalog, charter' = any (f.proconfig), false)
       or f.proacl is null
       or exists (select 1 from pg_catalog.aclexplode(f.proacl) a
                  where a.grantee <> f.proowner
                    and a.grantee not in (select oid from runtime_roles))
    union all
    select 'superuser', rolname::text from runtime_roles where rolsuper
    union all
    select 'bypassrls', rolname::text from runtime_roles where rolbypassrls
    union all
    select 'createrole', rolname::text from runtime_roles where rolcreaterole
    union all
    select 'createdb', rolname::text from runtime_roles where rolcreatedb
    union all
    select 'owns_relation', c.oid::regclass::text || ' (owner ' || rr.rolname || ')'
    from pg_catalog.pg_class c
    join target_schema s on s.oid = c.relnamespace
    join runtime_roles rr on rr.oid = c.relowner
    union all
    select 'owns_schema', s.nspname || ' (owner ' || rr.rolname || ')'
    from target_schema s join runtime_roles rr on rr.oid = s.nspowner
    union all
    select 'schema_create', s.nspname::text from target_schema s, runtime rt
    where pg_catalog.has_schema_privilege(rt.oid, s.oid, 'CREATE')
    union all
    select 'rls_disabled', oid::regclass::text from tenant_tables where not relrowsecurity
    union all
    select 'rls_not_forced', oid::regclass::text from tenant_tables where not relforcerowsecurity
    union all
    select 'no_policy', t.oid::regclass::text from tenant_tables t
    where not exists (select 1 from pg_catalog.pg_policy pol where pol.polrelid = t.oid)
    union all
    select 'policy_without_tenant_predicate', t.oid::regclass::text || ' (policy ' || pol.polname || ')'
    from tenant_tables t join pg_catalog.pg_policy pol on pol.polrelid = t.oid
    where pol.polpermissive
      and (pol.polqual is null
           or pg_catalog.strpos(pg_catalog.pg_get_expr(pol.polqual, pol.polrelid), 'current_tenant()') = 0
           or (pol.polwithcheck is not null
               and pg_catalog.strpos(pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid),
                                     'current_tenant()') = 0))
    union all
    select 'unlogged', c.oid::regclass::text
    from pg_catalog.pg_class c join target_schema s on s.oid = c.relnamespace
    where c.relpersistence = 'u'
    union all
    select 'view_without_security_invoker', v.oid::regclass::text
    from pg_catalog.pg_class v
    join pg_catalog.pg_namespace vn on vn.oid = v.relnamespace
    where v.relkind = 'v'
      and vn.nspname not in ('pg_catalog', 'information_schema')
      and not coalesce((select o.option_value::boolean
                        from pg_catalog.pg_options_to_table(v.reloptions) o
                        where o.option_name = 'security_invoker'), false)
      and exists (
          select 1
          from pg_catalog.pg_rewrite r
          join pg_catalog.pg_depend d
            on d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass and d.objid = r.oid
           and d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
          join pg_catalog.pg_class t on t.oid = d.refobjid
          where r.ev_class = v.oid and t.oid <> v.oid and t.relrowsecurity)
    union all
    select 'leakproof_function', f.oid::regprocedure::text
    from pg_catalog.pg_proc f join target_schema s on s.oid = f.pronamespace
    where f.proleakproof
    union all
    select 'role_setting_synchronous_commit_off',
           coalesce(d.datname::text, 'every database') || ': ' || st.setconfig::text
    from pg_catalog.pg_db_role_setting st
    left join pg_catalog.pg_database d on d.oid = st.setdatabase
    where (st.setrole = 0 or st.setrole in (select oid from runtime_roles))
      and (st.setdatabase = 0 or d.datname = pg_catalog.current_database())
      and exists (select 1 from pg_catalog.unnest(st.setconfig) c(item)
                  where pg_catalog.lower(c.item) in ('synchronous_commit=off',
                      'synchronous_commit=false', 'synchronous_commit=no', 'synchronous_commit=0'))
    union all
    select 'session_synchronous_commit_off', pg_catalog.current_setting('synchronous_commit')
    where pg_catalog.current_setting('synchronous_commit') = 'off'
    order by 1, 2
    """
}
