public import CharterCalendar

/// An organ of the organisation: general assembly, council, joint meeting, secretariat,
/// chair's office, a working group's all-member meeting... Non-voting organs (a
/// secretariat) have no `voting`.
public struct Body: Sendable, Hashable {
  /// e.g. "general_assembly", "council", "joint_meeting", "secretariat".
  public var id: String
  /// Chinese name, e.g. "理事会".
  public var name: String
  /// Who sits in the body; the base of "members of the body" in thresholds.
  public var composition: Cited<BodyComposition>
  /// Quorum, pass threshold and how attendance counts; nil for a body that does not vote.
  public var voting: VotingRules?
  /// Minimum notice before a meeting (DTPC art. 20: 15 days, agenda included).
  public var notice: Cited<CalendarPeriod>?
  /// Minimum number of meetings per year or quarter (AII art. 23, DTPC art. 27, AITISA art. 10).
  public var minimumMeetings: Cited<Recurrence>?
  /// How the body may meet (in person, by correspondence).
  public var meetingModes: Cited<Set<MeetingMode>>?
  /// The ballot kind used unless a matter says otherwise.
  public var defaultBallot: Cited<BallotKind>?
  /// Posts (offices) of this body, with caps (DTPC art. 22: 1 SG and 7 deputies).
  public var posts: [Post]
  /// Where the body is established.
  public var citation: Citation

  public init(
    id: String, name: String, composition: Cited<BodyComposition>, voting: VotingRules? = nil,
    notice: Cited<CalendarPeriod>? = nil, minimumMeetings: Cited<Recurrence>? = nil,
    meetingModes: Cited<Set<MeetingMode>>? = nil, defaultBallot: Cited<BallotKind>? = nil,
    posts: [Post] = [], citation: Citation
  ) {
    self.id = id
    self.name = name
    self.composition = composition
    self.voting = voting
    self.notice = notice
    self.minimumMeetings = minimumMeetings
    self.meetingModes = meetingModes
    self.defaultBallot = defaultBallot
    self.posts = posts
    self.citation = citation
  }
}

/// Who sits in a body.
public enum BodyComposition: Sendable, Hashable {
  /// Every member of the organisation (general assembly).
  case allMembers
  /// Members whose tier is one of these tier ids (AII council: director, vice-chair, chair).
  case tiers(Set<String>)
  /// The members of one working group (its all-member meeting).
  case workingGroupMembers
  /// The holders of these post ids (AII art. 24 standing council).
  case postHolders(Set<String>)
  /// Staff or appointees the charter does not enumerate (secretariat, expert committee).
  case appointed
}

public enum MeetingMode: String, Sendable, Hashable, CaseIterable {
  case inPerson = "in_person"
  /// 通信方式: votes by letter, e-mail or online form.
  case correspondence
}

/// Ballot kinds (zgc-ai: 举手表决 and 无记名投票).
public enum BallotKind: String, Sendable, Hashable, CaseIterable {
  /// Each voter's choice is recorded by name (记名).
  case named
  /// 举手表决: each voter's choice is recorded.
  case showOfHands = "show_of_hands"
  /// 无记名投票: turnout is recorded, choices are never linked to voters.
  case secret
}

/// The vote arithmetic of a body (RULES.md §0 and §5).
public struct VotingRules: Sendable, Hashable {
  /// Attendance needed for the meeting to decide; nil when the charter sets none.
  public var quorum: Cited<Threshold>?
  /// Yes votes needed for a resolution to pass.
  public var pass: Cited<Threshold>
  /// Whether a member represented by written proxy counts as present (AITISA art. 10 [interp]).
  public var proxyCountsAsPresent: Cited<Bool>
  /// Whether a member voting by correspondence counts as present.
  public var correspondenceCountsAsPresent: Cited<Bool>

  public init(
    quorum: Cited<Threshold>?, pass: Cited<Threshold>, proxyCountsAsPresent: Cited<Bool>,
    correspondenceCountsAsPresent: Cited<Bool>
  ) {
    self.quorum = quorum
    self.pass = pass
    self.proxyCountsAsPresent = proxyCountsAsPresent
    self.correspondenceCountsAsPresent = correspondenceCountsAsPresent
  }
}

/// A kind of decision with its own rule: a different threshold, a ballot kind, or a second
/// body that must confirm it (AII art. 27: council 2/3 of members, then general assembly).
public struct Matter: Sendable, Hashable {
  /// e.g. "charter_amendment", "fee_rules", "election".
  public var id: String
  public var name: String
  /// The body that votes on it.
  public var body: String
  /// Replaces the body's quorum when set.
  public var quorum: Cited<Threshold>?
  /// Replaces the body's pass threshold when set.
  public var pass: Cited<Threshold>?
  public var ballot: Cited<BallotKind>?
  /// A body that must then review or confirm the decision.
  public var thenBody: String?
  public var citation: Citation

  public init(
    id: String, name: String, body: String, quorum: Cited<Threshold>? = nil,
    pass: Cited<Threshold>? = nil, ballot: Cited<BallotKind>? = nil, thenBody: String? = nil,
    citation: Citation
  ) {
    self.id = id
    self.name = name
    self.body = body
    self.quorum = quorum
    self.pass = pass
    self.ballot = ballot
    self.thenBody = thenBody
    self.citation = citation
  }
}
