import CharterCalendar
import Foundation
import Testing

@testable import CharterGovernance

private func member(_ tier: String, seats: Set<String> = [], since: String = "2021-01-04") throws
  -> MemberRecord
{
  let day = try Fixtures.day(since)
  return MemberRecord(
    id: "u1", kind: .unit, tier: tier, status: .active, since: day, seats: seats, lastActivity: day)
}

private func refused(_ article: String, _ code: String) -> (any Error) -> Bool {
  { error in (error as? Refusal)?.article.citation == article && (error as? Refusal)?.code == code }
}

@Suite("DTPC art. 11")
struct DTPC_11 {
  @Test func dtpc_11_reviewThenFilingAdmits() throws {
    let received = try MembershipApplication.receive(
      id: "c1", applicant: "u9", kind: .unit, tier: "member", previousLeaving: nil,
      parentMembership: nil,
      profile: Charters.dtpc, context: try Fixtures.context("2024-03-04"))
    #expect(received.state.stage == .awaiting(step: 1))
    #expect {
      try received.state.apply(
        .filed(body: "joint_meeting"), profile: Charters.dtpc,
        context: try Fixtures.context("2024-03-05"))
    } throws: { refused("DTPC art. 11", "stepOutOfOrder")($0) }
    let reviewed = try received.state.apply(
      .preliminaryReview(passed: true, reasons: nil), profile: Charters.dtpc,
      context: try Fixtures.context("2024-03-05"))
    let filed = try reviewed.state.apply(
      .filed(body: "joint_meeting"), profile: Charters.dtpc,
      context: try Fixtures.context("2024-03-06"))
    #expect(filed.state.stage == .admitted(on: try Fixtures.day("2024-03-06")))
    #expect(filed.facts.map(\.kind) == [.admissionFiled, .memberAdmitted])
    #expect(filed.state.admittedMember()?.standing == .inGoodStanding)
  }
}

@Suite("AII art. 11")
struct AII_11 {
  @Test func aii_11_standingCouncilDecidesAfterReview() throws {
    let received = try MembershipApplication.receive(
      id: "c1", applicant: "u9", kind: .unit, tier: "ordinary", previousLeaving: nil,
      parentMembership: nil,
      profile: Charters.aii, context: try Fixtures.context("2024-03-04"))
    let reviewed = try received.state.apply(
      .preliminaryReview(passed: true, reasons: nil), profile: Charters.aii,
      context: try Fixtures.context("2024-03-05"))
    #expect(reviewed.state.admittedMember() == nil)
    #expect {
      try reviewed.state.apply(
        .bodyDecided(body: "secretariat", approved: true, reasons: nil), profile: Charters.aii,
        context: try Fixtures.context("2024-03-06"))
    } throws: { refused("AII art. 11", "wrongBody")($0) }
    let decided = try reviewed.state.apply(
      .bodyDecided(body: "standing_council", approved: true, reasons: nil), profile: Charters.aii,
      context: try Fixtures.context("2024-03-06"))
    #expect(
      decided.decision
        == Decision("memberAdmitted", Article("AII art. 11"), profile: Charters.aii.stamp))
  }

  @Test func aii_11_refusalNeedsReasons() throws {
    let received = try MembershipApplication.receive(
      id: "c1", applicant: "u9", kind: .unit, tier: "ordinary", previousLeaving: nil,
      parentMembership: nil,
      profile: Charters.aii, context: try Fixtures.context("2024-03-04"))
    #expect(throws: Refusal.self) {
      try received.state.apply(
        .preliminaryReview(passed: false, reasons: ""), profile: Charters.aii,
        context: try Fixtures.context("2024-03-05"))
    }
    let t = try received.state.apply(
      .preliminaryReview(passed: false, reasons: "未依法登记"), profile: Charters.aii,
      context: try Fixtures.context("2024-03-05"))
    #expect(t.facts.first?.kind == .applicationRejected)
  }
}

@Suite("tjsia-ai §2")
struct TJSIA_2 {
  @Test func tjsia_2_unitMustBeParentMember() throws {
    for answer in [false, nil] as [Bool?] {
      #expect {
        try MembershipApplication.receive(
          id: "c1", applicant: "u9", kind: .unit, tier: "member", previousLeaving: nil,
          parentMembership: answer,
          profile: Charters.tjsiaAI, context: try Fixtures.context("2024-03-04"))
      } throws: { error in (error as? Refusal)?.article == Article("tjsia-ai §2") }
    }
    let ok = try MembershipApplication.receive(
      id: "c1", applicant: "u9", kind: .unit, tier: "member", previousLeaving: nil,
      parentMembership: true,
      profile: Charters.tjsiaAI, context: try Fixtures.context("2024-03-04"))
    #expect(ok.state.stage == .awaiting(step: 2))
  }

  @Test func tjsia_2_individualExpertNeedsNoParentMembership() throws {
    let t = try MembershipApplication.receive(
      id: "c2", applicant: "expert-1", kind: .individual, tier: "member", previousLeaving: nil,
      parentMembership: nil,
      profile: Charters.tjsiaAI, context: try Fixtures.context("2024-03-04"))
    #expect(t.facts.first?.kind == .applicationReceived)
  }
}

@Suite("DTPC art. 15")
struct DTPC_15 {
  @Test func dtpc_15_suspendedMemberKeepsMembershipButLosesStanding() throws {
    let t = try member("member").apply(
      .sanction(.suspension, decidedBy: "secretariat", reasons: "未履行义务"), profile: Charters.dtpc,
      context: try Fixtures.context("2024-03-04"))
    #expect(t.state.standing == .suspended)
    #expect(t.state.isMember)
    #expect(t.notices.first?.recipients.contains(.body("joint_meeting")) == true)
    #expect(t.decision.article == Article("DTPC art. 15"))
  }

  @Test func dtpc_15_sanctionByWrongBodyRefused() throws {
    #expect {
      try member("member").apply(
        .sanction(.warning, decidedBy: "council", reasons: "x"), profile: Charters.dtpc,
        context: try Fixtures.context("2024-03-04"))
    } throws: { refused("DTPC art. 15", "wrongBody")($0) }
  }

  @Test func dtpc_15_expulsionEndsMembership() throws {
    let t = try member("member").apply(
      .sanction(.expulsion, decidedBy: "secretariat", reasons: "严重违反章程"), profile: Charters.dtpc,
      context: try Fixtures.context("2024-03-04"))
    #expect(t.state.status == .left(.expulsion, on: try Fixtures.day("2024-03-04")))
    #expect(t.facts.map(\.kind) == [.sanctionImposed, .membershipEnded])
  }

  @Test func dtpc_15_publicCriticismIsAnnouncedToAllMembers() throws {
    let t = try member("member").apply(
      .sanction(.publicCriticism, decidedBy: "secretariat", reasons: "x"), profile: Charters.dtpc,
      context: try Fixtures.context("2024-03-04"))
    #expect(t.notices.first?.recipients.contains(.allMembers) == true)
    #expect(t.state.standing == .inGoodStanding)
  }
}

@Suite("DTPC art. 16")
struct DTPC_16 {
  /// Notice on Monday 2024-03-04: day 30 is Wednesday 3 April, a working day.
  @Test func dtpc_16_exitEffectiveThirtyDaysAfterNotice() throws {
    let t = try member("member").apply(
      .exitNoticeReceived, profile: Charters.dtpc, context: try Fixtures.context("2024-03-04"))
    let job = try #require(t.jobs.first)
    #expect(job.kind == .exitEffective)
    #expect(job.dueDay == (try Fixtures.day("2024-04-03")))
    #expect(job.key == "exit-effective:u1")
    #expect(job.article == Article("DTPC art. 16(1)"))
    #expect(
      t.state.status
        == .exitPending(
          noticeOn: try Fixtures.day("2024-03-04"), effective: try Fixtures.day("2024-04-03")))
    #expect(t.state.standing == .inGoodStanding)
  }

  @Test func dtpc_16_exitTakesEffectOnlyOnItsDay() throws {
    let pending = try member("member").apply(
      .exitNoticeReceived, profile: Charters.dtpc, context: try Fixtures.context("2024-03-04"))
    #expect {
      try pending.state.apply(
        .exitEffectiveReached, profile: Charters.dtpc, context: try Fixtures.context("2024-04-02"))
    } throws: { refused("DTPC art. 16(1)", "exitNotYetEffective")($0) }
    let t = try pending.state.apply(
      .exitEffectiveReached, profile: Charters.dtpc, context: try Fixtures.context("2024-04-03"))
    #expect(t.state.status == .left(.voluntaryExit, on: try Fixtures.day("2024-04-03")))
    let announcement = try #require(t.notices.first)
    #expect(announcement.recipients.contains(.allMembers))
    #expect(announcement.recipients.contains(.body("joint_meeting")))
  }

  @Test func dtpc_16_repeatedExitNoticeRefused() throws {
    let pending = try member("member").apply(
      .exitNoticeReceived, profile: Charters.dtpc, context: try Fixtures.context("2024-03-04"))
    #expect(throws: Refusal.self) {
      try pending.state.apply(
        .exitNoticeReceived, profile: Charters.dtpc, context: try Fixtures.context("2024-03-05"))
    }
  }

  @Test func dtpc_16_3_licenceRevocationEndsMembershipAtOnce() throws {
    let pending = try member("member").apply(
      .exitNoticeReceived, profile: Charters.dtpc, context: try Fixtures.context("2024-03-04"))
    let t = try pending.state.apply(
      .licenceRevoked, profile: Charters.dtpc, context: try Fixtures.context("2024-03-10"))
    #expect(t.state.status == .left(.licenceRevocation, on: try Fixtures.day("2024-03-10")))
    #expect(t.decision.article == Article("DTPC art. 16(3)"))
    #expect(t.cancelledJobKeys.contains("exit-effective:u1"))
  }

  @Test func dtpc_16_2_inactivityExitAfterTwoYears() throws {
    let active = try member("member").apply(
      .activityRecorded, profile: Charters.dtpc, context: try Fixtures.context("2022-03-01"))
    let job = try #require(active.jobs.first)
    #expect(job.kind == .inactivityExit)
    #expect(job.dueDay == (try Fixtures.day("2024-03-01")))
    #expect(job.key == "inactivity-exit:u1")
    let early = try active.state.apply(
      .inactivityCheck, profile: Charters.dtpc, context: try Fixtures.context("2024-02-29"))
    #expect(early.state.isMember)
    let due = try active.state.apply(
      .inactivityCheck, profile: Charters.dtpc, context: try Fixtures.context("2024-03-01"))
    #expect(due.state.status == .left(.automaticExit, on: try Fixtures.day("2024-03-01")))
    #expect(due.decision.article == Article("DTPC art. 16(2)"))
  }

  @Test func dtpc_16_6_rejoinRefused() throws {
    for how in LeavingKind.allCases {
      #expect {
        try MembershipApplication.receive(
          id: "c1", applicant: "u1", kind: .unit, tier: "member",
          previousLeaving: .init(kind: how, on: try Fixtures.day("2020-05-01")),
          parentMembership: nil,
          profile: Charters.dtpc, context: try Fixtures.context("2024-03-04"))
      } throws: { refused("DTPC art. 16(6)", "rejoinBanned")($0) }
    }
  }

  @Test func aii_15_rejoinAllowedWhereCharterIsSilent() throws {
    let t = try MembershipApplication.receive(
      id: "c1", applicant: "u1", kind: .unit, tier: "ordinary",
      previousLeaving: .init(kind: .voluntaryExit, on: try Fixtures.day("2020-05-01")),
      parentMembership: nil,
      profile: Charters.aii, context: try Fixtures.context("2024-03-04"))
    #expect(t.facts.first?.kind == .applicationReceived)
  }
}

@Suite("AII art. 15")
struct AII_15 {
  @Test func aii_15_1_exitEndsWithoutNoticePeriod() throws {
    let t = try member("ordinary").apply(
      .exitNoticeReceived, profile: Charters.aii, context: try Fixtures.context("2024-03-04"))
    #expect(t.state.status == .left(.voluntaryExit, on: try Fixtures.day("2024-03-04")))
    #expect(t.jobs.isEmpty)
    #expect(t.decision.article == Article("AII art. 15(1)"))
  }
}

@Suite("AII art. 13")
struct AII_13 {
  private func council(_ m: MemberRecord, _ status: AttendanceStatus, _ iso: String) throws
    -> Transition<MemberRecord>
  {
    try m.apply(
      .attendanceRecorded(body: "council", status: status), profile: Charters.aii,
      context: try Fixtures.context(iso))
  }

  @Test func aii_13_downgradeAfterThirdConsecutiveCouncilAbsence() throws {
    let one = try council(try member("vice_chair"), .absent, "2024-01-10")
    let two = try council(one.state, .excused, "2024-04-10")
    #expect(two.state.tier == "vice_chair")
    let three = try council(two.state, .absent, "2024-07-10")
    #expect(three.state.tier == "director")
    #expect(
      three.decision == Decision("downgraded", Article("AII art. 13"), profile: Charters.aii.stamp))
    #expect(three.facts.first?.details["cause"] == "absence")
    #expect(three.state.absenceStreaks["council"] == 0)
  }

  @Test func aii_13_attendanceBreaksTheStreak() throws {
    var m = try member("director")
    for status in [AttendanceStatus.absent, .absent, .proxy(holder: "u2"), .absent, .absent] {
      m = try council(m, status, "2024-01-10").state
    }
    #expect(m.tier == "director")
  }

  @Test func aii_13_ordinaryMembersAreNotSubject() throws {
    var m = try member("ordinary")
    for _ in 0..<4 { m = try council(m, .absent, "2024-01-10").state }
    #expect(m.tier == "ordinary")
  }
}

@Suite("DTPC art. 19")
struct DTPC_19 {
  private func joint(_ m: MemberRecord, _ status: AttendanceStatus) throws -> Transition<
    MemberRecord
  > {
    try m.apply(
      .attendanceRecorded(body: "joint_meeting", status: status), profile: Charters.dtpc,
      context: try Fixtures.context("2024-06-03"))
  }

  @Test func dtpc_19_seatLostAfterThreeUnexcusedAbsences() throws {
    var m = try member("director", seats: ["joint_meeting"])
    m = try joint(m, .absent).state
    m = try joint(m, .absent).state
    let t = try joint(m, .absent)
    #expect(!t.state.seats.contains("joint_meeting"))
    #expect(
      t.decision == Decision("seatLost", Article("DTPC art. 19"), profile: Charters.dtpc.stamp))
    #expect(t.state.isMember)
  }

  @Test func dtpc_19_excusedAbsenceDoesNotBreakStreak() throws {
    var m = try member("director", seats: ["joint_meeting"])
    m = try joint(m, .absent).state
    m = try joint(m, .absent).state
    m = try joint(m, .excused).state
    #expect(m.absenceStreaks["joint_meeting"] == 2)
    #expect(m.seats.contains("joint_meeting"))
    let t = try joint(m, .absent)
    #expect(!t.state.seats.contains("joint_meeting"))
  }
}

extension DTPC_15 {
  @Test func dtpc_15_suspendedMemberMayStillGiveExitNotice() throws {
    let suspended = try member("member").apply(
      .sanction(.suspension, decidedBy: "secretariat", reasons: "x"), profile: Charters.dtpc,
      context: try Fixtures.context("2024-03-04"))
    let t = try suspended.state.apply(
      .exitNoticeReceived, profile: Charters.dtpc, context: try Fixtures.context("2024-03-05"))
    #expect(t.jobs.first?.kind == .exitEffective)
    #expect(t.state.standing == .suspended)
  }
}

@Suite("AII art. 16")
struct AII_16 {
  @Test func aii_16_expulsionNeedsPassedCouncilVote() throws {
    let aii = try ProfileFixtures.profile("aii")
    let m = try member("director")
    let ctx = try Fixtures.context("2024-03-04")
    #expect {
      try m.apply(
        .sanction(.expulsion, decidedBy: "secretariat", reasons: "x", vote: .passed), profile: aii,
        context: ctx)
    } throws: { refused("AII art. 16", "wrongBody")($0) }
    #expect {
      try m.apply(
        .sanction(.expulsion, decidedBy: "council", reasons: "x", vote: .failed), profile: aii,
        context: ctx)
    } throws: { refused("AII art. 16", "votePassRequired")($0) }
    #expect {
      try m.apply(
        .sanction(.warning, decidedBy: "council", reasons: "x", vote: .passed), profile: aii,
        context: ctx)
    } throws: { refused("AII art. 16", "measureNotInCharter")($0) }
    let t = try m.apply(
      .sanction(.expulsion, decidedBy: "council", reasons: "严重违反章程", vote: .passed), profile: aii,
      context: ctx)
    #expect(t.state.status == .left(.expulsion, on: try Fixtures.day("2024-03-04")))
  }
}
