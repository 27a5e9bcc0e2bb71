public enum VoteOutcome: String, Sendable, Hashable, Codable {
  case passed
  case failed
  /// Too few present for the body to decide; the votes were not counted.
  case noQuorum = "no_quorum"
}

/// The outcome of a vote with the arithmetic behind it, so a minute can show and cite it:
/// "members 30, present 21, quorum 20 (AII art. 23), yes 14 of 14 needed: passed".
public struct TallyResult: Sendable, Hashable {
  public var members: Int
  public var present: Int
  /// Present needed for quorum; nil when the body has no quorum rule.
  public var quorumNeeded: Int?
  public var counts: VoteCounts
  public var yesNeeded: Int
  public var outcome: VoteOutcome
  public var quorumCitation: Citation?
  public var passCitation: Citation

  public var yes: Int { counts.yes }
}

public enum Tally {
  /// Decides a vote from counts: quorum first, then the pass threshold, both exact.
  /// - Parameters:
  ///   - members: the number of seats of the body (base of "of members").
  ///   - present: those counted present (base of "of present").
  public static func decide(
    members: Int, present: Int, counts: VoteCounts, quorum: Cited<Threshold>?,
    pass: Cited<Threshold>
  ) throws(VoteError) -> TallyResult {
    guard members >= 0, present >= 0, counts.yes >= 0, counts.no >= 0, counts.abstain >= 0 else {
      throw .inconsistentCounts("negative count")
    }
    guard present <= members else {
      throw .inconsistentCounts("present \(present) > members \(members)")
    }
    guard counts.total <= present else {
      throw .inconsistentCounts("votes \(counts.total) > present \(present)")
    }
    func base(_ threshold: Threshold) -> Int { threshold.base == .members ? members : present }

    let quorumNeeded = quorum.map { $0.value.minimumCount(of: base($0.value)) }
    let yesNeeded = pass.value.minimumCount(of: base(pass.value))
    let outcome: VoteOutcome
    if let quorum, !quorum.value.isMet(count: present, of: base(quorum.value)) {
      outcome = .noQuorum
    } else if pass.value.isMet(count: counts.yes, of: base(pass.value)) {
      outcome = .passed
    } else {
      outcome = .failed
    }
    return TallyResult(
      members: members, present: present, quorumNeeded: quorumNeeded, counts: counts,
      yesNeeded: yesNeeded, outcome: outcome, quorumCitation: quorum?.citation,
      passCitation: pass.citation)
  }

  /// Decides a vote of a body from its attendance and ballot, with the body's rules (or a
  /// matter's, see `Body.votingRules(for:)`). Every voter must be counted present.
  public static func decide<Voter>(
    members: Int, attendance: Attendance<Voter>, ballot: Ballot<Voter>, rules: VotingRules
  ) throws(VoteError) -> TallyResult {
    for voter in ballot.voters where !attendance.countsAsPresent(voter, rules: rules) {
      throw .voterNotPresent(String(describing: voter))
    }
    return try decide(
      members: members, present: attendance.presentCount(rules: rules), counts: ballot.counts,
      quorum: rules.quorum, pass: rules.pass)
  }
}

extension Body {
  /// The body's voting rules with a matter's quorum and pass threshold in place of the
  /// body's where the matter sets them; nil when the body does not vote.
  public func votingRules(for matter: Matter?) -> VotingRules? {
    guard var rules = voting else { return nil }
    if let matter {
      if let quorum = matter.quorum { rules.quorum = quorum }
      if let pass = matter.pass { rules.pass = pass }
    }
    return rules
  }
}

extension TallyResult: CustomStringConvertible {
  /// The arithmetic for a minute: "members 30, present 20, quorum 20 (AII art. 23),
  /// yes 14 of 14 needed (AII art. 23): passed".
  public var description: String {
    var text = "members \(members), present \(present)"
    if let quorumNeeded {
      text += ", quorum \(quorumNeeded)"
      if let quorumCitation { text += " (\(quorumCitation))" }
    }
    if outcome == .noQuorum { return text + ": no quorum" }
    text += ", yes \(counts.yes) of \(yesNeeded) needed (\(passCitation))"
    text +=
      ", no \(counts.no), abstain \(counts.abstain): \(outcome == .passed ? "passed" : "failed")"
    return text
  }
}
