import CharterPostgres
import CharterStore
import Foundation

/// One tenant's seed: the tenant and the ids other rows point at.
struct TenantSeed: Sendable {
  let tenant: TenantID
  let memberID = UUID()
  let jobID = UUID()
}

/// An INSERT of one typical row into one tenant table, for `seed`'s tenant.
struct TenantFixture: Sendable {
  let table: String
  let sql: String
  let parameters: @Sendable (TenantSeed) -> [any PostgresEncodable]
}

/// A row for every tenant table, in an order that satisfies the foreign keys. When a migration
/// adds a tenant table, the isolation test fails until a fixture for it is added here.
let tenantFixtures: [TenantFixture] = [
  TenantFixture(
    table: "charter.charter_versions",
    sql: """
      insert into charter.charter_versions
          (tenant_id, version, effective_on, profile_text, profile_sha256, recorded_by)
      values ($1, 1, date '2026-01-01', 'profile', encode(sha256('profile'::bytea), 'hex'), 'test')
      """,
    parameters: { [$0.tenant] }),
  TenantFixture(
    table: "charter.tenant_administrators",
    sql: """
      insert into charter.tenant_administrators (tenant_id, login, display_name, role)
      values ($1, 'secretary', '秘书处 Secretary', 'secretariat')
      """,
    parameters: { [$0.tenant] }),
  TenantFixture(
    table: "charter.members",
    sql: """
      insert into charter.members (tenant_id, id, kind, name)
      values ($1, $2, 'unit', '成员单位 Member unit')
      """,
    parameters: { [$0.tenant, $0.memberID] }),
  TenantFixture(
    table: "charter.member_register",
    sql: """
      insert into charter.member_register
          (tenant_id, member_id, event, effective_on, status, cause, recorded_by)
      values ($1, $2, 'admitted', date '2026-01-05', 'member', 'council decision', 'test')
      """,
    parameters: { [$0.tenant, $0.memberID] }),
  TenantFixture(
    table: "charter.audit_log",
    sql: """
      insert into charter.audit_log (tenant_id, actor, actor_kind, command, outcome)
      values ($1, 'test', 'system', 'seed', 'succeeded')
      """,
    parameters: { [$0.tenant] }),
  TenantFixture(
    table: "charter.deadline_jobs",
    sql: """
      insert into charter.deadline_jobs (tenant_id, id, kind, subject, due_at, unique_key)
      values ($1, $2, 'reminder', 'seed', now() + interval '1 day', 'seed')
      """,
    parameters: { [$0.tenant, $0.jobID] }),
  TenantFixture(
    table: "charter.notice_outbox",
    sql: """
      insert into charter.notice_outbox
          (tenant_id, notice_key, job_id, channel, recipient, subject, body)
      values ($1, 'seed', $2, 'email', 'secretariat@example.org', '通知 Notice', 'body')
      """,
    parameters: { [$0.tenant, $0.jobID] }),
  TenantFixture(
    table: "charter.notice_attempts",
    sql: """
      insert into charter.notice_attempts (tenant_id, outbox_id, attempt, channel, outcome, reply)
      values ($1, coalesce((select id from charter.notice_outbox
                            where tenant_id = $1 and notice_key = 'seed'), gen_random_uuid()),
              1, 'email', 'sent', '250 OK')
      """,
    parameters: { [$0.tenant] }),
  TenantFixture(
    table: "charter.delivery_settings",
    sql: """
      insert into charter.delivery_settings (tenant_id, mail_from) values ($1, 'a@example.org')
      """,
    parameters: { [$0.tenant] }),
  TenantFixture(
    table: "charter.notice_templates",
    sql: """
      insert into charter.notice_templates (tenant_id, notice_kind, locale, subject, text_body)
      values ($1, 'reminder', 'zh-CN', '提醒', '{{summary}}')
      """,
    parameters: { [$0.tenant] }),
  // SQL/0007_members.sql: a register import in chunks.
  TenantFixture(
    table: "charter.register_import_batches",
    sql: """
      insert into charter.register_import_batches (tenant_id, id, created_by)
      values ($1, $2, 'test')
      """,
    parameters: { [$0.tenant, $0.jobID] }),
  TenantFixture(
    table: "charter.register_import_chunks",
    sql: """
      insert into charter.register_import_chunks (tenant_id, batch_id, seq, text)
      values ($1, $2, 1, 'name,kind,tier,status,joined_on\n')
      """,
    parameters: { [$0.tenant, $0.jobID] }),
]

enum Seeding {
  /// Creates a tenant (installation scope, as the daemon would) and one row per tenant table
  /// (in the tenant's own context), all as the run-time role.
  static func seedTenant(slug: String, on app: PostgresConnection) async throws -> TenantSeed {
    let seed = TenantSeed(tenant: TenantID(UUID()))
    try await app.transaction(settings: [TenancySettings.scope: TenancySettings.installationScope])
    {
      connection in
      try await connection.query(
        "insert into charter.tenants (id, slug, name) values ($1, $2, $3)",
        [seed.tenant, slug, "联盟 \(slug)"])
    }
    try await app.transaction(settings: [TenancySettings.tenant: seed.tenant.description]) {
      connection in
      for fixture in tenantFixtures {
        try await connection.query(fixture.sql, fixture.parameters(seed))
      }
    }
    return seed
  }

  /// Every table of the charter schema with a tenant_id column, from the catalog.
  static func tenantTables(on connection: PostgresConnection) async throws -> [String] {
    let result = try await connection.query(
      """
      select c.oid::regclass::text
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'charter' and c.relkind in ('r', 'p')
        and exists (select 1 from pg_attribute a
                    where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
      order by 1
      """, [])
    return try result.rows.map { try $0.decode(0, as: String.self) }
  }
}

/// Runs `body` and returns the SQLSTATE it failed with, or nil if it succeeded.
func sqlState<T>(of body: () async throws -> T) async -> String? {
  do {
    _ = try await body()
    return nil
  } catch let error as PostgresError {
    return error.sqlState ?? "no sqlstate: \(error)"
  } catch {
    return "not a PostgresError: \(error)"
  }
}

let insufficientPrivilege = "42501"
