import CharterCalendar
import Foundation
import Testing

@testable import CharterGovernance

// The engine applied to the charter profiles shipped in `Config/charters/`: the same
// scenarios as the code-built fixtures, on the tenants' real data.

extension AITISA_4_2 {
  @Test func aitisa_4_2_shippedProfileReviewNoticeCrossesNationalDay() throws {
    let params = try WorkingGroupParameters(
      profile: try ProfileFixtures.profile("aitisa"), extensions: Fixtures.aitisaExtensions)
    let t = try GroupApplication.receive(
      id: "app-1", proposedName: "x", sponsors: ["m1", "m2", "m3", "m4", "m5"], leadUnit: "m1",
      standing: Fixtures.members("m1", "m2", "m3", "m4", "m5"), parameters: params,
      context: try Fixtures.context("2024-09-27"))
    #expect(
      t.jobs.first { $0.kind == .reviewNoticeEscalation }?.dueDay
        == (try Fixtures.day("2024-10-16")))
  }
}

extension DTPC_16 {
  @Test func dtpc_16_shippedProfileExitAndRejoin() throws {
    let dtpc = try ProfileFixtures.profile("dtpc-nmi")
    let day = try Fixtures.day("2021-01-04")
    let member = MemberRecord(
      id: "u1", kind: .unit, tier: "member", status: .active, since: day, lastActivity: day)
    let t = try member.apply(
      .exitNoticeReceived, profile: dtpc, context: try Fixtures.context("2024-03-04"))
    #expect(t.jobs.first?.dueDay == (try Fixtures.day("2024-04-03")))
    #expect(t.jobs.first?.article.citation == "DTPC art. 16(1)")
    #expect {
      try MembershipApplication.receive(
        id: "c1", applicant: "u1", kind: .unit, tier: "member",
        previousLeaving: .init(kind: .expulsion, on: day), parentMembership: nil, profile: dtpc,
        context: try Fixtures.context("2024-03-04"))
    } throws: { error in (error as? Refusal)?.article.citation == "DTPC art. 16(6)" }
  }
}

extension AII_13 {
  @Test func aii_13_shippedProfileDowngradesOneTier() throws {
    let aii = try ProfileFixtures.profile("aii")
    let day = try Fixtures.day("2021-01-04")
    var member = MemberRecord(
      id: "u1", kind: .unit, tier: "vice_chair", status: .active, since: day, lastActivity: day)
    let council = try #require(
      aii.membership.absence.first { if case .downgrade = $0.consequence { true } else { false } })
    var last: Transition<MemberRecord>?
    for _ in 0..<council.consecutive {
      last = try member.apply(
        .attendanceRecorded(body: council.body, status: .absent), profile: aii,
        context: try Fixtures.context("2024-06-03"))
      member = try #require(last).state
    }
    #expect(member.tier == "director")
    #expect(last?.decision.article.citation == "AII art. 13")
    #expect(last?.decision.article.interpretation == true)
  }
}

extension TJSIA_2 {
  @Test func tjsia_2_shippedProfileRequiresParentMembership() throws {
    let tjsia = try ProfileFixtures.profile("tjsia-ai")
    #expect {
      try MembershipApplication.receive(
        id: "c1", applicant: "u9", kind: .unit, tier: tjsia.tiers.first?.id ?? "member",
        previousLeaving: nil,
        parentMembership: false, profile: tjsia, context: try Fixtures.context("2024-03-04"))
    } throws: { error in (error as? Refusal)?.article.citation == "tjsia-ai §2" }
  }
}
