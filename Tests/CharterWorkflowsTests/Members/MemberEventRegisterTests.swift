import CharterGovernance
import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// `applyMemberEvent` is how every workflow changes a member: the attendance consequences the
/// meetings record reach the register too (AII art. 13: a director unit absent from 3
/// consecutive council meetings becomes an ordinary member, one tier down [interp]).
@Suite struct MemberEventRegisterTests {
  @Test func threeCouncilAbsencesDowngradeADirectorAndTheRegisterSaysSoAIIArt13() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      _ = try await harness.tenant("aii")
      let id = try await harness.seedMember(
        "aii", name: "北京示例理事单位", tier: "director", seats: ["council"])
      let tenant = try await harness.tenantID("aii")
      var events: [String?] = []
      for _ in 1...3 {
        let event = try await harness.database.withTenant(tenant) { connection in
          let scope = try await harness.workflows.scope(
            tenant: .init(id: tenant, slug: "aii"), connection: connection, actor: "test",
            command: "test")
          return try await WorkflowService.applyMemberEvent(
            .attendanceRecorded(body: "council", status: .absent), to: id, scope: scope
          ).registerEvent
        }
        events.append(event)
      }
      #expect(events == [nil, nil, "downgraded"])
      #expect(try await harness.member("aii", id)?.record?.tier == "ordinary")
      #expect(
        try await harness.text(
          "aii",
          "select event || ' ' || tier || ' ' || cause from charter.member_register where member_id = $1 order by id desc limit 1",
          [id]) == "downgraded ordinary downgraded (AII art. 13)")
    }
  }
}
