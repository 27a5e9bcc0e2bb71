import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// MOTION VOTE: a motion put to the vote at an open meeting, decided by the engine
/// (`Meeting.motionVoted`, `Tally.decide`) from the attendance and the ballot with the body's
/// or the matter's exact thresholds (RULES.md §0, §5), and shown with its arithmetic:
/// members, present, quorum, needed, yes, no, abstain, outcome.
///
/// A named or show-of-hands ballot stores each voter's choice (charter.ballots.choice). A
/// secret ballot (zgc-ai: 无记名投票) stores who voted and the totals only: the command takes
/// the voters and the counts apart, the engine's `SecretBallot` keeps no pair, and the
/// ballots table's CHECK refuses a choice on a secret row.
extension WorkflowService {
  func motionVote(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let id = try meetingArgument(context)
    let title = arguments.string("title") ?? ""
    guard (1...300).contains(title.count) else {
      throw CommandFailure.failure(.badArguments, "<title> must have 1 to 300 characters")
    }
    let matterID = arguments.string("matter")
    let ballotWord = arguments.string("ballot")
    return try await change(context) { scope in
      var meeting = try await scope.meeting(id)
      try scope.requireOpenMeeting(meeting, for: "motions are voted")
      let profile = try scope.profile()
      let body = try scope.body(of: meeting)
      var matter: Matter?
      if let matterID {
        guard let found = profile.matter(matterID), found.body == body.id else {
          let known = profile.matters.filter { $0.body == body.id }.map(\.id)
          throw scope.failure(
            .badArguments,
            "\(body.id) votes on no matter \(matterID); its matters: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
          )
        }
        matter = found
      }
      let kind =
        ballotWord.flatMap(BallotKind.init(rawValue:)) ?? matter?.ballot?.value
        ?? body.defaultBallot?.value ?? .named
      let roster = try await BodyRoster.members(of: body, group: meeting.group, scope: scope)
      let seated = Dictionary(uniqueKeysWithValues: roster.map { ($0.id, $0) })
      let recorded = try await Self.attendance(of: meeting.id, scope: scope)
      var attendance = Attendance<MemberID>()
      for (member, entry) in recorded where seated[member] != nil {
        attendance.entries[MemberID(member.uuidString.lowercased())] = entry.engine
      }

      let ballot = try Self.ballot(kind, arguments: arguments, seated: seated, scope: scope)
      let voters = Array(ballot.voters)
      let standing = try await Self.standing(of: voters, scope: scope)
      let motionID = UUID()
      let motion = Meeting.Motion(
        id: motionID.uuidString.lowercased(), matter: matter?.id, seats: roster.count,
        attendance: attendance, ballot: ballot, standing: standing)
      let transition = try meeting.state.apply(
        .motionVoted(motion), profile: profile, context: scope.engine)
      meeting.state = transition.state
      try await MeetingStore.save(meeting, on: scope.connection)
      let decided = try await scope.record(
        transition, subject: .meeting(meeting.engineID),
        detail: ["motion": motion.id, "title": title, "matter": matter?.id ?? ""])

      let details =
        transition.facts.first { $0.kind == .motionDecided }?.details ?? [:]
      let rules = body.votingRules(for: matter)
      let arithmetic = MotionArithmetic(details: details, rules: rules)
      try await scope.connection.query(
        """
        insert into charter.motions
            (tenant_id, id, meeting_id, title, matter, ballot, outcome, arithmetic, decision_id)
        values (charter.current_tenant(), $1, $2, $3, $4, $5, $6, $7, $8)
        """,
        [
          motionID, meeting.id, title, matter?.id ?? "resolution", kind.rawValue,
          arithmetic.outcome, try arithmetic.json(), decided.decisionID,
        ])
      try await Self.storeBallots(ballot, motion: motionID, scope: scope)

      var lines = ["motion: \(motion.id)", "title: \(title)", "ballot: \(kind.rawValue)"]
      if let matter { lines.append("matter: \(matter.id) (\(matter.name))") }
      lines += arithmetic.lines
      lines += decided.replyLines
      return CommandOutcome(
        reply: .text(lines, status: .ok("motion \(motion.id) \(arithmetic.outcome)")))
    }
  }

  /// The ballot from the command: member lists for a named or show-of-hands vote, the voters
  /// and three counts for a secret one.
  private static func ballot(
    _ kind: BallotKind, arguments: CommandArguments, seated: [UUID: RosterMember],
    scope: WorkflowScope
  ) throws -> Ballot<MemberID> {
    func members(_ option: String) throws -> [UUID] {
      guard let text = arguments.string(option), !text.isEmpty else { return [] }
      return try text.split(separator: ",").map { part in
        let word = part.trimmingCharacters(in: .whitespaces)
        guard let id = UUID(uuidString: word) else {
          throw scope.failure(.badArguments, "\(option)= holds \(word.prefix(40)), not a member id")
        }
        guard seated[id] != nil else {
          throw scope.failure(.conflict, "member \(word.lowercased()) does not sit in this body")
        }
        return id
      }
    }
    func engineID(_ id: UUID) -> MemberID { MemberID(id.uuidString.lowercased()) }
    do {
      switch kind {
      case .named, .showOfHands:
        guard arguments.string("voters") == nil else {
          throw scope.failure(
            .badArguments,
            "voters= is for a secret ballot; a \(kind.rawValue) vote names each voter in yes=, no=, abstain="
          )
        }
        var ballot = try RecordedBallot<MemberID>(kind: kind)
        for (option, choice) in [("yes", VoteChoice.yes), ("no", .no), ("abstain", .abstain)] {
          for member in try members(option) { try ballot.cast(choice, by: engineID(member)) }
        }
        return .recorded(ballot)
      case .secret:
        let voters = try members("voters")
        guard Set(voters).count == voters.count else {
          throw scope.failure(.badArguments, "voters= names a member twice")
        }
        var counts: [(VoteChoice, Int)] = []
        for (option, choice) in [("yes", VoteChoice.yes), ("no", .no), ("abstain", .abstain)] {
          let text = arguments.string(option) ?? "0"
          guard let count = Int(text), count >= 0 else {
            throw scope.failure(
              .badArguments,
              "a secret ballot takes counts: \(option)=\(text.prefix(40)) is not a number of votes")
          }
          counts.append((choice, count))
        }
        let total = counts.reduce(0) { $0 + $1.1 }
        guard total == voters.count else {
          throw scope.failure(
            .badArguments, "the counts add up to \(total) but voters= names \(voters.count) members"
          )
        }
        // The choices are handed to the ballot in an order unrelated to the voters'; the
        // ballot keeps the turnout and the totals, never a pair.
        var ballot = SecretBallot<MemberID>()
        var choices = counts.flatMap { Array(repeating: $0.0, count: $0.1) }.makeIterator()
        for voter in voters.sorted(by: { $0.uuidString < $1.uuidString }) {
          guard let choice = choices.next() else { break }
          try ballot.cast(choice, by: engineID(voter))
        }
        return .secret(ballot)
      }
    } catch let error as VoteError {
      throw scope.failure(.badArguments, "\(error)")
    }
  }

  /// The register's view of each voter: a suspended member may not vote (DTPC art. 15
  /// [interp]).
  private static func standing(of voters: [MemberID], scope: WorkflowScope) async throws
    -> [MemberID: MemberStanding]
  {
    let ids = voters.compactMap { UUID(uuidString: $0.rawValue) }
    let result = try await scope.connection.query(
      "select id, status from charter.members where id = any($1)", [ids])
    var standing: [MemberID: MemberStanding] = [:]
    for row in result.rows {
      let id = MemberID(try row.decode(0, as: UUID.self).uuidString.lowercased())
      switch try row.decode(1, as: String.self) {
      case "suspended": standing[id] = .suspended
      case "member", "exit_pending": standing[id] = .inGoodStanding
      default: standing[id] = .notAMember
      }
    }
    return standing
  }

  /// One charter.ballots row per voter: its choice for a recorded ballot, none for a secret
  /// one.
  private static func storeBallots(
    _ ballot: Ballot<MemberID>, motion: UUID, scope: WorkflowScope
  ) async throws {
    var members: [UUID] = []
    var choices: [String] = []
    switch ballot {
    case .recorded(let recorded):
      for (voter, choice) in recorded.choices.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
        guard let id = UUID(uuidString: voter.rawValue) else { continue }
        members.append(id)
        choices.append(choice.rawValue)
      }
      try await scope.connection.query(
        """
        insert into charter.ballots (tenant_id, motion_id, member_id, ballot, choice)
        select charter.current_tenant(), $1, m, $2, c
        from unnest($3::uuid[], $4::text[]) as v(m, c)
        """, [motion, recorded.kind.rawValue, members, choices])
    case .secret(let secret):
      members = secret.turnout.compactMap { UUID(uuidString: $0.rawValue) }.sorted {
        $0.uuidString < $1.uuidString
      }
      try await scope.connection.query(
        """
        insert into charter.ballots (tenant_id, motion_id, member_id, ballot, choice)
        select charter.current_tenant(), $1, m, 'secret', null from unnest($2::uuid[]) m
        """, [motion, members])
    }
  }
}

/// The arithmetic of a decided motion, as charter.motions.arithmetic keeps it and the reply
/// shows it: members, present, quorum, needed, yes, no, abstain, outcome, with the articles.
struct MotionArithmetic {
  var values: [String: String]

  init(details: [String: String], rules: VotingRules?) {
    values = [
      "members": details["seats"] ?? "", "present": details["present"] ?? "",
      "needed": details["yesNeeded"] ?? "", "yes": details["yes"] ?? "",
      "no": details["no"] ?? "", "abstain": details["abstain"] ?? "",
      "outcome": details["outcome"] ?? "", "pass_article": details["passArticle"] ?? "",
    ]
    if let quorum = details["quorumNeeded"] { values["quorum"] = quorum }
    if let article = details["quorumArticle"] { values["quorum_article"] = article }
    // The rules as the profile cites them, with their [interp] mark.
    if let rules {
      values["pass_rule"] = rules.pass.value.description
      values["pass_article"] = rules.pass.citation.description
      if let quorum = rules.quorum {
        values["quorum_rule"] = quorum.value.description
        values["quorum_article"] = quorum.citation.description
      }
    }
    if let turnout = details["turnout"] {
      values["turnout"] = String(turnout.split(separator: ",").count)
    }
  }

  var outcome: String { values["outcome"] ?? "" }

  var lines: [String] {
    var lines = ["members: \(values["members"] ?? "")", "present: \(values["present"] ?? "")"]
    if let quorum = values["quorum"] {
      lines.append(
        "quorum: \(quorum) (\(values["quorum_rule"] ?? ""), \(values["quorum_article"] ?? ""))")
    }
    if let turnout = values["turnout"] { lines.append("voted: \(turnout)") }
    lines += [
      "needed: \(values["needed"] ?? "") (\(values["pass_rule"] ?? ""), \(values["pass_article"] ?? ""))",
      "yes: \(values["yes"] ?? "")", "no: \(values["no"] ?? "")",
      "abstain: \(values["abstain"] ?? "")", "outcome: \(outcome)",
    ]
    return lines
  }

  /// One line for listings: "members 9, present 6, quorum 6, needed 4, yes 4: passed".
  var summary: String {
    var text = "members \(values["members"] ?? ""), present \(values["present"] ?? "")"
    if let quorum = values["quorum"] { text += ", quorum \(quorum)" }
    text +=
      ", needed \(values["needed"] ?? ""), yes \(values["yes"] ?? ""), no \(values["no"] ?? ""), abstain \(values["abstain"] ?? ""): \(outcome)"
    return text
  }

  func json() throws -> PostgresJSON {
    // Numbers as numbers, so a query can compare them.
    var object: [String: Any] = [:]
    for (key, value) in values {
      object[key] = Int(value).map { $0 as Any } ?? value
    }
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return PostgresJSON(String(decoding: data, as: UTF8.self))
  }
}
