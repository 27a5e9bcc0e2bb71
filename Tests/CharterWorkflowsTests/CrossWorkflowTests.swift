import CharterCalendar
import CharterGovernance
import CharterTestSupport
import Foundation
import Testing

/// What one part of the charters sets off in another, in the same transaction: a unit that
/// leaves the alliance leaves its working groups (AITISA art. 7.1); a new working group gets
/// its first minimum-meetings check (AITISA art. 10.1); a member moved to a tier that pays a
/// fee gets that year's fee reminder (zgc-ai fee rules).
@Suite struct CrossWorkflowTests {
  static func ids(_ ids: [UUID]) -> String {
    ids.map { $0.uuidString.lowercased() }.joined(separator: ",")
  }

  @Test func aGroupIsCheckedForMeetingsAndAUnitThatLeavesTheAllianceLeavesIt() async throws {
    try await Harness.with(start: "2025-03-03") { harness in
      let session = try await harness.tenant("aitisa")
      var members: [UUID] = []
      for index in 0..<6 {
        members.append(
          try await harness.seedMember("aitisa", name: "推进单位\(index)", tier: "member"))
      }
      let applied = try await session.expectOK(
        "GROUP APPLY 智能体推进组 lead=\(Self.ids([members[0]])) sponsors=\(Self.ids(members))")
      let application = try #require(
        applied.split(separator: " ").map(String.init).first { UUID(uuidString: $0) != nil })
      try await session.expectOK("GROUP REVIEW-NOTICE \(application) forwarded")
      let decided = try await session.expectOK("GROUP DECIDE \(application) approve")
      #expect(decided.contains("established with 6 members"))
      let checks = try await harness.inTenant("aitisa") { connection in
        try await connection.query(
          """
          select count(*)::int8 from charter.deadline_jobs
          where kind = 'governance.minimumMeetings' and subject like 'working-group:%'
          """, []
        ).scalar(as: Int64.self)
      }
      #expect(checks == 1, "AITISA art. 10.1: the new group's first minimum-meetings check")

      let leaver = members[5]
      // No notice period in AITISA: the exit takes effect at once.
      try await session.expectOK("MEMBER EXIT \(leaver.uuidString.lowercased())")
      let rows = try await harness.inTenant("aitisa") { connection in
        try await connection.query(
          "select count(*)::int8 from charter.working_group_members where member_id = $1",
          [leaver]
        ).scalar(as: Int64.self)
      }
      #expect(rows == 0, "AITISA art. 7.1: only alliance members are group members")
    }
  }

  @Test func aMemberMovedToATierThatPaysGetsItsFeeReminder() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("zgc-ai")
      try await session.expectOK("FEE SET 2026 director 20000")
      let member = try await harness.seedMember("zgc-ai", name: "海淀示例智能", tier: "member")
      let before = try await reminders(harness, member)
      try await session.expectOK("MEMBER TIER \(member.uuidString.lowercased()) director")
      #expect(try await reminders(harness, member) == before + 1)
    }
  }

  private func reminders(_ harness: Harness, _ member: UUID) async throws -> Int64 {
    try await harness.inTenant("zgc-ai") { connection in
      try await connection.query(
        """
        select count(*)::int8 from charter.deadline_jobs
        where kind = 'governance.feeReminder' and unique_key like '%' || $1 || '%'
        """, [member.uuidString.lowercased()]
      ).scalar(as: Int64.self)
    }
  }
}

/// Issue 6 §2: every deadline of RULES.md §8 has its handler in the daemon's registry.
@Suite struct DeadlineCoverageTests {
  @Test func everyDeadlineKindOfTheEngineHasAHandler() async throws {
    try await Harness.with { harness in
      let registered = Set(harness.jobs.kinds)
      for kind in DeadlineKind.allCases {
        #expect(registered.contains("governance.\(kind.rawValue)"), "no handler for \(kind)")
      }
    }
  }
}

/// RULES.md §0: a deadline in a year the calendar has no data for is refused, unless the
/// installation allows the Monday–Friday fallback (`calendar.fallback`), which a reload applies
/// to the transactions after it.
@Suite struct CalendarFallbackTests {
  @Test func aDeadlinePastTheCalendarIsRefusedUntilTheFallbackIsAllowed() async throws {
    try await Harness.with(start: "2026-12-24") { harness in
      let session = try await harness.tenant("aitisa")
      var members: [UUID] = []
      for index in 0..<5 {
        members.append(
          try await harness.seedMember("aitisa", name: "年末单位\(index)", tier: "member"))
      }
      let apply =
        "GROUP APPLY 年末推进组 lead=\(CrossWorkflowTests.ids([members[0]])) sponsors=\(CrossWorkflowTests.ids(members))"
      // The 10th working day after 2026-12-24 falls in 2027, which has no data yet.
      let refused = try await session.expectError("REFUSED", apply)
      #expect(refused.contains("AITISA art. 4.2"))

      let file = TestDatabase.repositoryRoot.appendingPathComponent(
        "Config/calendar/cn-statutory.toml")
      harness.workflows.useRules(
        calendar: try WorkingCalendar.loadStatutory(from: file, fallback: .mondayToFriday),
        chartersDirectory: TestDatabase.repositoryRoot.appendingPathComponent("Config/charters"))
      let accepted = try await session.expectOK(apply)
      #expect(accepted.contains("warning: calendarFallback"))
      // Monday to Friday from 2026-12-25, with 2027-01-01 counted as a working day.
      #expect(ScenarioSession.status(of: accepted).hasSuffix("review notice due 2027-01-07"))
    }
  }
}
