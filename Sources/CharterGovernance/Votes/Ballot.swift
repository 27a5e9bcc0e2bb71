public enum VoteChoice: String, Sendable, Hashable, CaseIterable {
  case yes
  case no
  case abstain
}

/// Totals of a vote.
public struct VoteCounts: Sendable, Hashable {
  public var yes: Int
  public var no: Int
  public var abstain: Int

  public init(yes: Int = 0, no: Int = 0, abstain: Int = 0) {
    self.yes = yes
    self.no = no
    self.abstain = abstain
  }

  public var total: Int { yes + no + abstain }

  mutating func add(_ choice: VoteChoice) {
    switch choice {
    case .yes: yes += 1
    case .no: no += 1
    case .abstain: abstain += 1
    }
  }
}

/// A named or show-of-hands vote: each voter's choice is kept (RULES.md §5).
public struct RecordedBallot<Voter: Hashable & Sendable>: Sendable, Hashable {
  public let kind: BallotKind
  public private(set) var choices: [Voter: VoteChoice]

  /// `kind` must be `.named` or `.showOfHands`; a secret ballot is a `SecretBallot`.
  public init(kind: BallotKind) throws(VoteError) {
    guard kind != .secret else { throw .secretBallotCannotRecordChoices }
    self.kind = kind
    self.choices = [:]
  }

  public mutating func cast(_ choice: VoteChoice, by voter: Voter) throws(VoteError) {
    guard choices[voter] == nil else { throw .alreadyVoted }
    choices[voter] = choice
  }

  public var counts: VoteCounts {
    var counts = VoteCounts()
    for choice in choices.values { counts.add(choice) }
    return counts
  }

  public var voters: Set<Voter> { Set(choices.keys) }
}

/// A secret ballot (无记名投票): who voted (turnout) and the totals are kept apart, so no
/// value of this type can link a voter to a choice. `cast` updates both and keeps nothing
/// else; there is no API that takes or returns a (voter, choice) pair.
public struct SecretBallot<Voter: Hashable & Sendable>: Sendable, Hashable {
  public private(set) var turnout: Set<Voter>
  public private(set) var counts: VoteCounts

  public init() {
    turnout = []
    counts = VoteCounts()
  }

  public mutating func cast(_ choice: VoteChoice, by voter: Voter) throws(VoteError) {
    guard !turnout.contains(voter) else { throw .alreadyVoted }
    turnout.insert(voter)
    counts.add(choice)
  }
}

/// Either kind of ballot, as a meeting stores it.
public enum Ballot<Voter: Hashable & Sendable>: Sendable, Hashable {
  case recorded(RecordedBallot<Voter>)
  case secret(SecretBallot<Voter>)

  public var kind: BallotKind {
    switch self {
    case .recorded(let ballot): return ballot.kind
    case .secret: return .secret
    }
  }

  public var counts: VoteCounts {
    switch self {
    case .recorded(let ballot): return ballot.counts
    case .secret(let ballot): return ballot.counts
    }
  }

  public var voters: Set<Voter> {
    switch self {
    case .recorded(let ballot): return ballot.voters
    case .secret(let ballot): return ballot.turnout
    }
  }
}

public enum VoteError: Error, Sendable, Equatable, CustomStringConvertible {
  case alreadyVoted
  case secretBallotCannotRecordChoices
  /// A count was negative, or present/votes exceed the body.
  case inconsistentCounts(String)
  /// Someone voted who is not counted present.
  case voterNotPresent(String)

  public var description: String {
    switch self {
    case .alreadyVoted: return "this voter has already voted"
    case .secretBallotCannotRecordChoices:
      return "a secret ballot keeps no voter's choice; use SecretBallot"
    case .inconsistentCounts(let detail): return "inconsistent counts: \(detail)"
    case .voterNotPresent(let voter): return "\(voter) voted but is not counted present"
    }
  }
}
