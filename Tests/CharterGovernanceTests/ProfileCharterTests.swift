import CharterCalendar
import CharterGovernance
import Foundation
import Testing

/// The five shipped profiles load, and their values match RULES.md.
@Suite struct ProfileCharterTests {
  @Test func everySeedOrganisationHasAProfile() {
    #expect(Set(ProfileFixtures.ids).isSubset(of: ProfileFixtures.shippedIDs))
  }

  @Test(arguments: ProfileFixtures.shippedIDs) func theProfileLoadsAndNamesItself(id: String) throws
  {
    let profile = try ProfileFixtures.profile(id)
    #expect(profile.id == id)
    #expect(profile.version >= 1)
    #expect(profile.timeZone == "Asia/Shanghai")
    #expect(!profile.tiers.isEmpty)
  }

  @Test func theLibraryLoadsEveryProfileByID() throws {
    let profiles = try ProfileLibrary.loadDirectory(ProfileFixtures.chartersDirectory)
    #expect(Set(profiles.keys) == Set(ProfileFixtures.shippedIDs))
  }

  /// Every parameter cites an article; interpretations are marked as such.
  @Test(arguments: ProfileFixtures.shippedIDs) func everyVotingRuleCitesAnArticle(id: String) throws
  {
    let profile = try ProfileFixtures.profile(id)
    for body in profile.bodies {
      #expect(!body.citation.article.isEmpty)
      guard let voting = body.voting else { continue }
      #expect(!voting.pass.citation.article.isEmpty)
      #expect(voting.quorum.map { !$0.citation.article.isEmpty } ?? true)
    }
  }

  // MARK: - AII

  @Test func aii_19_generalAssemblyQuorumTwoThirdsOfMembersPassHalfOfPresent() throws {
    let voting = try #require(try ProfileFixtures.profile("aii").body("general_assembly")?.voting)
    #expect(voting.quorum?.value == Threshold(.twoThirds, .inclusive, of: .members))
    #expect(voting.pass.value == Threshold(.half, .inclusive, of: .present))
    #expect(voting.quorum?.citation.article == "AII art. 19")
  }

  @Test func aii_23_councilQuorumIsTwoThirdsInclusive() throws {
    let council = try #require(try ProfileFixtures.profile("aii").body("council"))
    #expect(council.composition.value == .tiers(["director", "vice_chair", "chair"]))
    let voting = try #require(council.voting)
    #expect(voting.quorum?.value == Threshold(.twoThirds, .inclusive, of: .members))
    #expect(voting.quorum?.citation.article == "AII art. 23")
    #expect(voting.quorum?.citation.interpretation == false)
  }

  @Test func aii_23_councilPassesWithTwoThirdsOfPresent() throws {
    let council = try #require(try ProfileFixtures.profile("aii").body("council"))
    #expect(council.voting?.pass.value == Threshold(.twoThirds, .inclusive, of: .present))
    #expect(council.minimumMeetings?.value == Recurrence(count: 1, per: .year))
    #expect(council.meetingModes?.value == [.inPerson, .correspondence])
  }

  @Test func aii_24_standingCouncilFollowsTheCouncilAsAnInterpretation() throws {
    let standing = try #require(try ProfileFixtures.profile("aii").body("standing_council"))
    #expect(
      standing.composition.value
        == .postHolders(["chair", "vice_chair", "secretary_general", "deputy_secretary_general"]))
    #expect(standing.voting?.quorum?.value == Threshold(.twoThirds, .inclusive, of: .members))
    #expect(standing.voting?.quorum?.citation.interpretation == true)
  }

  @Test func aii_27_charterAmendmentNeedsTwoThirdsOfCouncilMembersThenAssembly() throws {
    let amendment = try #require(try ProfileFixtures.profile("aii").matter("charter_amendment"))
    #expect(amendment.body == "council")
    #expect(amendment.thenBody == "general_assembly")
    #expect(amendment.pass?.value == Threshold(.twoThirds, .inclusive, of: .members))
  }

  @Test func aii_13_threeMissedCouncilMeetingsDowngradeOneTier() throws {
    let profile = try ProfileFixtures.profile("aii")
    let rule = try #require(profile.membership.absence.first { $0.body == "council" })
    #expect(rule.consecutive == 3)
    #expect(rule.consequence == .downgrade(tiers: 1))
    #expect(rule.subjects == .tiers(["director", "vice_chair", "chair"]))
    #expect(rule.citation.interpretation)
    #expect(profile.tier(below: "director")?.id == "ordinary")
    #expect(profile.tier(below: "ordinary") == nil)
  }

  @Test func aii_11_admissionGoesThroughSecretariatToStandingCouncil() throws {
    let steps = try ProfileFixtures.profile("aii").membership.admission.steps
    #expect(steps.map(\.kind) == [.application, .preliminaryReview, .decision])
    #expect(steps.last?.body == "standing_council")
  }

  @Test func aii_12_onlyDirectorUnitsAndAboveProposeWorkingGroupLeaders() throws {
    let profile = try ProfileFixtures.profile("aii")
    #expect(profile.tiers.map(\.id) == ["ordinary", "director", "vice_chair", "chair"])
    #expect(profile.tier("ordinary")?.rights.contains(.proposeWorkingGroupLeader) == false)
    #expect(profile.tier("director")?.rights.contains(.proposeWorkingGroupLeader) == true)
    #expect(profile.tier("director")?.rights.contains(.recommendCouncilRepresentative) == true)
    #expect(profile.tier("vice_chair")?.rights.contains(.nominateOfficers) == true)
  }

  @Test func aii_16_expulsionByVoteOfCouncilOrStandingCouncil() throws {
    let ladder = try #require(try ProfileFixtures.profile("aii").membership.discipline)
    #expect(ladder.steps.map(\.value) == [.expulsion])
    #expect(ladder.decidedBy == ["council", "standing_council"])
    #expect(ladder.byVote)
  }

  // MARK: - DTPC-NMI

  @Test func dtpc_20_jointMeetingNeedsFifteenDaysNotice() throws {
    let joint = try #require(try ProfileFixtures.profile("dtpc-nmi").body("joint_meeting"))
    #expect(joint.notice?.value == .calendarDays(15))
    #expect(joint.notice?.citation.article == "DTPC art. 20")
    #expect(joint.voting?.quorum?.value == Threshold(.twoThirds, .inclusive, of: .members))
    #expect(joint.voting?.pass.value == Threshold(.half, .inclusive, of: .present))
    #expect(joint.composition.value == .tiers(["director", "vice_director"]))
  }

  @Test func dtpc_16_1_exitNoticeIsThirtyDays() throws {
    let exit = try ProfileFixtures.profile("dtpc-nmi").membership.exit
    #expect(exit.notice?.value == .calendarDays(30))
    #expect(exit.notice?.citation.article == "DTPC art. 16(1)")
    #expect(exit.filedWith == "joint_meeting")
    #expect(exit.announced?.value == true)
  }

  @Test func dtpc_16_2_twoYearsInactiveIsDeemedExit() throws {
    let inactivity = try #require(try ProfileFixtures.profile("dtpc-nmi").membership.inactivity)
    #expect(inactivity.value == InactivityRule(years: 2))
  }

  @Test func dtpc_16_6_aUnitThatLeftMayNeverRejoin() throws {
    let rejoin = try ProfileFixtures.profile("dtpc-nmi").membership.rejoin
    #expect(rejoin.value.policy == .never)
    #expect(rejoin.value.appliesTo == Set(LeavingKind.allCases))
    #expect(rejoin.citation.interpretation)
  }

  @Test func dtpc_19_threeUnexcusedAbsencesLoseTheSeat() throws {
    let rule = try #require(try ProfileFixtures.profile("dtpc-nmi").membership.absence.first)
    #expect(rule.body == "joint_meeting")
    #expect(rule.consecutive == 3)
    #expect(rule.excusedCounts == false)
    #expect(rule.consequence == .lossOfSeat)
  }

  @Test func dtpc_15_disciplineLadderFromWarningToExpulsion() throws {
    let ladder = try #require(try ProfileFixtures.profile("dtpc-nmi").membership.discipline)
    #expect(ladder.steps.map(\.value) == [.warning, .publicCriticism, .suspension, .expulsion])
    #expect(ladder.decidedBy == ["secretariat"])
    #expect(ladder.filedWith == "joint_meeting")
    #expect(ladder.suspension?.value.mayVote == false)
    #expect(ladder.suspension?.value.receivesNotices == true)
  }

  @Test func dtpc_22_secretariatHasOneSecretaryGeneralAndSevenDeputies() throws {
    let profile = try ProfileFixtures.profile("dtpc-nmi")
    #expect(profile.post("secretary_general")?.cap?.value == 1)
    #expect(profile.post("deputy_secretary_general")?.cap?.value == 7)
    #expect(profile.post("working_group_leader")?.cap?.value == 1)
    #expect(profile.post("working_group_deputy_leader")?.cap?.value == 3)
    #expect(profile.post("expert_committee_vice_chair")?.cap?.value == 7)
  }

  @Test func dtpc_12_directorUnitsAreElectedEveryFiveYears() throws {
    let director = try #require(try ProfileFixtures.profile("dtpc-nmi").tier("director"))
    #expect(director.term?.value == .years(5))
    #expect(director.electedBy == "joint_meeting")
  }

  @Test func dtpc_27_leadershipMeetsAtLeastOnceAQuarter() throws {
    let leadership = try #require(
      try ProfileFixtures.profile("dtpc-nmi").body("leadership_meeting"))
    #expect(leadership.minimumMeetings?.value == Recurrence(count: 1, per: .quarter))
    #expect(leadership.voting == nil)
  }

  @Test func dtpc_28_33_noAnnualFeeAndYearlyFundUsePublication() throws {
    let profile = try ProfileFixtures.profile("dtpc-nmi")
    #expect(profile.fees?.value == FeePolicy.none)
    #expect(profile.fundUsePublication?.value == Recurrence(count: 1, per: .year))
    #expect(profile.fundUsePublication?.citation.article == "DTPC art. 33")
  }

  // MARK: - AITISA

  @Test func aitisa_10_workingGroupMeetingNeedsHalfPresentAndTwoThirdsInFavour() throws {
    let profile = try ProfileFixtures.profile("aitisa")
    let meetingBody = try #require(profile.workingGroups?.meetingBody)
    let meeting = try #require(profile.body(meetingBody))
    #expect(meeting.voting?.quorum?.value == Threshold(.half, .inclusive, of: .members))
    #expect(meeting.voting?.pass.value == Threshold(.twoThirds, .inclusive, of: .present))
    #expect(meeting.minimumMeetings?.value == Recurrence(count: 2, per: .year))
    #expect(meeting.voting?.proxyCountsAsPresent.value == true)
    #expect(meeting.voting?.proxyCountsAsPresent.citation.interpretation == true)
  }

  @Test func aitisa_4_2_reviewNoticeWithinTenWorkingDays() throws {
    let rules = try #require(try ProfileFixtures.profile("aitisa").workingGroups)
    #expect(rules.reviewNotice?.value == .workingDays(10))
    #expect(rules.rejectionNotice?.value == .calendarDays(10))
    #expect(rules.foundingMinimum?.value == 5)
    #expect(rules.approvingBody?.value == "chair_office")
  }

  @Test func aitisa_6_dissolutionNoticeAndObjectionWindowAreTenDays() throws {
    let rules = try #require(try ProfileFixtures.profile("aitisa").workingGroups)
    #expect(rules.dissolutionNotice?.value == .calendarDays(10))
    #expect(rules.dissolutionObjectionWindow?.value == .calendarDays(10))
    #expect(rules.dissolutionRequest?.value == Threshold(.half, .inclusive, of: .members))
  }

  @Test func aitisa_7_6_twoAbsencesRemindThreeLeaveTheGroup() throws {
    let rules = try ProfileFixtures.profile("aitisa").membership.absenceRules(
      for: "working_group_meeting")
    #expect(rules.map(\.consecutive) == [2, 3])
    #expect(rules.map(\.consequence) == [.reminder, .automaticExit])
    #expect(rules.allSatisfy { $0.body == "working_group_meeting" && $0.proxyCountsAsPresent })
  }

  @Test func aitisa_7_oneLeaderPerGroupAndAtLeastFiveMembers() throws {
    let profile = try ProfileFixtures.profile("aitisa")
    let rules = try #require(profile.workingGroups)
    #expect(rules.minimumMembers?.value == 5)
    #expect(rules.oneLeadershipPerPerson?.value == true)
    #expect(rules.onePostPerUnitPerGroup?.value == true)
    #expect(rules.joiningApprovedBy?.value == "working_group_leader")
    #expect(profile.post("working_group_leader")?.cap?.value == 1)
    #expect(profile.post("working_group_co_leader")?.cap == nil)
  }

  @Test func aitisa_11_annualEvaluationApprovedByTheChairsOffice() throws {
    let evaluation = try #require(
      try ProfileFixtures.profile("aitisa").workingGroups?.annualEvaluation)
    #expect(
      evaluation.value
        == EvaluationRules(
          per: .year, evaluatedBy: "secretariat", approvedBy: "chair_office", published: true))
  }

  // MARK: - tjsia-ai

  @Test func tjsiaAi_5_chairServesAtMostTwoConsecutiveParentTerms() throws {
    let profile = try ProfileFixtures.profile("tjsia-ai")
    for id in ["chair", "vice_chair"] {
      let post = try #require(profile.post(id))
      #expect(post.maxConsecutiveTerms?.value == 2)
      #expect(post.term?.value == .parentTerm)
    }
  }

  @Test func tjsiaAi_5_agesSeventyForChairsSixtyFiveForDirectors() throws {
    let profile = try ProfileFixtures.profile("tjsia-ai")
    #expect(profile.post("chair")?.maximumAge?.value == 70)
    #expect(profile.post("vice_chair")?.maximumAge?.value == 70)
    #expect(profile.post("director")?.maximumAge?.value == 65)
    #expect(profile.post("secretary_general")?.appointedBy == "chair")
  }

  @Test func tjsiaAi_2_unitsMustBelongToTheParentAssociation() throws {
    let membership = try ProfileFixtures.profile("tjsia-ai").membership
    #expect(membership.kinds.value == [.unit, .individual])
    #expect(membership.parent?.appliesTo == [.unit])
    #expect(membership.parent?.profileId == "tjsia")
    #expect(membership.admission.steps.first?.kind == .parentMembershipCheck)
  }

  @Test func tjsiaAi_3_atLeastTwoExchangeActivitiesAYear() throws {
    let activities = try #require(
      try ProfileFixtures.profile("tjsia-ai").body("exchange_activities"))
    #expect(activities.minimumMeetings?.value == Recurrence(count: 2, per: .year))
  }

  // MARK: - zgc-ai

  @Test func zgcAi_report_feeRulesAndElectionsBySecretBallot() throws {
    let profile = try ProfileFixtures.profile("zgc-ai")
    #expect(profile.matter("fee_rules")?.ballot?.value == .secret)
    #expect(profile.matter("election")?.ballot?.value == .secret)
    #expect(profile.matter("charter_adoption")?.ballot?.value == .showOfHands)
    #expect(profile.body("general_assembly")?.defaultBallot?.value == .showOfHands)
  }

  @Test func zgcAi_report_feesPerTierAndYear() throws {
    let fees = try #require(try ProfileFixtures.profile("zgc-ai").fees)
    guard case .perTier(let schedule) = fees.value else {
      Issue.record("zgc-ai collects fees per tier")
      return
    }
    #expect(Set(schedule.annualAmountFen.keys) == ["member", "director", "vice_chair"])
    #expect(schedule.per == .year)
    #expect(fees.citation.interpretation)
  }

  @Test func zgcAi_report_officesOfTheFirstCouncilAndSupervisors() throws {
    let profile = try ProfileFixtures.profile("zgc-ai")
    #expect(profile.post("chair")?.cap?.value == 1)
    #expect(profile.post("executive_vice_chair") != nil)
    #expect(profile.post("chief_supervisor")?.cap?.value == 1)
    #expect(profile.post("secretary_general")?.requirements.isEmpty == false)
  }
}

@Suite struct ProfileLibraryTests {
  /// A directory of its own, removed after the test.
  static func withDirectory(_ files: [String: String], _ body: (URL) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("charter-profiles-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for (name, text) in files {
      try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    try body(directory)
  }

  @Test func aFileMustBeNamedAfterItsID() throws {
    let text = ProfileValidationTests.valid
    try Self.withDirectory(["demo.toml": text, "other.toml": text, "README.md": "not a profile"]) {
      directory in
      let error = try #require(throws: ProfileError.self) {
        try ProfileLibrary.loadDirectory(directory)
      }
      #expect(error.file == "charters/other.toml")
      #expect(error.line == 1)
      #expect(error.key == "id")
    }
    try Self.withDirectory(["demo.toml": text, "README.md": "not a profile"]) { directory in
      let profiles = try ProfileLibrary.loadDirectory(directory)
      #expect(profiles.keys.sorted() == ["demo"])
    }
  }

  @Test func aBrokenFileInTheDirectoryIsReportedByName() throws {
    let broken = ProfileValidationTests.breaking(line: 24, with: #"fraction = "3/2""#)
    try Self.withDirectory(["demo.toml": broken]) { directory in
      let error = try #require(throws: ProfileError.self) {
        try ProfileLibrary.loadDirectory(directory)
      }
      #expect(error.file == "charters/demo.toml")
      #expect(error.line == 24)
    }
  }
}
