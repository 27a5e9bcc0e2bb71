import CharterCalendar
import Foundation
import Testing

@testable import CharterGovernance

// Decisions record the profile version they were made under (DESIGN.md), and every decision
// and refusal names its article with the profile's [interp] mark. Each state machine family
// is run on a shipped profile as loaded (version 1) and as amended (version 2).

/// The stamps on a transition's decision, facts and jobs: one stamp when all carry the same.
private func stamps<State>(_ t: Transition<State>) -> Set<ProfileStamp?> {
  Set([t.decision.profile] + t.facts.map(\.profile) + t.jobs.map(\.profile))
}

private func versions(_ id: String) throws -> [CharterProfile] {
  [try ProfileFixtures.profile(id), try ProfileFixtures.profile(id, version: 2)]
}

@Suite("Profile version on members")
struct ProfileVersionOnMembers {
  /// DTPC art. 16(1) exit notice, DTPC art. 16(6) rejoin ban [interp].
  @Test func dtpc_16_exitDecisionAndRejoinRefusalNameTheProfileVersion() throws {
    let day = try Fixtures.day("2021-01-04")
    let member = MemberRecord(
      id: "u1", kind: .unit, tier: "member", status: .active, since: day, lastActivity: day)
    for (version, dtpc) in zip([1, 2], try versions("dtpc-nmi")) {
      let t = try member.apply(
        .exitNoticeReceived, profile: dtpc, context: try Fixtures.context("2024-03-04"))
      #expect(t.decision.profile?.id == "dtpc-nmi")
      #expect(t.decision.profile?.version == version)
      #expect(!t.facts.isEmpty && !t.jobs.isEmpty)
      #expect(stamps(t) == [dtpc.stamp])
      let refusal = #expect(throws: Refusal.self) {
        try MembershipApplication.receive(
          id: "c1", applicant: "u1", kind: .unit, tier: "member",
          previousLeaving: .init(kind: .expulsion, on: day), parentMembership: nil, profile: dtpc,
          context: try Fixtures.context("2024-03-04"))
      }
      #expect(refusal?.profile == dtpc.stamp)
      #expect(refusal?.profile?.version == version)
      #expect(refusal?.article.citation == "DTPC art. 16(6)")
      #expect(refusal?.article.interpretation == true)
      #expect(refusal?.article.note?.contains("every way of leaving") == true)
      #expect(refusal?.article.description == "DTPC art. 16(6) [interp]")
    }
  }
}

@Suite("Profile version on working groups")
struct ProfileVersionOnWorkingGroups {
  /// AITISA art. 4.1 (5 sponsors), art. 7.6 (automatic leave after 3 absences [interp]): the
  /// working-group machines take derived parameters, which carry the version.
  @Test func aitisa_4_1_and_7_6_decisionsAndRefusalsNameTheProfileVersion() throws {
    for (version, aitisa) in zip([1, 2], try versions("aitisa")) {
      let p = try WorkingGroupParameters(profile: aitisa, extensions: Fixtures.aitisaExtensions)
      #expect(p.profile == aitisa.stamp)
      let sponsors: [MemberID] = ["m1", "m2", "m3", "m4", "m5"]
      let received = try GroupApplication.receive(
        id: "app-1", proposedName: "x", sponsors: sponsors, leadUnit: "m1",
        standing: Fixtures.members("m1", "m2", "m3", "m4", "m5"), parameters: p,
        context: try Fixtures.context("2024-09-27"))
      #expect(received.decision.profile?.version == version)
      #expect(!received.facts.isEmpty && !received.jobs.isEmpty)
      #expect(stamps(received) == [aitisa.stamp])
      let refusal = #expect(throws: Refusal.self) {
        try GroupApplication.receive(
          id: "app-2", proposedName: "y", sponsors: Array(sponsors.prefix(4)), leadUnit: "m1",
          standing: Fixtures.members("m1", "m2", "m3", "m4"), parameters: p,
          context: try Fixtures.context("2024-09-27"))
      }
      #expect(refusal?.profile == aitisa.stamp)
      #expect(refusal?.article.citation == "AITISA art. 4.1")

      let joined = try Fixtures.day("2024-01-10")
      var group = WorkingGroup(
        id: "wg-1", name: "智能制造推进组", leadUnit: "m1",
        members: Dictionary(
          uniqueKeysWithValues: (sponsors + ["m6"]).map {
            ($0, WorkingGroup.Membership(joinedOn: joined))
          }))
      var last: Transition<WorkingGroup>?
      for _ in 0..<3 {
        var marks = Dictionary(
          uniqueKeysWithValues: group.members.keys.map { ($0, AttendanceStatus.present) })
        marks["m6"] = .absent
        last = try group.apply(
          .attendanceRecorded(activity: "meeting", marks: marks),
          surroundings: .init(standing: Fixtures.members("m1", "m2", "m3", "m4", "m5", "m6")),
          parameters: p, context: try Fixtures.context("2024-05-06"))
        group = try #require(last).state
      }
      let leave = try #require(last)
      #expect(leave.decision.code == "automaticLeave")
      #expect(leave.decision.article.citation == "AITISA art. 7.6")
      #expect(leave.decision.article.interpretation)
      #expect(stamps(leave) == [aitisa.stamp])
    }
  }
}

@Suite("Profile version on meetings")
struct ProfileVersionOnMeetings {
  /// DTPC art. 20 (15 days' notice), art. 15(3) (a suspended member may not vote [interp]),
  /// art. 27 (a meeting a quarter), art. 33 (fund use published yearly).
  @Test func dtpc_20_and_15_meetingDecisionsAndRefusalsNameTheProfileVersion() throws {
    for (version, dtpc) in zip([1, 2], try versions("dtpc-nmi")) {
      let scheduled = try Meeting.schedule(
        id: "mt-1", body: "joint_meeting", on: try Fixtures.day("2024-06-20"), profile: dtpc,
        context: try Fixtures.context("2024-06-01"))
      #expect(scheduled.decision.profile?.version == version)
      #expect(scheduled.jobs.map(\.kind) == [.meetingNotice])
      #expect(stamps(scheduled) == [dtpc.stamp])
      let noticed = try scheduled.state.apply(
        .noticeSent, profile: dtpc, context: try Fixtures.context("2024-06-03"))
      #expect(stamps(noticed) == [dtpc.stamp])

      let seats = (1...9).map { MemberID("u\($0)") }
      var ballot = try RecordedBallot<MemberID>(kind: .named)
      for voter in seats { try ballot.cast(.yes, by: voter) }
      var standing = Dictionary(
        uniqueKeysWithValues: seats.map { ($0, MemberStanding.inGoodStanding) })
      standing["u3"] = .suspended
      let motion = Meeting.Motion(
        id: "m-1", seats: seats.count,
        attendance: Attendance(Dictionary(uniqueKeysWithValues: seats.map { ($0, .present) })),
        ballot: .recorded(ballot), standing: standing)
      let refusal = #expect(throws: Refusal.self) {
        try noticed.state.apply(
          .motionVoted(motion), profile: dtpc, context: try Fixtures.context("2024-06-20"))
      }
      #expect(refusal?.profile == dtpc.stamp)
      #expect(refusal?.article.citation == "DTPC art. 15(3)")
      #expect(refusal?.article.interpretation == true)

      let leadership = try #require(dtpc.body("leadership_meeting"))
      let check = try #require(
        MinimumMeetingsCheck.check(
          body: leadership, subject: .body("leadership_meeting"), held: 0,
          leadDaysPerMeeting: Ruled(20, Article("DTPC art. 27")), profile: dtpc,
          context: try Fixtures.context("2024-07-01")))
      #expect(!check.jobs.isEmpty)
      #expect(stamps(check) == [dtpc.stamp])
      let publication = PeriodicObligations.fundUsePublication(
        profile: dtpc, context: try Fixtures.context("2024-07-01"))
      #expect(publication?.profile == dtpc.stamp)
    }
  }
}

extension ProfileVersionOnMeetings {
  /// zgc-ai fee rules: reminder jobs, and the refusal when the reminder day falls in a year
  /// without calendar data.
  @Test func zgc_fees_reminderJobsAndRefusalNameTheProfileVersion() throws {
    for (version, zgc) in zip([1, 2], try versions("zgc-ai")) {
      let jobs = try PeriodicObligations.feeReminders(
        members: ["a": "member", "b": "director"], profile: zgc,
        context: try Fixtures.context("2024-03-04"))
      #expect(jobs.count == 2)
      #expect(Set(jobs.map(\.profile)) == [zgc.stamp])
      #expect(jobs.first?.profile?.version == version)
      let refusal = #expect(throws: Refusal.self) {
        try PeriodicObligations.feeReminders(
          members: ["a": "member"], profile: zgc, context: try Fixtures.context("2027-03-04"))
      }
      #expect(refusal?.code == "calendarUnavailable")
      #expect(refusal?.profile == zgc.stamp)
    }
  }
}

@Suite("Profile version on offices")
struct ProfileVersionOnOffices {
  /// DTPC art. 22 (deputy secretaries-general), art. 15(3) (a suspended member may not hold
  /// office [interp]).
  @Test func dtpc_22_and_15_electionAndRefusalNameTheProfileVersion() throws {
    for (version, dtpc) in zip([1, 2], try versions("dtpc-nmi")) {
      func elect(_ standing: MemberStanding) throws -> Transition<OfficeTerm> {
        try OfficeTerm.elect(
          OfficeTerm.Candidate(
            person: "wang", unit: "u1", birthDate: try Fixtures.day("1970-05-01"),
            rank: .vicePresident, consecutiveTermsHeld: 0, standing: standing),
          to: "deputy_secretary_general", currentHolders: 0, parentTermEnd: nil, profile: dtpc,
          extensions: OfficeExtensions(), context: try Fixtures.context("2024-06-03"))
      }
      let elected = try elect(.inGoodStanding)
      #expect(elected.decision.profile?.id == "dtpc-nmi")
      #expect(elected.decision.profile?.version == version)
      #expect(!elected.facts.isEmpty)
      #expect(stamps(elected) == [dtpc.stamp])
      let refusal = #expect(throws: Refusal.self) { try elect(.suspended) }
      #expect(refusal?.code == "suspendedMayNotHoldOffice")
      #expect(refusal?.profile == dtpc.stamp)
      #expect(refusal?.article.citation == "DTPC art. 15(3)")
      #expect(refusal?.article.interpretation == true)
    }
  }
}

@Suite("Profile version on evaluations")
struct ProfileVersionOnEvaluations {
  /// AITISA art. 11; the report period is an [interp] setting of the tenant.
  @Test func aitisa_11_requestAndRefusalsNameTheProfileVersion() throws {
    let period = Article("AITISA art. 11", interpretation: true, note: "30 days to report")
    let extensions = EvaluationExtensions(
      reportPeriod: Ruled(.calendarDays(30), period), reminderLead: Ruled(7, period))
    for (version, aitisa) in zip([1, 2], try versions("aitisa")) {
      let requested = try AnnualEvaluation.request(
        group: "wg-1", year: 2024, profile: aitisa, extensions: extensions,
        context: try Fixtures.context("2024-12-02"))
      #expect(requested.decision.profile?.version == version)
      #expect(requested.jobs.count == 2)
      #expect(stamps(requested) == [aitisa.stamp])
      let early = #expect(throws: Refusal.self) {
        try requested.state.apply(
          .published, profile: aitisa, context: try Fixtures.context("2024-12-03"))
      }
      #expect(early?.profile == aitisa.stamp)
      #expect(early?.article.citation == "AITISA art. 11")
      // 30 days after 2026-12-10 falls in 2027, a year the statutory calendar has no data for.
      let noCalendar = #expect(throws: Refusal.self) {
        try AnnualEvaluation.request(
          group: "wg-1", year: 2026, profile: aitisa, extensions: extensions,
          context: try Fixtures.context("2026-12-10"))
      }
      #expect(noCalendar?.code == "calendarUnavailable")
      #expect(noCalendar?.profile == aitisa.stamp)
      #expect(noCalendar?.article == period)
    }
  }
}
