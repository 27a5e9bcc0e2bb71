import CharterGovernance
import Testing

@Suite struct VotesTallyTests {
  static func rules(_ profile: String, _ body: String) throws -> VotingRules {
    try #require(try ProfileFixtures.profile(profile).body(body)?.voting)
  }

  @Test func aii_23_councilTallyShowsItsArithmetic() throws {
    let rules = try Self.rules("aii", "council")
    let passed = try Tally.decide(
      members: 30, present: 20, counts: VoteCounts(yes: 14, no: 5, abstain: 1),
      quorum: rules.quorum,
      pass: rules.pass)
    #expect(passed.members == 30)
    #expect(passed.present == 20)
    #expect(passed.quorumNeeded == 20)
    #expect(passed.yes == 14)
    #expect(passed.yesNeeded == 14)
    #expect(passed.outcome == .passed)
    #expect(passed.quorumCitation?.article == "AII art. 23")
    #expect(passed.passCitation.article == "AII art. 23")

    let failed = try Tally.decide(
      members: 30, present: 20, counts: VoteCounts(yes: 13, no: 7), quorum: rules.quorum,
      pass: rules.pass)
    #expect(failed.outcome == .failed)

    let inquorate = try Tally.decide(
      members: 30, present: 19, counts: VoteCounts(yes: 19), quorum: rules.quorum, pass: rules.pass)
    #expect(inquorate.outcome == .noQuorum)
  }

  @Test func aii_27_amendmentCountsTwoThirdsOfAllCouncilMembers() throws {
    let profile = try ProfileFixtures.profile("aii")
    let council = try #require(profile.body("council"))
    let rules = try #require(council.votingRules(for: profile.matter("charter_amendment")))
    // 19 of 21 present is far above 2/3 of those present, but 2/3 of 30 members is 20.
    let result = try Tally.decide(
      members: 30, present: 21, counts: VoteCounts(yes: 19, no: 2), quorum: rules.quorum,
      pass: rules.pass)
    #expect(result.yesNeeded == 20)
    #expect(result.outcome == .failed)
    #expect(result.passCitation.article == "AII art. 27")
    // The council's own rule would have passed it.
    let ordinary = try #require(council.votingRules(for: nil))
    #expect(
      try Tally.decide(
        members: 30, present: 21, counts: VoteCounts(yes: 19, no: 2), quorum: ordinary.quorum,
        pass: ordinary.pass
      ).outcome == .passed)
  }

  /// Every voting body of every profile, for 1 to 100 members: one present short of quorum
  /// is "no quorum", quorum exactly is counted; one yes short of the pass mark fails.
  @Test(arguments: ProfileFixtures.shippedIDs) func tallyBoundariesOfEveryBody(_ id: String) throws
  {
    let profile = try ProfileFixtures.profile(id)
    for body in profile.bodies {
      guard let rules = body.voting else { continue }
      for members in 1...100 {
        let quorum =
          rules.quorum.map { oracleMinimum($0.value.fraction, $0.value.sense, of: members) } ?? 0
        guard quorum <= members else { continue }
        if quorum > 0 {
          let short = try Tally.decide(
            members: members, present: quorum - 1, counts: VoteCounts(yes: quorum - 1),
            quorum: rules.quorum,
            pass: rules.pass)
          #expect(
            short.outcome == .noQuorum, "\(id) \(body.id): \(quorum - 1) of \(members) present")
        }
        for present in Set([quorum, members]) where present > 0 {
          let base = rules.pass.value.base == .members ? members : present
          let needed = oracleMinimum(rules.pass.value.fraction, rules.pass.value.sense, of: base)
          guard needed <= present else { continue }
          let atMark = try Tally.decide(
            members: members, present: present,
            counts: VoteCounts(yes: needed, no: present - needed),
            quorum: rules.quorum, pass: rules.pass)
          #expect(
            atMark.outcome == .passed, "\(id) \(body.id): \(needed) yes of \(present) present")
          #expect(atMark.yesNeeded == needed)
          if needed > 0 {
            let below = try Tally.decide(
              members: members, present: present,
              counts: VoteCounts(yes: needed - 1, no: present - needed + 1),
              quorum: rules.quorum, pass: rules.pass)
            #expect(
              below.outcome == .failed, "\(id) \(body.id): \(needed - 1) yes of \(present) present")
          }
        }
      }
    }
  }

  @Test func inconsistentCountsAreRefused() throws {
    let rules = try Self.rules("aii", "council")
    #expect(throws: VoteError.self) {
      try Tally.decide(
        members: 10, present: 11, counts: VoteCounts(), quorum: rules.quorum, pass: rules.pass)
    }
    #expect(throws: VoteError.self) {
      try Tally.decide(
        members: 10, present: 5, counts: VoteCounts(yes: 6), quorum: rules.quorum, pass: rules.pass)
    }
    #expect(throws: VoteError.self) {
      try Tally.decide(
        members: 10, present: 5, counts: VoteCounts(yes: -1), quorum: rules.quorum, pass: rules.pass
      )
    }
  }
}

@Suite struct VotesAttendanceTests {
  @Test func aitisa_10_1_proxyAndCorrespondenceCountTowardsQuorum() throws {
    let rules = try VotesTallyTests.rules("aitisa", "working_group_meeting")
    let attendance = Attendance<String>([
      "A": .present, "B": .present, "C": .proxy(holder: "A"), "D": .correspondence, "E": .excused,
      "F": .absent, "G": .absent, "H": .absent, "I": .absent,
    ])
    #expect(attendance.presentCount(rules: rules) == 4)
    var ballot = try RecordedBallot<String>(kind: .named)
    try ballot.cast(.yes, by: "A")
    try ballot.cast(.yes, by: "B")
    try ballot.cast(.yes, by: "C")
    try ballot.cast(.no, by: "D")
    // 9 members: quorum needs 5 (>= 4.5); 4 present is not enough.
    let result = try Tally.decide(
      members: 9, attendance: attendance, ballot: .recorded(ballot), rules: rules)
    #expect(result.quorumNeeded == 5)
    #expect(result.outcome == .noQuorum)

    var more = attendance
    more.entries["F"] = .proxy(holder: "B")
    try ballot.cast(.yes, by: "F")
    let quorate = try Tally.decide(
      members: 9, attendance: more, ballot: .recorded(ballot), rules: rules)
    #expect(quorate.present == 5)
    #expect(quorate.yesNeeded == 4)
    #expect(quorate.outcome == .passed)
  }

  @Test func dtpc_20_correspondenceDoesNotCountAtTheJointMeeting() throws {
    let rules = try VotesTallyTests.rules("dtpc-nmi", "joint_meeting")
    let attendance = Attendance<String>([
      "A": .present, "B": .correspondence, "C": .proxy(holder: "A"),
    ])
    #expect(attendance.presentCount(rules: rules) == 2)
    var ballot = SecretBallot<String>()
    try ballot.cast(.yes, by: "B")
    #expect(throws: VoteError.voterNotPresent("B")) {
      try Tally.decide(members: 3, attendance: attendance, ballot: .secret(ballot), rules: rules)
    }
  }

  @Test func excusedAndAbsentNeverCountAsPresent() throws {
    let rules = try VotesTallyTests.rules("aii", "council")
    let attendance = Attendance<Int>([1: .excused, 2: .absent])
    #expect(attendance.presentCount(rules: rules) == 0)
    #expect(!attendance.countsAsPresent(3, rules: rules))
  }
}

@Suite struct VotesBallotTests {
  @Test func zgcAi_report_secretBallotKeepsTurnoutApartFromCounts() throws {
    var ballot = SecretBallot<String>()
    try ballot.cast(.yes, by: "A")
    try ballot.cast(.no, by: "B")
    try ballot.cast(.yes, by: "C")
    #expect(ballot.turnout == ["A", "B", "C"])
    #expect(ballot.counts == VoteCounts(yes: 2, no: 1))
    // Nothing else is stored: no value of the type can link a voter to a choice.
    let stored = Mirror(reflecting: ballot).children.map(\.label)
    #expect(stored == ["turnout", "counts"])
    #expect(Mirror(reflecting: ballot.turnout).displayStyle == .set)
  }

  @Test func aSecretBallotCannotBeRecordedByName() {
    #expect(throws: VoteError.secretBallotCannotRecordChoices) {
      try RecordedBallot<String>(kind: .secret)
    }
  }

  @Test func namedAndShowOfHandsBallotsKeepEachChoice() throws {
    for kind in [BallotKind.named, .showOfHands] {
      var ballot = try RecordedBallot<String>(kind: kind)
      try ballot.cast(.yes, by: "A")
      try ballot.cast(.abstain, by: "B")
      #expect(ballot.choices == ["A": .yes, "B": .abstain])
      #expect(Ballot.recorded(ballot).counts == VoteCounts(yes: 1, abstain: 1))
      #expect(Ballot.recorded(ballot).kind == kind)
    }
  }

  @Test func nobodyVotesTwice() throws {
    var secret = SecretBallot<String>()
    try secret.cast(.yes, by: "A")
    #expect(throws: VoteError.alreadyVoted) { try secret.cast(.no, by: "A") }
    #expect(secret.counts == VoteCounts(yes: 1))
    var named = try RecordedBallot<String>(kind: .named)
    try named.cast(.yes, by: "A")
    #expect(throws: VoteError.alreadyVoted) { try named.cast(.no, by: "A") }
    #expect(named.choices["A"] == .yes)
  }
}

@Suite struct VotesTallyDescriptionTests {
  @Test func aii_23_theMinuteShowsTheArithmeticAndTheArticle() throws {
    let rules = try VotesTallyTests.rules("aii", "council")
    let passed = try Tally.decide(
      members: 30, present: 20, counts: VoteCounts(yes: 14, no: 5, abstain: 1),
      quorum: rules.quorum, pass: rules.pass)
    #expect(
      passed.description
        == "members 30, present 20, quorum 20 (AII art. 23), yes 14 of 14 needed (AII art. 23), no 5, abstain 1: passed"
    )
    let inquorate = try Tally.decide(
      members: 30, present: 19, counts: VoteCounts(yes: 19), quorum: rules.quorum, pass: rules.pass)
    #expect(inquorate.description == "members 30, present 19, quorum 20 (AII art. 23): no quorum")
  }
}
