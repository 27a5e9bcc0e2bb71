import CharterCalendar
import CharterGovernance
import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// aitisa, end to end through the admin protocol: a working group's all-member meetings
/// (AITISA art. 10) and the attendance rule of art. 7.6.
@Suite struct AITISAGroupMeetingTests {
  @Test(
    "AITISA art. 7.6: a member absent from 2 group meetings in a row is reminded, after the 3rd it has left the group (not the alliance) and every group member is told"
  )
  func absentMemberLeavesTheGroup() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("aitisa")
      var units: [UUID] = []
      for index in 1...6 {
        units.append(
          try await harness.seedMember(
            "aitisa", name: "推进组成员\(index)", tier: "member", email: "unit\(index)@example.com"))
      }
      let absentee = units[5]
      let group = UUID()
      let members = Dictionary(
        uniqueKeysWithValues: units.map {
          (
            MemberID($0.uuidString.lowercased()),
            WorkingGroup.Membership(joinedOn: CivilDate(year: 2026, month: 1, day: 5)!)
          )
        })
      let state = try EngineState.encode(
        WorkingGroup(
          id: WorkingGroupID(group.uuidString.lowercased()), name: "工业大模型推进组",
          leadUnit: MemberID(units[0].uuidString.lowercased()), members: members))
      let seeded = units
      try await harness.inTenant("aitisa") { connection in
        try await connection.query(
          """
          insert into charter.working_groups (tenant_id, id, name, status, established_on, state)
          values (charter.current_tenant(), $1, '工业大模型推进组', 'active', '2026-01-05', $2)
          """, [group, state])
        try await connection.query(
          """
          insert into charter.working_group_members (tenant_id, group_id, member_id, joined_on)
          select charter.current_tenant(), $1, m, '2026-01-05' from unnest($2::uuid[]) m
          """, [group, seeded])
      }
      // A group meeting names its group.
      try await session.expectError(
        "BAD_ARGUMENTS", "MEETING SCHEDULE working_group_meeting 2026-03-10 \"推进组工作会议\"")

      var replies: [String] = []
      for (index, day) in ["2026-03-10", "2026-06-10", "2026-09-10"].enumerated() {
        let meeting = try MeetingReplies.meetingID(
          try await session.expectOK(
            "MEETING SCHEDULE working_group_meeting \(day) \"推进组第\(index + 1)次工作会议\" group=\(group)"
          ))
        let noticed = try await session.expectOK("MEETING NOTICE \(meeting)")
        #expect(MeetingReplies.field("members noticed", in: noticed) == "6")
        harness.clock.set(day: day)
        for unit in units.prefix(5) {
          try await session.expectOK("MEETING ATTENDANCE \(meeting) \(unit) present")
        }
        replies.append(try await session.expectOK("MEETING HOLD \(meeting)"))
      }
      #expect(!replies[0].contains("推进组成员6"))
      #expect(replies[1].contains("reminder: 推进组成员6"))
      #expect(replies[2].contains("consequence: 推进组成员6: left the group (AITISA art. 7.6 [interp])"))

      let stored = try await harness.inTenant("aitisa") { connection in
        (
          try await connection.query(
            "select count(*)::int8 from charter.working_group_members where group_id = $1", [group]
          ).scalar(as: Int64.self),
          try await connection.query(
            "select status from charter.members where id = $1", [absentee]
          ).scalar(as: String.self),
          try await connection.query(
            """
            select string_agg(recipient, ',' order by recipient) from charter.notice_outbox
            where notice_kind = 'reminder'
            """, []
          ).scalar(as: String.self),
          try await connection.query(
            """
            select count(distinct recipient)::int8 from charter.notice_outbox
            where notice_kind = 'announcement' and body like '%推进组%'
            """, []
          ).scalar(as: Int64.self),
          try await connection.query(
            """
            select count(*)::int8 from charter.facts
            where kind = 'groupMemberLeft' and details->>'member' = $1
            """, [absentee.uuidString.lowercased()]
          ).scalar(as: Int64.self)
        )
      }
      #expect(stored.0 == 5)
      // It left the group, not the alliance.
      #expect(stored.1 == "member")
      #expect(stored.2 == "unit6@example.com")
      #expect(stored.3 >= 5)
      #expect(stored.4 == 1)
    }
  }
}
