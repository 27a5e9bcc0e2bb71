import CharterCalendar
import CharterGovernance
import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// `scope.record` writes a transition's decision, facts, notices and jobs in the command's
/// transaction, and nothing when it rolls back.
@Suite struct RecordingTests {
  @Test func anExitNoticeRecordsItsDecisionFactNoticesAndJob() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      _ = try await harness.tenant("dtpc-nmi")
      let member = UUID()
      try await harness.inTenant("dtpc-nmi") { connection in
        try await connection.query(
          """
          insert into charter.members (tenant_id, id, kind, name, contact_email, status, tier)
          values (charter.current_tenant(), $1, 'unit', '示例科技有限公司', 'contact@example.com',
                  'member', 'member')
          """, [member])
        try await connection.query(
          "insert into charter.delivery_settings (tenant_id, secretariat_email) values (charter.current_tenant(), 'office@example.org')",
          [])
      }
      let tenant = try await harness.tenantID("dtpc-nmi")
      let decision = try await harness.database.withTenant(tenant) { connection in
        let scope = try await harness.workflows.scope(
          tenant: .init(id: tenant, slug: "dtpc-nmi"), connection: connection, actor: "test",
          command: "test")
        let record = MemberRecord(
          id: MemberID(member.uuidString.lowercased()), kind: .unit, tier: "member",
          status: .active, since: CivilDate(year: 2024, month: 1, day: 1)!,
          lastActivity: CivilDate(year: 2026, month: 1, day: 1)!)
        let transition = try record.apply(
          .exitNoticeReceived, profile: try scope.profile(), context: scope.engine)
        return try await scope.record(transition, subject: .member(record.id))
      }
      #expect(decision.decision.article.citation.contains("16"))
      let rows = try await harness.inTenant("dtpc-nmi") { connection in
        (
          try await connection.query("select count(*)::int8 from charter.facts", []).scalar(
            as: Int64.self),
          try await connection.query(
            "select due_at::date::text from charter.deadline_jobs where kind = 'governance.exitEffective'",
            []
          ).scalar(as: String.self),
          try await connection.query(
            "select string_agg(recipient, ',' order by recipient) from charter.notice_outbox", []
          ).scalar(as: String.self),
          try await connection.query(
            "select charter_version from charter.decisions", []
          ).scalar(as: Int.self)
        )
      }
      #expect(rows.0 >= 1)
      // DTPC art. 16(1): 30 days after the notice of 2026-03-02 is 2026-04-01 (a Wednesday).
      #expect(rows.1 == "2026-04-01")
      #expect(rows.2.contains("contact@example.com"))
      #expect(rows.2.contains("office@example.org"))
      #expect(rows.3 == 1)
      // The notice names the member, not its id.
      let subjects = try await harness.inTenant("dtpc-nmi") { connection in
        try await connection.query(
          "select string_agg(subject || body, ' ') from charter.notice_outbox", []
        ).scalar(as: String.self)
      }
      #expect(subjects.contains("示例科技有限公司"))
      #expect(!subjects.contains(member.uuidString.lowercased()))
    }
  }
}

@Suite struct MemberStoreTests {
  @Test func aSeededMemberLoadsAndSavesWithItsProjections() async throws {
    try await Harness.with { harness in
      _ = try await harness.tenant("aii")
      let id = try await harness.seedMember("aii", name: "北京示例科技", tier: "director")
      var member = try #require(try await harness.member("aii", id))
      #expect(member.record?.tier == "director")
      #expect(member.status == "member")
      member.record?.tier = "member"
      let changed = member
      try await harness.inTenant("aii") { connection in
        try await MemberStore.save(changed, on: connection)
      }
      let again = try #require(try await harness.member("aii", id))
      #expect(again.record?.tier == "member")
      #expect(again.revision == member.revision + 1)
    }
  }
}
