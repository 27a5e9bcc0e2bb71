import CharterCalendar
import Foundation
import Testing

@testable import CharterGovernance

private func group(_ ids: [MemberID] = ["m1", "m2", "m3", "m4", "m5", "m6"]) throws -> WorkingGroup
{
  let joined = try Fixtures.day("2024-01-10")
  return WorkingGroup(
    id: "wg-1", name: "智能制造推进组", leadUnit: "m1",
    members: Dictionary(
      uniqueKeysWithValues: ids.map { ($0, WorkingGroup.Membership(joinedOn: joined)) }))
}

private let allianceMembers = Fixtures.members("m1", "m2", "m3", "m4", "m5", "m6", "m7")

private func refusal(_ article: String, _ code: String) -> (any Error) -> Bool {
  { error in (error as? Refusal)?.article.citation == article && (error as? Refusal)?.code == code }
}

@Suite("AITISA art. 5")
struct AITISA_5 {
  @Test func aitisa_5_renameNeedsRequestThenChairsOffice() throws {
    let ctx = try Fixtures.context("2024-05-06")
    let g = try group()
    #expect(throws: Refusal.self) {
      try g.apply(
        .renameDecided(approved: true), surroundings: .init(standing: allianceMembers),
        parameters: Fixtures.aitisa, context: ctx)
    }
    let asked = try g.apply(
      .renameRequested(newName: "智能制造与工业软件推进组"), surroundings: .init(standing: allianceMembers),
      parameters: Fixtures.aitisa, context: ctx)
    #expect(asked.state.name == "智能制造推进组")
    let done = try asked.state.apply(
      .renameDecided(approved: true), surroundings: .init(standing: allianceMembers),
      parameters: Fixtures.aitisa, context: ctx)
    #expect(done.state.name == "智能制造与工业软件推进组")
    #expect(done.facts.first?.article == Article("AITISA art. 5"))
  }
}

@Suite("AITISA art. 6")
struct AITISA_6 {
  @Test func aitisa_6_requestByHalfOfMembersAccepted() throws {
    let t = try DissolutionCase.requestByMembers(
      id: "d-1", group: try group(), requesters: ["m1", "m2", "m3"], parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-05-06"))
    #expect(t.decision.article == Article("AITISA art. 6"))
  }

  @Test func aitisa_6_requestByLessThanHalfRefused() throws {
    #expect {
      try DissolutionCase.requestByMembers(
        id: "d-1", group: try group(), requesters: ["m1", "m2", "m7"], parameters: Fixtures.aitisa,
        context: try Fixtures.context("2024-05-06"))
    } throws: { refusal("AITISA art. 6", "tooFewRequesters")($0) }
  }

  /// Motion on Friday 2024-09-20: written notice due by day 10, Monday 30 Sept.
  @Test func aitisa_6_noticeDueTenDaysAfterMotion() throws {
    let t = try DissolutionCase.moveBySecretaryGeneral(
      id: "d-2", group: try group(), grounds: [.noEffectiveWork], parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-09-20"))
    let job = try #require(t.jobs.first)
    #expect(job.kind == .dissolutionNotice)
    #expect(job.dueDay == (try Fixtures.day("2024-09-30")))
    #expect(job.key == "dissolution-notice:d-2")
  }

  @Test func aitisa_6_belowMinimumGroundRefusedWhenGroupHasFive() throws {
    #expect {
      try DissolutionCase.moveBySecretaryGeneral(
        id: "d-2", group: try group(["m1", "m2", "m3", "m4", "m5"]),
        grounds: [.belowMinimumMembers],
        parameters: Fixtures.aitisa, context: try Fixtures.context("2024-09-20"))
    } throws: { refusal("AITISA art. 7", "groundNotMet")($0) }
  }

  private func noticeGiven(on iso: String) throws -> Transition<DissolutionCase> {
    let moved = try DissolutionCase.moveBySecretaryGeneral(
      id: "d-2", group: try group(), grounds: [.noEffectiveWork], parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-05-06"))
    return try moved.state.apply(
      .noticeSent, parameters: Fixtures.aitisa, context: try Fixtures.context(iso))
  }

  /// Notice given Wednesday 2024-05-08: day 10 is Saturday 18 May, so the window closes at
  /// the end of Monday 20 May.
  @Test func aitisa_6_objectionWindowClosesTenDaysAfterNotice() throws {
    let t = try noticeGiven(on: "2024-05-08")
    let job = try #require(t.jobs.first)
    #expect(job.kind == .dissolutionObjectionWindow)
    #expect(job.dueDay == (try Fixtures.day("2024-05-20")))
    #expect(t.cancelledJobKeys == ["dissolution-notice:d-2"])
  }

  @Test func aitisa_6_dissolutionDecisionRefusedBeforeObjectionWindowCloses() throws {
    let given = try noticeGiven(on: "2024-05-08").state
    #expect {
      try given.apply(
        .chairsOfficeDecided(dissolve: true), parameters: Fixtures.aitisa,
        context: try Fixtures.context("2024-05-20"))
    } throws: { refusal("AITISA art. 6", "objectionWindowOpen")($0) }
    let t = try given.apply(
      .chairsOfficeDecided(dissolve: true), parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-05-21"))
    #expect(t.state.stage == .decided(dissolved: true, on: try Fixtures.day("2024-05-21")))
    #expect(t.facts.map(\.kind) == [.groupDissolved])
  }

  @Test func aitisa_6_decisionRefusedBeforeNoticeGiven() throws {
    let moved = try DissolutionCase.moveBySecretaryGeneral(
      id: "d-2", group: try group(), grounds: [.seriousBreach], parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-05-06"))
    #expect {
      try moved.state.apply(
        .chairsOfficeDecided(dissolve: true), parameters: Fixtures.aitisa,
        context: try Fixtures.context("2024-07-01"))
    } throws: { refusal("AITISA art. 6", "noticeNotGiven")($0) }
  }

  @Test func aitisa_6_objectionAfterWindowRefused() throws {
    let given = try noticeGiven(on: "2024-05-08").state
    let objected = try given.apply(
      .objectionReceived("我们有工作成果"), parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-05-20"))
    guard case .noticeGiven(_, _, _, let objections) = objected.state.stage else {
      Issue.record("stage changed")
      return
    }
    #expect(objections == ["我们有工作成果"])
    #expect(throws: Refusal.self) {
      try given.apply(
        .objectionReceived("迟到的异议"), parameters: Fixtures.aitisa,
        context: try Fixtures.context("2024-05-21"))
    }
  }
}

@Suite("AITISA art. 7")
struct AITISA_7 {
  private let surroundings = WorkingGroup.Surroundings(standing: allianceMembers)

  @Test func aitisa_7_onlyAllianceMembersJoin() throws {
    let ctx = try Fixtures.context("2024-05-06")
    #expect {
      try group().apply(
        .join("outsider", approvedByLeader: true), surroundings: surroundings,
        parameters: Fixtures.aitisa, context: ctx)
    } throws: { refusal("AITISA art. 7.1", "notAllianceMember")($0) }
    #expect {
      try group().apply(
        .join("m7", approvedByLeader: false), surroundings: surroundings,
        parameters: Fixtures.aitisa, context: ctx)
    } throws: { refusal("AITISA art. 7.1", "leaderApprovalRequired")($0) }
    let t = try group().apply(
      .join("m7", approvedByLeader: true), surroundings: surroundings, parameters: Fixtures.aitisa,
      context: ctx)
    #expect(t.state.members["m7"] != nil)
  }

  @Test func aitisa_7_suspendedMemberMayNotJoin() throws {
    var standing = allianceMembers
    standing["m7"] = .suspended
    #expect(throws: Refusal.self) {
      try group().apply(
        .join("m7", approvedByLeader: true), surroundings: .init(standing: standing),
        parameters: Fixtures.aitisa,
        context: try Fixtures.context("2024-05-06"))
    }
  }

  @Test func aitisa_7_4_personLeadingAnotherGroupRefused() throws {
    let s = WorkingGroup.Surroundings(
      standing: allianceMembers, leadersOfOtherGroups: ["zhang": "wg-9"])
    #expect {
      try group().apply(
        .appointLeader(.init(person: "zhang", unit: "m1")), surroundings: s,
        parameters: Fixtures.aitisa,
        context: try Fixtures.context("2024-05-06"))
    } throws: { refusal("AITISA art. 7.4", "leadsAnotherGroup")($0) }
  }

  @Test func aitisa_7_5_secondPostForSameUnitRefused() throws {
    let ctx = try Fixtures.context("2024-05-06")
    let led = try group().apply(
      .appointLeader(.init(person: "zhang", unit: "m1")), surroundings: surroundings,
      parameters: Fixtures.aitisa, context: ctx)
    #expect {
      try led.state.apply(
        .appointCoLeader(.init(person: "li", unit: "m1")), surroundings: surroundings,
        parameters: Fixtures.aitisa, context: ctx)
    } throws: { refusal("AITISA art. 7.5", "unitAlreadyHoldsPost")($0) }
    let co = try led.state.apply(
      .appointCoLeader(.init(person: "li", unit: "m2")), surroundings: surroundings,
      parameters: Fixtures.aitisa, context: ctx)
    #expect(co.state.coLeaders.map(\.person) == ["li"])
  }

  private func attend(_ g: WorkingGroup, _ mark: AttendanceStatus, for member: MemberID = "m6")
    throws -> Transition<WorkingGroup>
  {
    var marks: [MemberID: AttendanceStatus] = [:]
    for id in g.members.keys { marks[id] = .present }
    marks[member] = mark
    return try g.apply(
      .attendanceRecorded(activity: "meeting", marks: marks), surroundings: surroundings,
      parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-05-06"))
  }

  @Test func aitisa_7_6_reminderAfterSecondAbsenceThenAutomaticLeaveAfterThird() throws {
    let first = try attend(try group(), .absent)
    #expect(first.notices.isEmpty)
    let second = try attend(first.state, .excused)
    #expect(second.notices.map(\.kind) == [.reminder])
    #expect(second.notices.first?.recipients == [.memberContact("m6")])
    let third = try attend(second.state, .absent)
    #expect(third.state.members["m6"] == nil)
    #expect(
      third.decision
        == Decision("automaticLeave", Article("AITISA art. 7.6"), profile: Fixtures.aitisa.profile))
    #expect(third.facts.first?.details["cause"] == "automaticLeave")
    #expect(third.notices.first?.recipients.contains(.groupMembers("wg-1")) == true)
  }

  @Test func aitisa_7_6_proxyBreaksTheStreak() throws {
    let two = try attend(try attend(try group(), .absent).state, .absent)
    let proxy = try attend(two.state, .proxy(holder: "m1"))
    #expect(proxy.state.members["m6"]?.absenceStreak == 0)
    let again = try attend(proxy.state, .absent)
    #expect(again.state.members["m6"] != nil)
  }

  @Test func aitisa_7_fallingBelowFiveMembersWarnsSecretariat() throws {
    let g = try group(["m1", "m2", "m3", "m4", "m5"])
    let t = try g.apply(
      .leave("m5"), surroundings: surroundings, parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-05-06"))
    #expect(t.facts.map(\.kind) == [.groupMemberLeft, .groupBelowMinimumMembers])
    #expect(t.notices.contains { $0.kind == .warning && $0.recipients.contains(.secretariat) })
  }
}

@Suite("AITISA art. 12")
struct AITISA_12 {
  @Test func aitisa_12_budgetNeedsSecretariatReviewBeforeApproval() throws {
    let ctx = try Fixtures.context("2024-05-06")
    let s = WorkingGroup.Surroundings(standing: allianceMembers)
    #expect {
      try group().apply(
        .budgetDecided(activity: "年会", approved: true, secretariatReviewed: false), surroundings: s,
        parameters: Fixtures.aitisa, context: ctx)
    } throws: { refusal("AITISA art. 12", "secretariatReviewRequired")($0) }
    let t = try group().apply(
      .budgetDecided(activity: "年会", approved: true, secretariatReviewed: true), surroundings: s,
      parameters: Fixtures.aitisa,
      context: ctx)
    #expect(t.facts.map(\.kind) == [.budgetApproved])
  }
}

@Suite("AITISA art. 14")
struct AITISA_14 {
  @Test func aitisa_14_activityRulesDecisionRecorded() throws {
    let t = try group().apply(
      .activityRulesDecided(title: "推进组工作细则", approved: true),
      surroundings: .init(standing: allianceMembers),
      parameters: Fixtures.aitisa, context: try Fixtures.context("2024-05-06"))
    #expect(t.facts.first?.kind == .activityRulesApproved)
    #expect(t.facts.first?.article == Article("AITISA art. 14"))
  }
}
