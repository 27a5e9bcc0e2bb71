import CharterCalendar
import Foundation
import Testing

@testable import CharterGovernance

private func refused(_ article: String, _ code: String) -> (any Error) -> Bool {
  { error in (error as? Refusal)?.article.citation == article && (error as? Refusal)?.code == code }
}

/// Nine seats u1…u9; `present` of them attend (the first by proxy), the rest are absent.
private func motion(
  present: Int, yes: Int, secret: Bool = false, standing: [MemberID: MemberStanding] = [:]
) throws -> Meeting.Motion {
  let seats = (1...9).map { MemberID("u\($0)") }
  var entries: [MemberID: AttendanceStatus] = [:]
  for (i, id) in seats.enumerated() {
    entries[id] = i < present ? (i == 0 ? .proxy(holder: "u2") : .present) : .absent
  }
  let voters = Array(seats.prefix(present))
  let ballot: Ballot<MemberID>
  if secret {
    var b = SecretBallot<MemberID>()
    for (i, v) in voters.enumerated() { try b.cast(i < yes ? .yes : .no, by: v) }
    ballot = .secret(b)
  } else {
    var b = try RecordedBallot<MemberID>(kind: .named)
    for (i, v) in voters.enumerated() { try b.cast(i < yes ? .yes : .no, by: v) }
    ballot = .recorded(b)
  }
  return Meeting.Motion(
    id: "m-1", seats: seats.count, attendance: Attendance(entries), ballot: ballot,
    standing: standing.isEmpty
      ? Dictionary(uniqueKeysWithValues: seats.map { ($0, .inGoodStanding) }) : standing)
}

private func noticedMeeting(_ profile: CharterProfile, body: String) throws -> Meeting {
  let scheduled = try Meeting.schedule(
    id: "mt-1", body: body, on: try Fixtures.day("2024-06-20"), profile: profile,
    context: try Fixtures.context("2024-06-01"))
  return try scheduled.state.apply(
    .noticeSent, profile: profile, context: try Fixtures.context("2024-06-03")
  ).state
}

@Suite("DTPC art. 20")
struct DTPC_20 {
  @Test func dtpc_20_noticeDueFifteenDaysBeforeMeeting() throws {
    let t = try Meeting.schedule(
      id: "mt-1", body: "joint_meeting", on: try Fixtures.day("2024-06-20"), profile: Charters.dtpc,
      context: try Fixtures.context("2024-06-01"))
    let job = try #require(t.jobs.first)
    #expect(job.kind == .meetingNotice)
    #expect(job.dueDay == (try Fixtures.day("2024-06-05")))
    #expect(job.key == "meeting-notice:mt-1")
    #expect(job.article == Article("DTPC art. 20"))
  }

  @Test func dtpc_20_meetingRefusedWhenNoticeCanNoLongerBeMet() throws {
    #expect {
      try Meeting.schedule(
        id: "mt-1", body: "joint_meeting", on: try Fixtures.day("2024-06-20"),
        profile: Charters.dtpc,
        context: try Fixtures.context("2024-06-06"))
    } throws: { refused("DTPC art. 20", "noticePeriodCannotBeMet")($0) }
  }

  @Test func dtpc_20_overrideWithReasonIsRecorded() throws {
    let t = try Meeting.schedule(
      id: "mt-1", body: "joint_meeting", on: try Fixtures.day("2024-06-20"),
      overrideReason: "紧急事项：主管部门限期答复",
      profile: Charters.dtpc, context: try Fixtures.context("2024-06-06"))
    #expect(t.state.noticeOverride == "紧急事项：主管部门限期答复")
    #expect(t.facts.map(\.kind) == [.meetingScheduled, .meetingNoticeOverridden])
    #expect(t.jobs.isEmpty)
  }

  @Test func dtpc_20_voteRefusedWithoutTimelyNotice() throws {
    let scheduled = try Meeting.schedule(
      id: "mt-1", body: "joint_meeting", on: try Fixtures.day("2024-06-20"), profile: Charters.dtpc,
      context: try Fixtures.context("2024-06-01"))
    let late = try scheduled.state.apply(
      .noticeSent, profile: Charters.dtpc, context: try Fixtures.context("2024-06-07"))
    #expect(late.warnings.map(\.code) == ["noticeLate"])
    #expect {
      try late.state.apply(
        .motionVoted(try motion(present: 9, yes: 9)), profile: Charters.dtpc,
        context: try Fixtures.context("2024-06-20"))
    } throws: { refused("DTPC art. 20", "noticeNotGiven")($0) }
  }

  /// Nine seats: 6 present is exactly 2/3 (以上 includes it); 3 yes of 6 is exactly 1/2.
  @Test func dtpc_20_quorumAndPassAtExactFractions() throws {
    let meeting = try noticedMeeting(Charters.dtpc, body: "joint_meeting")
    let t = try meeting.apply(
      .motionVoted(try motion(present: 6, yes: 3)), profile: Charters.dtpc,
      context: try Fixtures.context("2024-06-20"))
    #expect(t.decision == Decision("passed", Article("DTPC art. 20"), profile: Charters.dtpc.stamp))
    #expect(t.facts.first?.details["present"] == "6")
    #expect(t.facts.first?.details["yesNeeded"] == "3")
    let fail = try meeting.apply(
      .motionVoted(try motion(present: 6, yes: 2)), profile: Charters.dtpc,
      context: try Fixtures.context("2024-06-20"))
    #expect(fail.decision.code == "failed")
    let noQuorum = try meeting.apply(
      .motionVoted(try motion(present: 5, yes: 5)), profile: Charters.dtpc,
      context: try Fixtures.context("2024-06-20"))
    #expect(
      noQuorum.decision
        == Decision("no_quorum", Article("DTPC art. 20"), profile: Charters.dtpc.stamp))
  }

  @Test func dtpc_15_suspendedMemberMayNotVote() throws {
    let meeting = try noticedMeeting(Charters.dtpc, body: "joint_meeting")
    var standing = Dictionary(
      uniqueKeysWithValues: (1...9).map { (MemberID("u\($0)"), MemberStanding.inGoodStanding) })
    standing["u3"] = .suspended
    #expect {
      try meeting.apply(
        .motionVoted(try motion(present: 6, yes: 3, standing: standing)), profile: Charters.dtpc,
        context: try Fixtures.context("2024-06-20"))
    } throws: { refused("DTPC art. 15", "suspendedMayNotVote")($0) }
  }
}

@Suite("AII art. 23")
struct AII_23 {
  @Test func aii_23_councilPassesWithTwoThirdsOfPresent() throws {
    let scheduled = try Meeting.schedule(
      id: "c-1", body: "council", on: try Fixtures.day("2024-06-20"), profile: Charters.aii,
      context: try Fixtures.context("2024-06-19"))
    #expect(scheduled.jobs.isEmpty)
    let pass = try scheduled.state.apply(
      .motionVoted(try motion(present: 6, yes: 4)), profile: Charters.aii,
      context: try Fixtures.context("2024-06-20"))
    #expect(
      pass.decision == Decision("passed", Article("AII art. 23"), profile: Charters.aii.stamp))
    let fail = try scheduled.state.apply(
      .motionVoted(try motion(present: 9, yes: 5)), profile: Charters.aii,
      context: try Fixtures.context("2024-06-20"))
    #expect(fail.decision.code == "failed")
  }

  @Test func aii_23_secretBallotRecordsTurnoutNotChoices() throws {
    let scheduled = try Meeting.schedule(
      id: "c-1", body: "council", on: try Fixtures.day("2024-06-20"), profile: Charters.aii,
      context: try Fixtures.context("2024-06-19"))
    let t = try scheduled.state.apply(
      .motionVoted(try motion(present: 7, yes: 5, secret: true)), profile: Charters.aii,
      context: try Fixtures.context("2024-06-20"))
    let details = try #require(t.facts.first?.details)
    #expect(details["choices"] == nil)
    #expect(details["turnout"]?.split(separator: ",").count == 7)
    #expect(details["yes"] == "5")
  }

  @Test func aii_23_namedBallotRecordsEachChoice() throws {
    let scheduled = try Meeting.schedule(
      id: "c-1", body: "council", on: try Fixtures.day("2024-06-20"), profile: Charters.aii,
      context: try Fixtures.context("2024-06-19"))
    let t = try scheduled.state.apply(
      .motionVoted(try motion(present: 7, yes: 5)), profile: Charters.aii,
      context: try Fixtures.context("2024-06-20"))
    #expect(t.facts.first?.details["choices"]?.contains("u1=yes") == true)
  }

  @Test func aii_23_councilBelowYearlyMinimumWarnsInDecember() throws {
    let council = try #require(Charters.aii.body("council"))
    let lead = Ruled(30, Article("AII art. 23"))
    let june = try #require(
      MinimumMeetingsCheck.check(
        body: council, subject: .body("council"), held: 0, leadDaysPerMeeting: lead,
        profile: Charters.aii, context: try Fixtures.context("2024-06-01")))
    #expect(june.notices.isEmpty)
    #expect(june.jobs.first?.dueDay == (try Fixtures.day("2024-12-01")))
    #expect(june.jobs.first?.kind == .minimumMeetings)
    let december = try #require(
      MinimumMeetingsCheck.check(
        body: council, subject: .body("council"), held: 0, leadDaysPerMeeting: lead,
        profile: Charters.aii, context: try Fixtures.context("2024-12-05")))
    #expect(december.notices.map(\.kind) == [.warning])
    #expect(december.notices.first?.article == Article("AII art. 23"))
    let met = try #require(
      MinimumMeetingsCheck.check(
        body: council, subject: .body("council"), held: 1, leadDaysPerMeeting: lead,
        profile: Charters.aii, context: try Fixtures.context("2024-12-05")))
    #expect(met.notices.isEmpty && met.jobs.isEmpty)
  }
}

@Suite("DTPC art. 27")
struct DTPC_27 {
  @Test func dtpc_27_quarterlyMinimumWarnsLateInQuarter() throws {
    let body = try #require(Charters.dtpc.body("leadership"))
    let t = try #require(
      MinimumMeetingsCheck.check(
        body: body, subject: .body("leadership"), held: 0,
        leadDaysPerMeeting: Ruled(20, Article("DTPC art. 27")), profile: Charters.dtpc,
        context: try Fixtures.context("2024-09-15")))
    #expect(t.state.periodStart == (try Fixtures.day("2024-07-01")))
    #expect(t.state.periodEnd == (try Fixtures.day("2024-09-30")))
    #expect(t.notices.first?.article == Article("DTPC art. 27"))
  }
}

@Suite("tjsia-ai §3")
struct TJSIA_3 {
  @Test func tjsia_3_twoActivitiesAYearNeeded() throws {
    let body = try #require(Charters.tjsiaAI.body("council"))
    let t = try #require(
      MinimumMeetingsCheck.check(
        body: body, subject: .body("council"), held: 1,
        leadDaysPerMeeting: Ruled(30, Article("tjsia-ai §3")), profile: Charters.tjsiaAI,
        context: try Fixtures.context("2024-12-10")))
    #expect(t.state.missing == 1)
    #expect(t.notices.first?.article == Article("tjsia-ai §3"))
  }
}

@Suite("AITISA art. 10")
struct AITISA_10 {
  /// Ten members: 5 present is exactly 1/2; 4 yes of 5 is over 2/3, 3 of 5 is under.
  @Test func aitisa_10_halfPresentAndTwoThirdsInFavour() throws {
    let profile = Fixtures.aitisaProfile
    let meeting = try Meeting.schedule(
      id: "wg-mt", body: "working_group_meeting", on: try Fixtures.day("2024-06-20"),
      profile: profile,
      context: try Fixtures.context("2024-06-10")
    ).state
    let members = (1...10).map { MemberID("g\($0)") }
    func vote(yes: Int, present: Int) throws -> Transition<Meeting> {
      var entries: [MemberID: AttendanceStatus] = [:]
      var ballot = try RecordedBallot<MemberID>(kind: .showOfHands)
      for (i, m) in members.enumerated() {
        entries[m] = i < present ? (i == 1 ? .correspondence : .present) : .excused
        if i < present { try ballot.cast(i < yes ? .yes : .abstain, by: m) }
      }
      return try meeting.apply(
        .motionVoted(
          .init(
            id: "plan", seats: 10, attendance: Attendance(entries), ballot: .recorded(ballot),
            standing: Dictionary(uniqueKeysWithValues: members.map { ($0, .inGoodStanding) }))),
        profile: profile, context: try Fixtures.context("2024-06-20"))
    }
    #expect(
      try vote(yes: 4, present: 5).decision
        == Decision("passed", Article("AITISA art. 10"), profile: profile.stamp))
    #expect(try vote(yes: 3, present: 5).decision.code == "failed")
    #expect(try vote(yes: 4, present: 4).decision.code == "no_quorum")
  }

  @Test func aitisa_10_groupBelowTwoMeetingsWarnsLeader() throws {
    let body = try #require(Fixtures.aitisaProfile.body("working_group_meeting"))
    let t = try #require(
      MinimumMeetingsCheck.check(
        body: body, subject: .workingGroup("wg-1"), held: 0,
        leadDaysPerMeeting: Ruled(30, Article("AITISA art. 10")),
        profile: Fixtures.aitisaProfile, context: try Fixtures.context("2024-11-15")))
    #expect(t.notices.first?.recipients.contains(.groupLeader("wg-1")) == true)
  }
}

@Suite("AII art. 27")
struct AII_27 {
  /// Charter amendment: at least 2/3 of the council's members (not of those present), then
  /// the general assembly.
  @Test func aii_27_amendmentPassedByCouncilGoesToGeneralAssembly() throws {
    let aii = try ProfileFixtures.profile("aii")
    let meeting = try Meeting.schedule(
      id: "c-9", body: "council", on: try Fixtures.day("2024-06-20"), profile: aii,
      context: try Fixtures.context("2024-06-01")
    ).state
    let noticed = try meeting.apply(
      .noticeSent, profile: aii, context: try Fixtures.context("2024-06-01")
    ).state
    func vote(_ base: Meeting.Motion) -> Meeting.Motion {
      var m = base
      m.matter = "charter_amendment"
      return m
    }
    let passed = try noticed.apply(
      .motionVoted(vote(try motion(present: 6, yes: 6))), profile: aii,
      context: try Fixtures.context("2024-06-20"))
    #expect(passed.decision.code == "passed")
    #expect(passed.decision.article.citation == "AII art. 27")
    #expect(passed.decision.profile == aii.stamp)
    #expect(passed.notices.first?.recipients.contains(.body("general_assembly")) == true)
    let failed = try noticed.apply(
      .motionVoted(vote(try motion(present: 9, yes: 5))), profile: aii,
      context: try Fixtures.context("2024-06-20"))
    #expect(failed.decision.code == "failed")
    #expect(failed.notices.isEmpty)
  }
}

@Suite("DTPC art. 33")
struct DTPC_33 {
  @Test func dtpc_33_fundUsePublishedEachYear() throws {
    let job = try #require(
      PeriodicObligations.fundUsePublication(
        profile: try ProfileFixtures.profile("dtpc-nmi"),
        context: try Fixtures.context("2024-03-04")))
    #expect(job.kind == .fundUsePublication)
    #expect(job.dueDay == (try Fixtures.day("2024-12-31")))
    #expect(job.key == "fund-use-publication:2024-01-01")
    #expect(job.article == Article("DTPC art. 33"))
  }
}

@Suite("zgc-ai fee rules")
struct ZGC_Fees {
  @Test func zgc_fees_reminderForTiersThatPay() throws {
    let zgc = try ProfileFixtures.profile("zgc-ai")
    let jobs = try PeriodicObligations.feeReminders(
      members: ["a": "member", "b": "director", "c": "chair"], profile: zgc,
      context: try Fixtures.context("2024-03-04"))
    #expect(jobs.map(\.key) == ["fee-reminder:a:2024-01-01", "fee-reminder:b:2024-01-01"])
    #expect(jobs.first?.kind == .feeReminder)
    #expect(jobs.first?.dueDay == (try Fixtures.day("2024-01-31")))
    #expect(
      try PeriodicObligations.feeReminders(
        members: ["a": "member"], profile: try ProfileFixtures.profile("dtpc-nmi"),
        context: try Fixtures.context("2024-03-04")
      ).isEmpty)
  }
}
