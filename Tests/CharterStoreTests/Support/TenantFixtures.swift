import CharterPostgres
import CharterStore
import Foundation

/// One tenant's seed: the tenant and the ids other rows point at.
struct TenantSeed: Sendable {
  let tenant: TenantID
  let memberID = UUID()
  let jobID = UUID()
  let groupID = UUID()
  let meetingID = UUID()
  let motionID = UUID()
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
  // SQL/0006_governance.sql
  TenantFixture(
    table: "charter.decisions",
    sql: """
      insert into charter.decisions
          (tenant_id, subject, code, article, charter_version, decided_on, recorded_by, command)
      values ($1, 'member:' || $2::text, 'admitted', 'AII art. 11', 1, date '2026-01-05', 'test',
              'MEMBER DECIDE')
      """,
    parameters: { [$0.tenant, $0.memberID] }),
  TenantFixture(
    table: "charter.facts",
    sql: """
      insert into charter.facts (tenant_id, decision_id, kind, subject, day, article)
      values ($1, (select max(id) from charter.decisions where tenant_id = $1), 'memberAdmitted',
              'member:' || $2::text, date '2026-01-05', 'AII art. 11')
      """,
    parameters: { [$0.tenant, $0.memberID] }),
  TenantFixture(
    table: "charter.membership_applications",
    sql: """
      insert into charter.membership_applications (tenant_id, member_id, stage, received_on, state)
      values ($1, $2, 'admitted', date '2026-01-02', '{}')
      """,
    parameters: { [$0.tenant, $0.memberID] }),
  TenantFixture(
    table: "charter.body_seats",
    sql: """
      insert into charter.body_seats (tenant_id, body, member_id, granted_on)
      values ($1, 'council', $2, date '2026-01-05')
      """,
    parameters: { [$0.tenant, $0.memberID] }),
  TenantFixture(
    table: "charter.working_groups",
    sql: """
      insert into charter.working_groups (tenant_id, id, name, status, established_on, state)
      values ($1, $2, '大模型推进组 LLM group', 'active', date '2026-02-01', '{}')
      """,
    parameters: { [$0.tenant, $0.groupID] }),
  TenantFixture(
    table: "charter.working_group_members",
    sql: """
      insert into charter.working_group_members (tenant_id, group_id, member_id, role, joined_on)
      values ($1, $2, $3, 'leader', date '2026-02-01')
      """,
    parameters: { [$0.tenant, $0.groupID, $0.memberID] }),
  TenantFixture(
    table: "charter.group_applications",
    sql: """
      insert into charter.group_applications
          (tenant_id, proposed_name, lead_member_id, stage, received_on, group_id, state)
      values ($1, '大模型推进组', $2, 'approved', date '2026-01-10', $3, '{}')
      """,
    parameters: { [$0.tenant, $0.memberID, $0.groupID] }),
  TenantFixture(
    table: "charter.dissolution_cases",
    sql: """
      insert into charter.dissolution_cases (tenant_id, group_id, stage, state)
      values ($1, $2, 'moved', '{}')
      """,
    parameters: { [$0.tenant, $0.groupID] }),
  TenantFixture(
    table: "charter.meetings",
    sql: """
      insert into charter.meetings (tenant_id, id, body, title, mode, held_on, status, state)
      values ($1, $2, 'council', '理事会 Council', 'in_person', date '2026-03-01', 'held', '{}')
      """,
    parameters: { [$0.tenant, $0.meetingID] }),
  TenantFixture(
    table: "charter.meeting_attendance",
    sql: """
      insert into charter.meeting_attendance (tenant_id, meeting_id, member_id, status)
      values ($1, $2, $3, 'present')
      """,
    parameters: { [$0.tenant, $0.meetingID, $0.memberID] }),
  TenantFixture(
    table: "charter.motions",
    sql: """
      insert into charter.motions
          (tenant_id, id, meeting_id, title, matter, ballot, outcome, arithmetic)
      values ($1, $2, $3, '预算', 'budget', 'secret', 'passed', '{"members": 1}')
      """,
    parameters: { [$0.tenant, $0.motionID, $0.meetingID] }),
  TenantFixture(
    table: "charter.ballots",
    sql: """
      insert into charter.ballots (tenant_id, motion_id, member_id, ballot)
      values ($1, $2, $3, 'secret')
      """,
    parameters: { [$0.tenant, $0.motionID, $0.memberID] }),
  TenantFixture(
    table: "charter.office_terms",
    sql: """
      insert into charter.office_terms
          (tenant_id, post, member_id, person_name, starts_on, status, state)
      values ($1, 'secretary_general', $2, '张三', date '2026-01-05', 'serving', '{}')
      """,
    parameters: { [$0.tenant, $0.memberID] }),
  TenantFixture(
    table: "charter.evaluations",
    sql: """
      insert into charter.evaluations (tenant_id, group_id, year, stage, state)
      values ($1, $2, 2026, 'requested', '{}')
      """,
    parameters: { [$0.tenant, $0.groupID] }),
  TenantFixture(
    table: "charter.fee_schedule",
    sql:
      "insert into charter.fee_schedule (tenant_id, year, tier, amount) values ($1, 2026, 'member', 5000)",
    parameters: { [$0.tenant] }),
  TenantFixture(
    table: "charter.fee_payments",
    sql: """
      insert into charter.fee_payments (tenant_id, member_id, year, amount, paid_on, recorded_by)
      values ($1, $2, 2026, 5000, date '2026-03-01', 'test')
      """,
    parameters: { [$0.tenant, $0.memberID] }),
  TenantFixture(
    table: "charter.fund_use_publications",
    sql: """
      insert into charter.fund_use_publications (tenant_id, year, published_on, summary, recorded_by)
      values ($1, 2025, date '2026-01-31', '2025 年度资金使用情况', 'test')
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
