import CharterGovernance
import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// tjsia-ai §2: a branch admits a unit only as a member of its parent association, asked in
/// the parent tenant; AII art. 11: review by the secretariat then the standing council's
/// decision; AII art. 16: expulsion only on a passed vote.
@Suite struct TJSIAAndAIIMembershipScenarios {
  @Test func aBranchAdmitsOnlyUnitsThatAreMembersOfTheParentTjsiaAiSection2() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      // The parent association is another tenant with its own register.
      let operatorSession = try await harness.operatorSession()
      try await operatorSession.expectOK("TENANT CREATE tjsia \"天津市软件行业协会\"")
      let parentMember = try await harness.seedMember("tjsia", name: "天津示例软件有限公司", tier: "member")
      let formerParentMember = try await harness.seedMember(
        "tjsia", name: "天津旧会员有限公司", tier: "member")
      try await harness.inTenant("tjsia") { connection in
        try await connection.query(
          "update charter.members set credit_code = '91120000MA05000001' where id = $1",
          [parentMember])
        try await connection.query(
          "update charter.members set credit_code = '91120000MA05000003', status = 'former' where id = $1",
          [formerParentMember])
      }
      try await operatorSession.expectError(
        "NOT_FOUND", "TENANT CREATE tjsia-ai \"人工智能分会\" parent=nosuch")
      try await operatorSession.expectOK(
        "TENANT CREATE tjsia-ai \"天津市软件行业协会人工智能分会\" parent=tjsia")
      let shown = try await operatorSession.expectOK("TENANT SHOW tjsia-ai")
      #expect(shown.contains("* parent\ttjsia\n"))
      try await operatorSession.expectOK("TENANT USE tjsia-ai")
      try await operatorSession.expectOK("CHARTER LOAD tjsia-ai effective=2020-01-01")
      let session = operatorSession
      try await harness.setMailboxes("tjsia-ai")

      // Not a member of the parent: refused citing tjsia-ai §2, nothing stored.
      let before = try await harness.footprint("tjsia-ai")
      let refused = try await session.expectError(
        "REFUSED", "MEMBER APPLY unit \"天津未入会科技\" credit=91120000MA05000002 email=a@example.com")
      #expect(refused.contains("tjsia-ai §2"))
      #expect(refused.contains("天津市软件行业协会"))
      // A unit that left the parent is no longer a member there.
      try await session.expectError(
        "REFUSED", "MEMBER APPLY unit \"天津旧会员有限公司\" credit=91120000MA05000003")
      #expect(try await harness.footprint("tjsia-ai") == before)

      // A member of the parent is received; the branch council decides (tjsia-ai §2 [interp]).
      let applied = try await session.expectOK(
        "MEMBER APPLY unit \"天津示例软件有限公司\" credit=91120000ma05000001 contact=王五 email=wang@example.com"
      )
      #expect(applied.contains("next: decision by branch_council"))
      let application = try #require(MemberReplies.value("application", in: applied))
      let decided = try await session.expectOK(
        "MEMBER DECIDE \(application) branch_council approved")
      #expect(decided.contains("stage: admitted on 2026-03-02 as member"))
      let member = try #require(MemberReplies.value("member", in: applied))
      #expect(
        try await harness.text(
          "tjsia-ai", "select status || ' ' || credit_code from charter.members where id = $1",
          [try #require(UUID(uuidString: member))]) == "member 91120000MA05000001")

      // An individual expert applies directly (the requirement is for units).
      let expert = try await session.expectOK(
        "MEMBER APPLY individual \"赵六\" email=zhao@example.com")
      #expect(expert.contains("next: decision by branch_council"))

      // The branch never sees another row of the parent: its members table holds its own.
      #expect(try await harness.count("tjsia-ai", "select count(*)::int from charter.members") == 2)
    }
  }

  @Test func aiiAdmissionThroughTheStandingCouncilAndExpulsionByVote() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("aii")
      try await harness.setMailboxes("aii")
      try await harness.seedMember("aii", name: "北京既有会员", tier: "director", email: "bj@example.com")

      let applied = try await session.expectOK(
        "MEMBER APPLY unit \"上海示例智能科技有限公司\" credit=91310000MA1K000001 tier=director contact=陈七 email=chen@example.com"
      )
      let application = try #require(MemberReplies.value("application", in: applied))
      let member = try #require(MemberReplies.value("member", in: applied))
      #expect(applied.contains("next: preliminary_review by secretariat (AII art. 11(2))"))
      // The standing council cannot decide before the secretariat's review (AII art. 11).
      let early = try await session.expectError(
        "REFUSED", "MEMBER DECIDE \(application) standing_council approved")
      #expect(early.contains("AII art. 11(2)"))
      let reviewed = try await session.expectOK("MEMBER REVIEW \(application) passed")
      #expect(reviewed.contains("next: decision by standing_council (AII art. 11(3))"))
      // Only the standing council decides admission (AII art. 11(3)).
      let wrongBody = try await session.expectError(
        "REFUSED", "MEMBER DECIDE \(application) council approved")
      #expect(wrongBody.contains("AII art. 11(3)"))
      let decided = try await session.expectOK(
        "MEMBER DECIDE \(application) standing_council approved")
      #expect(decided.contains("decision: memberAdmitted"))
      #expect(decided.contains("AII art. 11(3)"))
      let listed = try await session.expectOK("MEMBER APPLICATIONS stage=admitted")
      #expect(listed.contains("上海示例智能科技有限公司"))
      let shown = try await session.expectOK("MEMBER SHOW \(member)")
      #expect(shown.contains("* status\tmember"))
      #expect(shown.contains("* tier\tdirector"))
      #expect(shown.contains("* contact\t陈七"))

      // A refusal needs reasons; a refused applicant is recorded as refused.
      // AII art. 14(5): a unit names its contact person.
      let noContact = try await session.expectError(
        "REFUSED", "MEMBER APPLY unit \"广州示例\" credit=91440000MA5D000001 email=gz@example.com")
      #expect(noContact.contains("AII art. 14(5)"))
      let second = try await session.expectOK(
        "MEMBER APPLY unit \"广州示例\" credit=91440000MA5D000001 contact=刘八 email=gz@example.com")
      let secondApplication = try #require(MemberReplies.value("application", in: second))
      try await session.expectError("REFUSED", "MEMBER REVIEW \(secondApplication) failed")
      let refused = try await session.expectOK(
        "MEMBER REVIEW \(secondApplication) failed reasons=\"非依法注册的单位\"")
      #expect(refused.contains("stage: refused on 2026-03-02: 非依法注册的单位"))

      try await session.expectOK("MEMBER SEAT \(member) council")
      // AII art. 16: expulsion by the council only on a passed vote.
      let noVote = try await session.expectError(
        "REFUSED", "MEMBER SANCTION \(member) expulsion council \"严重违反章程\"")
      #expect(noVote.contains("AII art. 16"))
      try await session.expectError(
        "REFUSED", "MEMBER SANCTION \(member) expulsion council \"严重违反章程\" vote=failed")
      let expelled = try await session.expectOK(
        "MEMBER SANCTION \(member) expulsion council \"严重违反章程\" vote=passed")
      #expect(expelled.contains("register: expelled"))
      #expect(expelled.contains("status: former"))
      // Leaving ends the seat too.
      #expect(
        try await harness.text(
          "aii", "select ended_on::text from charter.body_seats where member_id = $1::uuid",
          [member]) == "2026-03-02")
      #expect(
        try await harness.count(
          "aii",
          "select count(*)::int from charter.notice_outbox where recipient = 'bj@example.com' and body like '%除名%'"
        ) == 1)
      // AII allows a former member to apply again (AII art. 15 [interp]).
      harness.clock.set(day: "2026-09-01")
      try await session.expectOK(
        "MEMBER APPLY unit \"上海示例智能科技有限公司\" credit=91310000MA1K000001 contact=陈七 email=chen@example.com"
      )
    }
  }
}
