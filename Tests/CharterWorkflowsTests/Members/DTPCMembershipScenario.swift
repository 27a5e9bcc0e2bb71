import CharterCalendar
import CharterGovernance
import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// dtpc-nmi end to end through the admin protocol (RULES.md §2–§3): admission by review and
/// filing (DTPC art. 11), the 30-day exit (DTPC art. 16(1)) taking effect on its day and not
/// before, the rejoin ban (DTPC art. 16(6)), and discipline (DTPC art. 15).
@Suite struct DTPCMembershipScenario {
  static let slug = "dtpc-nmi"
  static let credit = "91150100MA0N000001"

  @Test func admissionByFilingThenA30DayExitThenTheRejoinBanOfArt16_6() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant(Self.slug)
      try await harness.setMailboxes(Self.slug)
      try await harness.seedMember(
        Self.slug, name: "包头既有成员单位", tier: "member", email: "old@example.com")

      // DTPC art. 11(1): the written application, with contact person and representative.
      let applied = try await session.expectOK(
        "MEMBER APPLY unit \"内蒙古示例数据有限公司\" credit=\(Self.credit) contact=张三 email=zhang@example.com phone=0471-1234567 representative=李四 title=总经理 rank=正高级 born=1970-05-01"
      )
      let application = try #require(MemberReplies.value("application", in: applied))
      let memberText = try #require(MemberReplies.value("member", in: applied))
      let member = try #require(UUID(uuidString: memberText))
      #expect(applied.contains("next: preliminary_review by secretariat (DTPC art. 11(2))"))
      #expect(
        try await harness.text(
          Self.slug, "select status from charter.members where id = $1", [member]) == "applicant")
      #expect(
        try await harness.text(
          Self.slug, "select representative_birth_date::text from charter.members where id = $1",
          [member]) == "1970-05-01")

      // Filing before the review is out of order (DTPC art. 11(2)) and changes nothing.
      let before = try await harness.footprint(Self.slug)
      let outOfOrder = try await session.expectError("REFUSED", "MEMBER FILE \(application)")
      #expect(outOfOrder.contains("DTPC art. 11(2)"))
      #expect(try await harness.footprint(Self.slug) == before)

      let reviewed = try await session.expectOK("MEMBER REVIEW \(application) passed")
      #expect(reviewed.contains("next: filing by secretariat"))
      let filed = try await session.expectOK("MEMBER FILE \(application)")
      #expect(filed.contains("stage: admitted on 2026-03-02 as member"))
      #expect(filed.contains("decision: memberAdmitted"))

      let admitted = try #require(try await harness.member(Self.slug, member))
      #expect(admitted.status == "member")
      #expect(admitted.record?.tier == "member")
      #expect(
        try await harness.text(
          Self.slug,
          "select string_agg(event, ',' order by id) from charter.member_register where member_id = $1",
          [member]) == "applied,admitted")
      // The admission is announced to the members (DTPC art. 17).
      #expect(
        try await harness.count(
          Self.slug,
          "select count(*)::int from charter.notice_outbox where recipient = 'old@example.com' and body like '%成为会员单位%'"
        ) == 1)
      // DTPC art. 16(2): two years without activity count from admission.
      #expect(
        try await harness.text(
          Self.slug,
          "select (due_at at time zone 'Asia/Shanghai')::date::text from charter.deadline_jobs where unique_key = $1",
          ["inactivity-exit:\(memberText)"]) == "2028-03-02")

      // DTPC art. 16(1): written notice on 2026-03-02, the exit takes effect 30 days later.
      let exit = try await session.expectOK("MEMBER EXIT \(memberText)")
      #expect(exit.contains("exit effective: 2026-04-01"))
      #expect(exit.contains("DTPC art. 16(1)"))
      #expect(
        try await harness.text(
          Self.slug,
          "select (due_at at time zone 'Asia/Shanghai')::date::text from charter.deadline_jobs where unique_key = $1 and kind = 'governance.exitEffective'",
          ["exit-effective:\(memberText)"]) == "2026-04-01")
      #expect(
        try await harness.text(
          Self.slug, "select status from charter.members where id = $1", [member])
          == "exit_pending")

      // Not before: on day 29 and during day 30 nothing fires.
      harness.clock.set(day: "2026-03-31")
      #expect(try await harness.fireDueJobs(Self.slug).filter(Harness.notPeriodic).isEmpty)
      harness.clock.set(day: "2026-04-01")
      #expect(try await harness.fireDueJobs(Self.slug).filter(Harness.notPeriodic).isEmpty)
      #expect(try await harness.member(Self.slug, member)?.status == "exit_pending")
      // At the end of 2026-04-01 it does.
      let due = try await harness.inTenant(Self.slug) { connection in
        try await connection.query(
          "select due_at from charter.deadline_jobs where unique_key = $1",
          ["exit-effective:\(memberText)"]
        ).scalar(as: Date.self)
      }
      harness.clock.set(due)
      #expect(
        try await harness.fireDueJobs(Self.slug).filter(Harness.notPeriodic) == [
          "governance.exitEffective"
        ])
      let gone = try #require(try await harness.member(Self.slug, member))
      #expect(gone.status == "former")
      #expect(
        try await harness.text(
          Self.slug, "select left_on::text from charter.members where id = $1", [member])
          == "2026-04-01")
      #expect(
        try await harness.text(
          Self.slug,
          "select event || ' ' || effective_on::text || ' ' || recorded_by from charter.member_register where member_id = $1 order by id desc limit 1",
          [member]) == "withdrawn 2026-04-01 system")
      // Announced to members and filed with the joint meeting (DTPC art. 16(4)); the
      // inactivity job is cancelled.
      #expect(
        try await harness.count(
          Self.slug,
          "select count(*)::int from charter.notice_outbox where recipient = 'old@example.com' and body like '%不再是会员单位%'"
        ) == 1)
      #expect(
        try await harness.text(
          Self.slug, "select state from charter.deadline_jobs where unique_key = $1",
          ["inactivity-exit:\(memberText)"]) == "cancelled")

      // DTPC art. 16(6): the unit may never apply again; the refusal changes nothing.
      harness.clock.set(day: "2026-05-06")
      let unchanged = try await harness.footprint(Self.slug)
      let banned = try await session.expectError(
        "REFUSED",
        "MEMBER APPLY unit \"内蒙古示例数据有限公司\" credit=\(Self.credit) contact=张三 email=zhang@example.com"
      )
      #expect(banned.contains("DTPC art. 16(6)"))
      #expect(banned.contains("不得再次申请加入"))
      #expect(try await harness.footprint(Self.slug) == unchanged)
      #expect(
        try await harness.count(
          Self.slug,
          "select count(*)::int from charter.audit_log where outcome = 'refused' and command like 'MEMBER APPLY%'"
        ) >= 1)
    }
  }

  @Test func suspensionByTheSecretariatThenReinstatementDTPCArt15() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant(Self.slug)
      try await harness.setMailboxes(Self.slug)
      let other = try await harness.seedMember(
        Self.slug, name: "鄂尔多斯示例能源", tier: "member", email: "erdos@example.com")
      let id = try await harness.seedMember(
        Self.slug, name: "呼和浩特示例软件", tier: "member", email: "hohhot@example.com")
      let member = id.uuidString.lowercased()
      _ = other

      // DTPC art. 15: measures are decided by the secretariat, not the joint meeting.
      let before = try await harness.footprint(Self.slug)
      let wrongBody = try await session.expectError(
        "REFUSED", "MEMBER SANCTION \(member) suspension joint_meeting \"屡次不报送材料\"")
      #expect(wrongBody.contains("DTPC art. 15(3)"))
      #expect(try await harness.footprint(Self.slug) == before)

      let suspended = try await session.expectOK(
        "MEMBER SANCTION \(member) suspension secretariat \"屡次不报送材料\"")
      #expect(suspended.contains("status: suspended"))
      #expect(suspended.contains("register: suspended"))
      #expect(
        try await harness.member(Self.slug, id)?.record?.suspendedSince?.description == "2026-03-02"
      )
      // The suspension is announced to the members (DTPC art. 17) and the measure told to
      // the member.
      #expect(
        try await harness.count(
          Self.slug,
          "select count(*)::int from charter.notice_outbox where recipient = 'erdos@example.com' and body like '%暂停行使成员单位权利%'"
        ) >= 1)
      #expect(
        try await harness.count(
          Self.slug,
          "select count(*)::int from charter.notice_outbox where recipient = 'hohhot@example.com' and body like '%屡次不报送材料%'"
        ) >= 1)
      // A suspended member may not change tier.
      try await session.expectError("REFUSED", "MEMBER TIER \(member) director")
      #expect(
        try await harness.text(
          Self.slug, "select status from charter.members where id = $1", [id]) == "suspended")

      harness.clock.set(day: "2026-06-01")
      let lifted = try await session.expectOK("MEMBER REINSTATE \(member) secretariat")
      #expect(lifted.contains("status: member"))
      #expect(
        try await harness.text(
          Self.slug,
          "select string_agg(event || ' ' || effective_on::text, ',' order by id) from charter.member_register where member_id = $1",
          [id]) == "admitted 2024-01-02,suspended 2026-03-02,reinstated 2026-06-01")
      #expect(
        try await harness.count(
          Self.slug,
          "select count(*)::int from charter.notice_outbox where recipient = 'erdos@example.com' and body like '%恢复行使成员单位权利%'"
        ) >= 1)

      // A seat in the joint meeting (DTPC art. 19) is kept in body_seats; a body the charter
      // lacks is refused before anything changes.
      try await session.expectError("BAD_ARGUMENTS", "MEMBER SEAT \(member) nosuch_body")
      let seated = try await session.expectOK("MEMBER SEAT \(member) joint_meeting")
      #expect(seated.contains("register: seat_granted"))
      #expect(
        try await harness.count(
          Self.slug,
          "select count(*)::int from charter.body_seats where member_id = $1 and body = 'joint_meeting' and ended_on is null",
          [id]) == 1)

      // DTPC art. 12: a director unit's term of 5 years; the last day is a term-end job.
      try await session.expectOK("MEMBER TIER \(member) director")
      #expect(
        try await harness.text(
          Self.slug,
          "select (due_at at time zone 'Asia/Shanghai')::date::text from charter.deadline_jobs where unique_key = $1",
          ["tier-term-end:\(member)"]) == "2031-05-31")
      harness.clock.set(day: "2031-06-01")
      #expect(
        try await harness.fireDueJobs(Self.slug).filter(Harness.notPeriodic) == [
          "governance.termEnd"
        ])
      #expect(
        try await harness.count(
          Self.slug,
          "select count(*)::int from charter.notice_outbox where recipient = 'secretariat@example.org' and body like '%任期%届满%'"
        ) == 1)

      // The history shows the register entries with their decisions, in order, paged.
      let history = try await session.expectOK("MEMBER HISTORY \(member) limit=3")
      #expect(history.contains("more: after="))
      #expect(history.contains("admitted"))
      let all = try await session.expectOK("MEMBER HISTORY \(member)")
      #expect(all.contains("suspended"))
      #expect(all.contains("DTPC art. 15(3)"))
      #expect(all.contains("tierTermEnded"))
    }
  }

  @Test func twoYearsWithoutActivityEndMembershipArt16_2AndARevokedLicenceAtOnceArt16_3()
    async throws
  {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant(Self.slug)
      try await harness.setMailboxes(Self.slug)
      let quiet = try await harness.seedMember(Self.slug, name: "乌海示例化工", tier: "member")
      let revoked = try await harness.seedMember(Self.slug, name: "赤峰示例矿业", tier: "member")
      let key = "inactivity-exit:\(quiet.uuidString.lowercased())"
      let dueDay =
        "select (due_at at time zone 'Asia/Shanghai')::date::text from charter.deadline_jobs where unique_key = $1"

      // DTPC art. 16(3): a revoked licence ends membership at once, even during an exit notice (the
      // calendar holds 2026; a notice in a year without calendar data is refused).
      try await session.expectOK("MEMBER EXIT \(revoked.uuidString.lowercased())")
      let ended = try await session.expectOK("MEMBER REVOKE \(revoked.uuidString.lowercased())")
      #expect(ended.contains("register: licence_revoked"))
      #expect(ended.contains("DTPC art. 16(3)"))
      #expect(
        try await harness.text(
          Self.slug, "select state from charter.deadline_jobs where unique_key = $1",
          ["exit-effective:\(revoked.uuidString.lowercased())"]) == "cancelled")
      // A member that left cannot leave again.
      try await session.expectError("REFUSED", "MEMBER EXIT \(revoked.uuidString.lowercased())")
      try await session.expectOK("MEMBER ACTIVITY \(quiet.uuidString.lowercased())")
      #expect(try await harness.text(Self.slug, dueDay, [key]) == "2028-03-02")
      // New activity moves the same job (one key, replaced).
      harness.clock.set(day: "2027-01-04")
      try await session.expectOK("MEMBER ACTIVITY \(quiet.uuidString.lowercased())")
      #expect(try await harness.text(Self.slug, dueDay, [key]) == "2029-01-04")
      #expect(
        try await harness.count(
          Self.slug, "select count(*)::int from charter.deadline_jobs where unique_key = $1", [key])
          == 1)
      harness.clock.set(day: "2028-03-03")
      #expect(try await harness.fireDueJobs(Self.slug).filter(Harness.notPeriodic).isEmpty)
      harness.clock.set(day: "2029-01-05")
      #expect(
        try await harness.fireDueJobs(Self.slug).filter(Harness.notPeriodic) == [
          "governance.inactivityExit"
        ])
      #expect(
        try await harness.text(
          Self.slug,
          "select event || ' ' || effective_on::text from charter.member_register where member_id = $1 order by id desc limit 1",
          [quiet]) == "automatic_exit 2029-01-05")
      #expect(try await harness.member(Self.slug, quiet)?.status == "former")

    }
  }
}
