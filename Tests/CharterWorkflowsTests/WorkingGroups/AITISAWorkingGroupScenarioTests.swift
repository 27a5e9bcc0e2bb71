import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// AITISA end to end through the admin protocol (issue 5, Tests): a working group's life from
/// the joint application to its dissolution by the secretary-general, each step checked
/// against RULES.md §4 and §8 as the secretariat would check it.
@Suite struct AITISAWorkingGroupScenarioTests {
  static let slug = "aitisa"

  @Test func aWorkingGroupFromApplicationToDissolution() async throws {
    try await Harness.with(start: "2024-09-27") { harness in
      let session = try await harness.tenant(Self.slug)
      _ = try await harness.inTenant(Self.slug) { connection in
        try await connection.query(
          """
          insert into charter.delivery_settings (tenant_id, secretariat_email, chairs_office_email)
          values (charter.current_tenant(), 'secretariat@aitisa.example', 'chair@aitisa.example')
          """, [])
      }
      let units = ["甲", "乙", "丙", "丁", "戊", "己", "庚"]
      var members: [UUID] = []
      for (index, unit) in units.enumerated() {
        members.append(
          try await harness.seedMember(
            Self.slug, name: "\(unit)智能科技有限公司", tier: "member",
            email: "unit\(index)@members.example"))
      }
      let (a, b, c, d, e, f, g) = (
        members[0], members[1], members[2], members[3], members[4], members[5], members[6]
      )
      func ids(_ list: UUID...) -> String {
        list.map { $0.uuidString.lowercased() }.joined(separator: ",")
      }

      // AITISA art. 4.1: four sponsors (the lead among them) are too few; nothing is recorded.
      let tooFew = try await session.expectError(
        "REFUSED", "GROUP APPLY 智能语音推进组 lead=\(a.uuidString.lowercased()) sponsors=\(ids(b, c, d))")
      #expect(tooFew.contains("AITISA art. 4.1"))
      #expect(tooFew.contains("发起单位不足 5 家"))
      let afterRefusal = try await harness.groupScenarioCounts(Self.slug)
      #expect(
        afterRefusal == GroupScenarioCounts(applications: 0, jobs: 0, outbox: 0, decisions: 0))
      let refusedAudit = try await harness.inTenant(Self.slug) { connection in
        try await connection.query(
          "select outcome from charter.audit_log where command like 'GROUP APPLY%' order by id",
          []
        ).rows.map { try $0.decode(0, as: String.self) }
      }
      #expect(refusedAudit == ["refused"])

      // AITISA art. 4.1–4.2: five sponsors are accepted; the review notice is due on the 10th
      // working day after 2024-09-27 (29 Sep and 12 Oct are worked, 1–7 Oct are the National
      // Day holidays): 2024-10-16, with the reminder 2 working days before, on 2024-10-14.
      let applied = try await session.expectOK(
        "GROUP APPLY 智能语音推进组 lead=\(a.uuidString.lowercased()) sponsors=\(ids(b, c, d, e))")
      #expect(applied.contains("decision: applicationReceived (AITISA art. 4.2"))
      let application = try #require(Self.id(after: "application ", in: applied))
      #expect(ScenarioSession.status(of: applied).hasSuffix("review notice due 2024-10-16"))
      let jobs = try await harness.groupScenarioJobs(Self.slug)
      #expect(
        jobs == [
          GroupScenarioJob(
            kind: "governance.reviewNoticeReminder", dueDay: "2024-10-14", state: "pending"),
          GroupScenarioJob(
            kind: "governance.reviewNoticeEscalation", dueDay: "2024-10-16", state: "pending"),
        ])
      #expect(
        try await harness.groupScenarioOutbox(Self.slug, kind: "information")
          .map(\.recipient) == ["secretariat@aitisa.example"])

      // AITISA art. 4.2: the reminder fires on its day, the escalation once the deadline has
      // passed; both go out because no notice was sent.
      harness.clock.set(day: "2024-10-13")
      #expect(try await harness.fireDueJobs(Self.slug) == [])
      harness.clock.set(day: "2024-10-15")
      #expect(try await harness.fireDueJobs(Self.slug) == ["governance.reviewNoticeReminder"])
      #expect(
        try await harness.groupScenarioOutbox(Self.slug, kind: "reminder").map(\.recipient) == [
          "secretariat@aitisa.example"
        ])
      harness.clock.set(day: "2024-10-16")
      #expect(try await harness.fireDueJobs(Self.slug) == [])
      harness.clock.set(day: "2024-10-17")
      #expect(try await harness.fireDueJobs(Self.slug) == ["governance.reviewNoticeEscalation"])
      let escalation = try await harness.groupScenarioOutbox(Self.slug, kind: "escalation")
      #expect(
        escalation.map(\.recipient).sorted() == [
          "chair@aitisa.example", "secretariat@aitisa.example",
        ])
      #expect(escalation.allSatisfy { $0.body.hasPrefix("推进组申请“智能语音推进组”的审查答复已逾期") })

      // The notice sent late is recorded, with a warning.
      let forwarded = try await session.expectOK(
        "GROUP REVIEW-NOTICE \(application) forwarded")
      #expect(forwarded.contains("decision: forwarded (AITISA art. 4.2"))
      #expect(forwarded.contains("warning: reviewNoticeLate"))

      // A second application whose notice is sent in time: nothing fires after it.
      let second = try await session.expectOK(
        "GROUP APPLY 工业视觉推进组 lead=\(b.uuidString.lowercased()) sponsors=\(ids(c, d, e, f))")
      let secondID = try #require(Self.id(after: "application ", in: second))
      let noReasons = try await session.expectError(
        "REFUSED", "GROUP REVIEW-NOTICE \(secondID) not-forwarded")
      #expect(noReasons.contains("AITISA art. 4.2"))
      try await session.expectOK(
        "GROUP REVIEW-NOTICE \(secondID) not-forwarded reasons=与现有推进组工作范围重叠")
      harness.clock.set(day: "2024-11-15")
      #expect(try await harness.fireDueJobs(Self.slug) == [])
      #expect(
        try await harness.groupScenarioJobs(Self.slug).filter { $0.state == "cancelled" }.map(
          \.kind
        ).sorted()
          == ["governance.reviewNoticeEscalation", "governance.reviewNoticeReminder"])
      // AITISA art. 4.3: the chair's office decides only what the secretariat forwarded.
      let notForwarded = try await session.expectError(
        "REFUSED", "GROUP DECIDE \(secondID) approve")
      #expect(notForwarded.contains("AITISA art. 4.2"))

      // AITISA art. 4.3: approval establishes the group; its members are the sponsors.
      let approved = try await session.expectOK("GROUP DECIDE \(application) approve")
      #expect(approved.contains("decision: groupApproved (AITISA art. 4.3"))
      let group = try #require(Self.id(after: "working group ", in: approved))
      #expect(try await harness.groupScenarioMembers(Self.slug, group) == Set([a, b, c, d, e]))
      let groupUUID = try #require(UUID(uuidString: group))
      let loaded = try await harness.inTenant(Self.slug) { connection in
        try await WorkingGroupStore.loadGroup(groupUUID, on: connection)
      }
      let stored = try #require(loaded)
      #expect(stored.group.name == "智能语音推进组")
      #expect(stored.group.members.count == 5)
      // The decision keeps its article and charter version, its fact and its audit row.
      let record = try await harness.inTenant(Self.slug) { connection in
        let decision = try #require(
          try await connection.query(
            """
            select d.article, d.charter_version, d.recorded_by,
                   (select count(*)::int8 from charter.facts f
                    where f.decision_id = d.id and f.kind = 'groupApproved')
            from charter.decisions d where d.code = 'groupApproved'
            """, []
          ).rows.first)
        let audit = try await connection.query(
          "select outcome from charter.audit_log where command like 'GROUP DECIDE%' order by id", []
        ).rows.map { try $0.decode(0, as: String.self) }
        return (
          try decision.decode(0, as: String.self), try decision.decode(1, as: Int.self),
          try decision.decode(2, as: String.self), try decision.decode(3, as: Int64.self), audit
        )
      }
      #expect(record.0 == "AITISA art. 4.3, 5, 6, 11, 12, 14")
      #expect(record.1 == 1)
      #expect(record.2 == Harness.operatorName)
      #expect(record.3 == 1)
      #expect(record.4 == ["refused", "succeeded"])

      // AITISA art. 7.2–7.4: a leader from a member unit; F joins with the leader's approval.
      try await session.expectOK("GROUP LEADER \(group) \(a.uuidString.lowercased()) 张三")
      let unapproved = try await session.expectError(
        "REFUSED", "GROUP JOIN \(group) \(f.uuidString.lowercased())")
      #expect(unapproved.contains("AITISA art. 7.1"))
      try await session.expectOK(
        "GROUP JOIN \(group) \(f.uuidString.lowercased()) leader_approval=yes")
      #expect(try await harness.groupScenarioMembers(Self.slug, group) == Set([a, b, c, d, e, f]))
      #expect(try await harness.groupScenarioLeader(Self.slug, group) == a)

      // AITISA art. 7.6: E misses two activities and is reminded; at the third (excused
      // absences count) it has left the group, and every group member is told.
      harness.clock.set(day: "2024-12-18")
      try await session.expectOK(
        "GROUP ACTIVITY \(group) 2024-11-20 absent=\(e.uuidString.lowercased())")
      #expect(try await harness.groupScenarioOutbox(Self.slug, kind: "reminder").count == 1)
      try await session.expectOK(
        "GROUP ACTIVITY \(group) 2024-12-05 absent=\(e.uuidString.lowercased())")
      let reminders = try await harness.groupScenarioOutbox(Self.slug, kind: "reminder")
      #expect(reminders.count == 2)
      #expect(reminders.last?.recipient == "unit4@members.example")
      #expect(reminders.last?.body.hasPrefix("贵单位已连续 2 次未参加推进组“智能语音推进组”的活动") == true)
      try await session.expectError(
        "CONFLICT", "GROUP ACTIVITY \(group) 2024-12-05 absent=\(e.uuidString.lowercased())")
      let third = try await session.expectOK(
        "GROUP ACTIVITY \(group) 2024-12-18 excused=\(e.uuidString.lowercased())")
      #expect(third.contains("decision: automaticLeave (AITISA art. 7.6"))
      #expect(try await harness.groupScenarioMembers(Self.slug, group) == Set([a, b, c, d, f]))
      let announcement = try await harness.groupScenarioOutbox(Self.slug, kind: "announcement")
      #expect(
        announcement.map(\.recipient).sorted() == [
          "unit0@members.example", "unit1@members.example", "unit2@members.example",
          "unit3@members.example", "unit4@members.example", "unit5@members.example",
        ])
      for row in announcement {
        // The unit is named as the members know it, Chinese text first.
        #expect(row.body.hasPrefix("戊智能科技有限公司 连续缺席，视为自动退出推进组“智能语音推进组”"))
        let chinese = try #require(row.body.range(of: "连续缺席，视为自动退出推进组“智能语音推进组”"))
        let english = try #require(row.body.range(of: "left “智能语音推进组” automatically"))
        #expect(chinese.lowerBound < english.lowerBound)
      }
      let shown = try await session.expectOK("GROUP SHOW \(group)")
      #expect(ScenarioSession.status(of: shown).contains("5 members"))
      #expect(!shown.contains(e.uuidString.lowercased()))
      #expect(shown.contains("leader,lead_unit\t张三"))

      // AITISA art. 6(b): the secretary-general moves the dissolution; the notice is due in
      // 10 days; the group may object for 10 days after the notice; the chair's office may
      // decide only after that. Notice on 2025-01-08: 10 days is Saturday 18 January, so the
      // window closes on the next working day, Monday 2025-01-20.
      harness.clock.set(day: "2025-01-06")
      try await session.expectError("BAD_ARGUMENTS", "GROUP DISSOLVE \(group)")
      let moved = try await session.expectOK("GROUP DISSOLVE \(group) grounds=noEffectiveWork")
      #expect(moved.contains("decision: dissolutionMoved (AITISA art. 6"))
      #expect(ScenarioSession.status(of: moved).hasSuffix("written notice due 2025-01-16"))
      let early = try await session.expectError(
        "REFUSED", "GROUP DISSOLVE-DECIDE \(group) dissolve")
      #expect(early.contains("AITISA art. 6"))
      harness.clock.set(day: "2025-01-08")
      let noticed = try await session.expectOK("GROUP DISSOLVE-NOTICE \(group)")
      #expect(ScenarioSession.status(of: noticed).hasSuffix("objections until 2025-01-20"))
      let toldOfMotion = try await harness.groupScenarioOutbox(Self.slug, kind: "decision")
        .filter { $0.body.hasPrefix("秘书长已动议撤销本推进组") }
      #expect(toldOfMotion.count == 5)
      try await session.expectOK("GROUP DISSOLVE-OBJECTION \(group) 本组已制定2025年工作计划")

      harness.clock.set(day: "2025-01-20")
      #expect(try await harness.fireDueJobs(Self.slug) == [])
      let inWindow = try await session.expectError(
        "REFUSED", "GROUP DISSOLVE-DECIDE \(group) dissolve")
      #expect(inWindow.contains("AITISA art. 6"))
      #expect(inWindow.contains("2025-01-20"))
      let stillActive = try await harness.groupScenarioStatus(Self.slug, group)
      #expect(stillActive == "active")

      harness.clock.set(day: "2025-01-21")
      #expect(
        try await harness.fireDueJobs(Self.slug) == ["governance.dissolutionObjectionWindow"])
      let dissolved = try await session.expectOK("GROUP DISSOLVE-DECIDE \(group) dissolve")
      #expect(dissolved.contains("decision: groupDissolved (AITISA art. 4.3"))
      #expect(try await harness.groupScenarioStatus(Self.slug, group) == "dissolved")
      try await session.expectError(
        "REFUSED", "GROUP JOIN \(group) \(g.uuidString.lowercased()) leader_approval=yes")
      let listed = try await session.expectOK("GROUP LIST status=dissolved")
      #expect(listed.contains("智能语音推进组\tdissolved\t5\t张三\t2024-11-15\t2025-01-21"))
    }
  }

  /// The id following `prefix` in a reply's status line.
  static func id(after prefix: String, in reply: String) -> String? {
    let status = ScenarioSession.status(of: reply)
    guard let range = status.range(of: prefix) else { return nil }
    let id = status[range.upperBound...].prefix(36)
    return UUID(uuidString: String(id)) == nil ? nil : String(id)
  }
}

struct GroupScenarioCounts: Equatable {
  var applications: Int64
  var jobs: Int64
  var outbox: Int64
  var decisions: Int64
}

struct GroupScenarioJob: Equatable {
  var kind: String
  var dueDay: String
  var state: String
}

struct GroupScenarioNotice: Equatable {
  var recipient: String
  var subject: String
  var body: String
}

extension Harness {
  func groupScenarioCounts(_ slug: String) async throws -> GroupScenarioCounts {
    try await inTenant(slug) { connection in
      func count(_ table: String) async throws -> Int64 {
        try await connection.query("select count(*)::int8 from charter.\(table)", []).scalar(
          as: Int64.self)
      }
      return GroupScenarioCounts(
        applications: try await count("group_applications"),
        jobs: try await count(
          "deadline_jobs where kind <> all(array['\(Harness.periodicJobKinds.sorted().joined(separator: "','"))'])"
        ),
        outbox: try await count("notice_outbox"),
        decisions: try await count("decisions"))
    }
  }

  /// The deadline jobs, by due time, with their due day in the tenant's zone.
  func groupScenarioJobs(_ slug: String) async throws -> [GroupScenarioJob] {
    try await inTenant(slug) { connection in
      try await connection.query(
        """
        select kind, (due_at at time zone 'Asia/Shanghai')::date::text, state
        from charter.deadline_jobs order by due_at, kind
        """, []
      ).rows.map {
        GroupScenarioJob(
          kind: try $0.decode(0, as: String.self), dueDay: try $0.decode(1, as: String.self),
          state: try $0.decode(2, as: String.self))
      }
    }
  }

  /// The e-mail outbox rows of one notice kind, oldest first.
  func groupScenarioOutbox(_ slug: String, kind: String) async throws -> [GroupScenarioNotice] {
    try await inTenant(slug) { connection in
      try await connection.query(
        """
        select recipient, subject, body from charter.notice_outbox
        where notice_kind = $1 and channel = 'email' order by created_at, recipient
        """, [kind]
      ).rows.map {
        GroupScenarioNotice(
          recipient: try $0.decode(0, as: String.self), subject: try $0.decode(1, as: String.self),
          body: try $0.decode(2, as: String.self))
      }
    }
  }

  /// The members of a group as the recipients' projection has them.
  func groupScenarioMembers(_ slug: String, _ group: String) async throws -> Set<UUID> {
    let id = try #require(UUID(uuidString: group))
    return try await inTenant(slug) { connection in
      Set(
        try await connection.query(
          "select member_id from charter.working_group_members where group_id = $1", [id]
        ).rows.map { try $0.decode(0, as: UUID.self) })
    }
  }

  func groupScenarioLeader(_ slug: String, _ group: String) async throws -> UUID? {
    let id = try #require(UUID(uuidString: group))
    return try await inTenant(slug) { connection in
      try await connection.query(
        "select member_id from charter.working_group_members where group_id = $1 and role = 'leader'",
        [id]
      ).rows.first?.decode(0, as: UUID.self)
    }
  }

  func groupScenarioStatus(_ slug: String, _ group: String) async throws -> String {
    let id = try #require(UUID(uuidString: group))
    return try await inTenant(slug) { connection in
      try await connection.query(
        "select status from charter.working_groups where id = $1", [id]
      ).scalar(as: String.self)
    }
  }
}
