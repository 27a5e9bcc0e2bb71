import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// Issue 5: "100,000 members do not come back in one reply" and page fast at any depth. With
/// 100,000 members, every page of REGISTER LIST (each filter, deep in the register) is an
/// index range scan in (name, id) order: no sort of the register, whatever the page.
@Suite struct RegisterListingScaleTests {
  @Test func aDeepPageOf100000MembersIsAnIndexRangeScanForEveryFilter() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      try await harness.inTenant("dtpc-nmi") { connection in
        try await connection.query(
          """
          insert into charter.members (tenant_id, kind, name, status, tier, joined_on)
          select charter.current_tenant(), 'unit', '成员单位' || lpad(g::text, 6, '0'),
                 case when g % 10 = 0 then 'former' else 'member' end,
                 case when g % 100 = 0 then 'director' else 'member' end, '2020-01-01'
          from generate_series(1, 100000) g
          """, [])
      }
      try await harness.testDatabase.withConnection(as: .owner) { connection in
        try await connection.executeScript("analyze charter.members")
      }
      let deep = (
        name: "成员单位090000",
        id: try #require(UUID(uuidString: "00000000-0000-0000-0000-000000000000"))
      )
      for (status, tier) in [("member", nil), (nil, "director"), (nil, nil)] as [(String?, String?)]
      {
        let query = WorkflowService.registerListQuery(
          status: status, tier: tier, after: deep, limit: 100)
        let plan = try await harness.inTenant("dtpc-nmi") { connection in
          try await connection.query("explain " + query.sql, query.values).rows.map {
            try $0.decode(0, as: String.self)
          }.joined(separator: "\n")
        }
        #expect(plan.contains("Index"), "\(status ?? "-") \(tier ?? "-"):\n\(plan)")
        #expect(!plan.contains("Sort"), "\(status ?? "-") \(tier ?? "-"):\n\(plan)")
      }

      // Through the protocol: pages of 1,000 follow each other without a gap.
      let first = try MemberReplies.decoded(
        try await session.expectOK("REGISTER LIST status=member limit=1000"))
      #expect(first.rows.count == 1_000)
      guard case .ok(let status) = first.status, let range = status.range(of: "after=") else {
        Issue.record("no cursor: \(first.status)")
        return
      }
      let second = try MemberReplies.decoded(
        try await session.expectOK(
          "REGISTER LIST status=member limit=1000 after=\(status[range.upperBound...])"))
      #expect(second.rows.count == 1_000)
      #expect(first.rows.last?[1] == "成员单位001111")
      #expect(second.rows.first?[1] == "成员单位001112")
    }
  }
}
