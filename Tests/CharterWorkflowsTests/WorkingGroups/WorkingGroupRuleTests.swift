import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// The other paths of AITISA's working-group rules through the admin protocol: rejection,
/// the members' dissolution request, posts, renaming, budgets, joining and listings.
@Suite struct WorkingGroupRuleTests {
  static let slug = "aitisa"

  /// An AITISA tenant with role mailboxes and `count` member units (unit0@… to unitN@…).
  static func setUp(_ harness: Harness, members count: Int) async throws -> (
    ScenarioSession, [UUID]
  ) {
    let session = try await harness.tenant(slug)
    _ = try await harness.inTenant(slug) { connection in
      try await connection.query(
        """
        insert into charter.delivery_settings (tenant_id, secretariat_email, chairs_office_email)
        values (charter.current_tenant(), 'secretariat@aitisa.example', 'chair@aitisa.example')
        """, [])
    }
    var members: [UUID] = []
    for index in 0..<count {
      members.append(
        try await harness.seedMember(
          slug, name: "成员单位\(index)", tier: "member", email: "unit\(index)@members.example"))
    }
    return (session, members)
  }

  static func text(_ ids: [UUID]) -> String {
    ids.map { $0.uuidString.lowercased() }.joined(separator: ",")
  }

  /// Applies, forwards and approves a group of `members` (the first leads); returns its id.
  static func establish(_ name: String, _ members: [UUID], session: ScenarioSession) async throws
    -> String
  {
    let applied = try await session.expectOK(
      "GROUP APPLY \(name) lead=\(members[0].uuidString.lowercased()) sponsors=\(text(members))")
    let application = try #require(
      AITISAWorkingGroupScenarioTests.id(after: "application ", in: applied))
    try await session.expectOK("GROUP REVIEW-NOTICE \(application) forwarded")
    let approved = try await session.expectOK("GROUP DECIDE \(application) approve")
    return try #require(AITISAWorkingGroupScenarioTests.id(after: "working group ", in: approved))
  }

  /// AITISA art. 4.3: a rejection needs reasons; the rejection notice is due 10 days after
  /// the decision (2024-10-08 + 10 = Friday 2024-10-18); once sent, nothing fires.
  @Test func aRejectionNeedsReasonsAndItsNoticeIsDueTenDaysLater() async throws {
    try await Harness.with(start: "2024-10-08") { harness in
      let (session, members) = try await Self.setUp(harness, members: 5)
      let applied = try await session.expectOK(
        "GROUP APPLY 区块链推进组 lead=\(members[0].uuidString.lowercased()) sponsors=\(Self.text(members))"
      )
      let application = try #require(
        AITISAWorkingGroupScenarioTests.id(after: "application ", in: applied))
      try await session.expectOK("GROUP REVIEW-NOTICE \(application) forwarded")
      let bare = try await session.expectError("REFUSED", "GROUP DECIDE \(application) reject")
      #expect(bare.contains("AITISA art. 4.3"))
      let rejected = try await session.expectOK(
        "GROUP DECIDE \(application) reject reasons=与现有推进组重叠")
      #expect(ScenarioSession.status(of: rejected).hasSuffix("rejection notice due 2024-10-18"))
      let job = try await harness.groupScenarioJobs(Self.slug).filter {
        $0.kind == "governance.rejectionNotice"
      }
      #expect(
        job == [
          GroupScenarioJob(
            kind: "governance.rejectionNotice", dueDay: "2024-10-18", state: "pending")
        ])
      #expect(try await harness.groupScenarioCounts(Self.slug).applications == 1)
      let listed = try await session.expectOK("GROUP APPLICATIONS stage=rejected")
      #expect(listed.contains("\trejected\t2024-10-08\t2024-10-18\t"))

      harness.clock.set(day: "2024-10-10")
      try await session.expectOK("GROUP REJECTION-NOTICE \(application)")
      let told = try await harness.groupScenarioOutbox(Self.slug, kind: "decision").filter {
        $0.body.hasPrefix("推进组申请“区块链推进组”未获批准：与现有推进组重叠")
      }
      #expect(told.map(\.recipient).sorted() == (0..<5).map { "unit\($0)@members.example" })
      harness.clock.set(day: "2024-10-25")
      #expect(try await harness.fireDueJobs(Self.slug) == [])
      let groups = try await harness.inTenant(Self.slug) { connection in
        try await connection.query("select count(*)::int8 from charter.working_groups", [])
          .scalar(as: Int64.self)
      }
      #expect(groups == 0)
    }
  }

  /// AITISA art. 4.3 and 6(b): a rejection notice or a motion's written notice not sent by its
  /// day is escalated to the secretariat and the chair's office by its job.
  @Test func overdueNoticesAreEscalated() async throws {
    try await Harness.with(start: "2024-10-08") { harness in
      let (session, members) = try await Self.setUp(harness, members: 5)
      let group = try await Self.establish("智能机器人推进组", members, session: session)
      let applied = try await session.expectOK(
        "GROUP APPLY 元宇宙推进组 lead=\(members[0].uuidString.lowercased()) sponsors=\(Self.text(members))"
      )
      let application = try #require(
        AITISAWorkingGroupScenarioTests.id(after: "application ", in: applied))
      try await session.expectOK("GROUP REVIEW-NOTICE \(application) forwarded")
      try await session.expectOK("GROUP DECIDE \(application) reject reasons=条件不成熟")
      let moved = try await session.expectOK("GROUP DISSOLVE \(group) grounds=seriousBreach")
      #expect(ScenarioSession.status(of: moved).hasSuffix("written notice due 2024-10-18"))

      harness.clock.set(day: "2024-10-18")
      #expect(try await harness.fireDueJobs(Self.slug) == [])
      harness.clock.set(day: "2024-10-19")
      #expect(
        try await harness.fireDueJobs(Self.slug).sorted() == [
          "governance.dissolutionNotice", "governance.rejectionNotice",
        ])
      let escalations = try await harness.groupScenarioOutbox(Self.slug, kind: "escalation")
      let rejection = escalations.filter {
        $0.body.hasPrefix("推进组申请“元宇宙推进组”的不予批准通知已逾期（期限 2024-10-18）")
      }
      #expect(
        rejection.map(\.recipient).sorted() == [
          "chair@aitisa.example", "secretariat@aitisa.example",
        ])
      let motion = escalations.filter { $0.body.hasPrefix("撤销动议的书面通知已逾期（期限 2024-10-18）") }
      #expect(
        motion.map(\.recipient).sorted() == ["chair@aitisa.example", "secretariat@aitisa.example"])

      // The late notice is still recorded; the window runs from the day it was sent.
      let late = try await session.expectOK("GROUP DISSOLVE-NOTICE \(group)")
      #expect(ScenarioSession.status(of: late).hasSuffix("objections until 2024-10-29"))
    }
  }

  /// AITISA art. 6(a): at least half of the members must ask; then the chair's office decides.
  @Test func membersAskingToDissolveMustBeAtLeastHalf() async throws {
    try await Harness.with(start: "2025-03-03") { harness in
      let (session, members) = try await Self.setUp(harness, members: 5)
      let group = try await Self.establish("边缘计算推进组", members, session: session)
      let two = try await session.expectError(
        "REFUSED", "GROUP DISSOLVE \(group) requesters=\(Self.text(Array(members.prefix(2))))")
      #expect(two.contains("AITISA art. 6"))
      #expect(two.contains("2/5"))
      let three = try await session.expectOK(
        "GROUP DISSOLVE \(group) requesters=\(Self.text(Array(members.prefix(3))))")
      #expect(three.contains("decision: dissolutionRequested (AITISA art. 6"))
      try await session.expectError(
        "CONFLICT", "GROUP DISSOLVE \(group) grounds=seriousBreach")
      let shown = try await session.expectOK("GROUP SHOW \(group)")
      #expect(ScenarioSession.status(of: shown).contains("requestedByMembers"))
      let kept = try await session.expectOK("GROUP DISSOLVE-DECIDE \(group) keep")
      #expect(kept.contains("decision: dissolutionRejected"))
      #expect(try await harness.groupScenarioStatus(Self.slug, group) == "active")
      // The case is closed: a new one may be opened, and the below-minimum ground is checked.
      let notBelow = try await session.expectError(
        "REFUSED", "GROUP DISSOLVE \(group) grounds=belowMinimumMembers")
      #expect(notBelow.contains("AITISA art. 7.2"))
    }
  }

  /// AITISA art. 7.3–7.5: one group per leader, one post per unit in a group.
  @Test func leaderPostsFollowTheOneGroupAndOnePostRules() async throws {
    try await Harness.with(start: "2025-03-03") { harness in
      let (session, members) = try await Self.setUp(harness, members: 6)
      let first = try await Self.establish("智能制造推进组", Array(members.prefix(5)), session: session)
      let second = try await Self.establish("智慧医疗推进组", Array(members.suffix(5)), session: session)
      let m1 = members[1].uuidString.lowercased()
      let m2 = members[2].uuidString.lowercased()
      try await session.expectOK("GROUP LEADER \(first) \(m1) 张三")
      let twice = try await session.expectError("REFUSED", "GROUP LEADER \(second) \(m2) 张三")
      #expect(twice.contains("AITISA art. 7.4"))
      let sameUnit = try await session.expectError("REFUSED", "GROUP CO-LEADER \(first) \(m1) 李四")
      #expect(sameUnit.contains("AITISA art. 7.5"))
      try await session.expectOK("GROUP CO-LEADER \(first) \(m2) 李四")
      let outsider = members[5].uuidString.lowercased()
      let notInGroup = try await session.expectError(
        "REFUSED", "GROUP CO-LEADER \(first) \(outsider) 王五")
      #expect(notInGroup.contains("AITISA art. 7.5"))
      let roles = try await harness.inTenant(Self.slug) { connection in
        try await connection.query(
          """
          select member_id, role from charter.working_group_members
          where group_id = $1 and role <> 'member'
          """, [try #require(UUID(uuidString: first))]
        ).rows.reduce(into: [UUID: String]()) {
          $0[try $1.decode(0, as: UUID.self)] = try $1.decode(1, as: String.self)
        }
      }
      #expect(roles == [members[1]: "leader", members[2]: "co_leader"])
      let shown = try await session.expectOK("GROUP SHOW \(first)")
      #expect(shown.contains("\tleader\t张三\t"))
      #expect(shown.contains("\tco_leader\t李四\t"))
    }
  }

  /// AITISA art. 5: the chair's office decides a rename the group asked for.
  @Test func aRenameNeedsTheGroupsRequestAndTheChairsOffice() async throws {
    try await Harness.with(start: "2025-03-03") { harness in
      let (session, members) = try await Self.setUp(harness, members: 5)
      let group = try await Self.establish("智能语音推进组", members, session: session)
      let unasked = try await session.expectError("REFUSED", "GROUP RENAME-DECIDE \(group) approve")
      #expect(unasked.contains("AITISA art. 5"))
      try await session.expectOK("GROUP RENAME \(group) 智能语音与语言推进组")
      let shown = try await session.expectOK("GROUP SHOW \(group)")
      #expect(ScenarioSession.status(of: shown).contains("rename to 智能语音与语言推进组 pending"))
      try await session.expectOK("GROUP RENAME-DECIDE \(group) approve")
      let name = try await harness.inTenant(Self.slug) { connection in
        try await connection.query(
          "select name from charter.working_groups where id = $1",
          [try #require(UUID(uuidString: group))]
        ).scalar(as: String.self)
      }
      #expect(name == "智能语音与语言推进组")
      let told = try await harness.groupScenarioOutbox(Self.slug, kind: "decision").filter {
        $0.body.hasPrefix("推进组“智能语音推进组”更名为“智能语音与语言推进组”")
      }
      #expect(told.count == 5)
    }
  }

  /// AITISA art. 12: a budget is submitted, reviewed by the secretariat, then approved.
  @Test func aBudgetNeedsTheSecretariatsReviewBeforeApproval() async throws {
    try await Harness.with(start: "2025-03-03") { harness in
      let (session, members) = try await Self.setUp(harness, members: 5)
      let group = try await Self.establish("工业互联网推进组", members, session: session)
      try await session.expectOK("GROUP LEADER \(group) \(members[0].uuidString.lowercased()) 张三")
      try await session.expectError("NOT_FOUND", "GROUP BUDGET-DECIDE \(group) 年度研讨会 approve")
      try await session.expectOK("GROUP BUDGET \(group) 年度研讨会 \"50000 CNY\"")
      try await session.expectError("CONFLICT", "GROUP BUDGET \(group) 年度研讨会 \"60000 CNY\"")
      let unreviewed = try await session.expectError(
        "REFUSED", "GROUP BUDGET-DECIDE \(group) 年度研讨会 approve")
      #expect(unreviewed.contains("AITISA art. 12"))
      try await session.expectOK("GROUP BUDGET-REVIEW \(group) 年度研讨会")
      let approved = try await session.expectOK("GROUP BUDGET-DECIDE \(group) 年度研讨会 approve")
      #expect(approved.contains("decision: budgetApproved (AITISA art. 12"))
      let toLeader = try await harness.groupScenarioOutbox(Self.slug, kind: "decision").filter {
        $0.body.hasPrefix("活动“年度研讨会”预算已获批准")
      }
      #expect(toLeader.map(\.recipient) == ["unit0@members.example"])
      try await session.expectError("NOT_FOUND", "GROUP BUDGET-DECIDE \(group) 年度研讨会 approve")
    }
  }

  /// AITISA art. 7.1: only alliance members join; leaving below 5 warns the secretariat.
  @Test func onlyMembersJoinAndLeavingBelowFiveWarnsTheSecretariat() async throws {
    try await Harness.with(start: "2025-03-03") { harness in
      let (session, members) = try await Self.setUp(harness, members: 5)
      let group = try await Self.establish("数据要素推进组", members, session: session)
      let stranger = UUID().uuidString.lowercased()
      let refused = try await session.expectError(
        "REFUSED", "GROUP JOIN \(group) \(stranger) leader_approval=yes")
      #expect(refused.contains("AITISA art. 7.1"))
      let left = try await session.expectOK(
        "GROUP LEAVE \(group) \(members[4].uuidString.lowercased())")
      #expect(ScenarioSession.status(of: left).hasSuffix("(4 members)"))
      let warning = try await harness.groupScenarioOutbox(Self.slug, kind: "warning")
      #expect(warning.map(\.recipient) == ["secretariat@aitisa.example"])
      #expect(
        try await harness.groupScenarioMembers(Self.slug, group) == Set(members.prefix(4)))
    }
  }

  /// The chair's office decides; the secretariat's work (receiving an application) is not its.
  @Test func theChairsOfficeDecidesButDoesNotReceiveApplications() async throws {
    try await Harness.with(start: "2025-03-03") { harness in
      let (session, members) = try await Self.setUp(harness, members: 5)
      let created = try await session.expectOK("ADMIN CREATE chair chairs_office")
      let row = try #require(created.split(separator: "\n").first { $0.hasPrefix("* chair\t") })
      let password = try #require(row.split(separator: "\t").last)
      let chair = ScenarioSession(harness: harness)
      try await chair.expectOK("LOGIN chair@\(Self.slug) \(password)")
      try await chair.expectOK("ADMIN PASSWD chair \"a long new passphrase\"")
      let apply =
        "GROUP APPLY 智能芯片推进组 lead=\(members[0].uuidString.lowercased()) sponsors=\(Self.text(members))"
      try await chair.expectError("FORBIDDEN", apply)
      #expect(try await harness.groupScenarioCounts(Self.slug).applications == 0)
      let applied = try await session.expectOK(apply)
      let application = try #require(
        AITISAWorkingGroupScenarioTests.id(after: "application ", in: applied))
      try await chair.expectError("FORBIDDEN", "GROUP REVIEW-NOTICE \(application) forwarded")
      try await session.expectOK("GROUP REVIEW-NOTICE \(application) forwarded")
      try await chair.expectOK("GROUP DECIDE \(application) approve")
      let listed = try await chair.expectOK("GROUP LIST")
      #expect(listed.contains("\t智能芯片推进组\tactive\t5\t"))
    }
  }

  /// A charter without working-group rules (DTPC names a managing body only): GROUP changes
  /// are a conflict naming what is missing, and nothing is recorded.
  @Test func aCharterWithoutWorkingGroupRulesRefusesGroupCommands() async throws {
    try await Harness.with(start: "2025-03-03") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      var members: [UUID] = []
      for index in 0..<5 {
        members.append(
          try await harness.seedMember("dtpc-nmi", name: "单位\(index)", tier: "member"))
      }
      let status = try await session.expectError(
        "CONFLICT",
        "GROUP APPLY 数字化推进组 lead=\(members[0].uuidString.lowercased()) sponsors=\(Self.text(members))"
      )
      #expect(status.contains("has no working-group rules"))
      #expect(
        try await harness.groupScenarioCounts("dtpc-nmi")
          == GroupScenarioCounts(applications: 0, jobs: 0, outbox: 0, decisions: 0))
      try await session.expectOK("GROUP LIST")
    }
  }

  /// AITISA art. 7.1: a unit that leaves the alliance leaves its groups, in the transaction of
  /// the membership workflow that ends its membership; the group is told.
  @Test func aUnitThatLeavesTheAllianceLeavesItsGroups() async throws {
    try await Harness.with(start: "2025-03-03") { harness in
      let (session, members) = try await Self.setUp(harness, members: 6)
      let group = try await Self.establish("智能网联汽车推进组", members, session: session)
      let tenant = try await harness.tenantID(Self.slug)
      let leaving = members[5]
      let recorded = try await harness.database.withTenant(tenant) { connection in
        let scope = try await harness.workflows.scope(
          tenant: .init(id: tenant, slug: Self.slug), connection: connection, actor: "system",
          command: "job governance.exitEffective")
        return try await scope.removeFromWorkingGroups(member: leaving)
      }
      #expect(recorded.map(\.decision.code) == ["left"])
      #expect(
        try await harness.groupScenarioMembers(Self.slug, group) == Set(members.prefix(5)))
      let told = try await harness.groupScenarioOutbox(Self.slug, kind: "announcement")
      #expect(told.count == 6)
      #expect(told.allSatisfy { $0.body.hasPrefix("成员单位5 退出推进组“智能网联汽车推进组”") })

      // A meeting of the group recorded by another workflow counts towards art. 7.6.
      let groupID = try #require(UUID(uuidString: group))
      for meeting in ["第一次工作会议", "第二次工作会议"] {
        try await harness.database.withTenant(tenant) { connection in
          let scope = try await harness.workflows.scope(
            tenant: .init(id: tenant, slug: Self.slug), connection: connection, actor: "test",
            command: "MEETING ATTENDANCE")
          try await scope.recordWorkingGroupAttendance(
            groupID, activity: meeting, marks: [members[3]: .absent, members[0]: .present])
        }
      }
      let reminders = try await harness.groupScenarioOutbox(Self.slug, kind: "reminder")
      #expect(reminders.map(\.recipient) == ["unit3@members.example"])
    }
  }

  /// Listings page with a cursor.
  @Test func applicationsListPageByPage() async throws {
    try await Harness.with(start: "2025-03-03") { harness in
      let (session, members) = try await Self.setUp(harness, members: 5)
      for name in ["甲推进组", "乙推进组", "丙推进组"] {
        try await session.expectOK(
          "GROUP APPLY \(name) lead=\(members[0].uuidString.lowercased()) sponsors=\(Self.text(members))"
        )
      }
      let first = try await session.expectOK("GROUP APPLICATIONS limit=2")
      let status = ScenarioSession.status(of: first)
      #expect(status.hasPrefix("OK 2 applications; more: after="))
      let cursor = try #require(status.components(separatedBy: "after=").last)
      let second = try await session.expectOK("GROUP APPLICATIONS limit=2 after=\(cursor)")
      #expect(ScenarioSession.status(of: second) == "OK 1 application")
      let names = (first + second).split(separator: "\n").filter { $0.hasPrefix("* ") }
        .map { $0.split(separator: "\t")[1] }
      #expect(Set(names) == ["甲推进组", "乙推进组", "丙推进组"])
    }
  }
}
