/// A member tier and its rights (AII art. 12–13, DTPC art. 12).
public struct Tier: Sendable, Hashable {
  /// e.g. "ordinary", "director", "vice_chair", "chair".
  public var id: String
  /// Chinese name as in the charter, e.g. "理事单位".
  public var name: String
  public var rights: Set<TierRight>
  /// How a member reaches this tier (application, election) and for how long.
  public var term: Cited<TermLength>?
  /// The body that elects or approves members into this tier, when the charter says.
  public var electedBy: String?
  public var citation: Citation

  public init(
    id: String, name: String, rights: Set<TierRight>, term: Cited<TermLength>? = nil,
    electedBy: String? = nil, citation: Citation
  ) {
    self.id = id
    self.name = name
    self.rights = rights
    self.term = term
    self.electedBy = electedBy
    self.citation = citation
  }
}

/// A right a tier carries. An open set of names (new rights are additive); the loader
/// accepts only the names in `known`, so a typo in a profile is an error.
public struct TierRight: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public var description: String { rawValue }

  /// Vote in the general assembly / all-member meetings.
  public static let vote = TierRight(rawValue: "vote")
  /// Stand for election or be elected to an office.
  public static let standForElection = TierRight(rawValue: "stand_for_election")
  /// Take part in the alliance's activities and working groups.
  public static let joinActivities = TierRight(rawValue: "join_activities")
  /// Receive the alliance's information and services.
  public static let receiveInformation = TierRight(rawValue: "receive_information")
  /// Criticise, propose and supervise the alliance's work.
  public static let proposeAndSupervise = TierRight(rawValue: "propose_and_supervise")
  /// Leave freely.
  public static let exitFreely = TierRight(rawValue: "exit_freely")
  /// Recommend a representative to the council (AII art. 12: director units and above).
  public static let recommendCouncilRepresentative = TierRight(
    rawValue: "recommend_council_representative")
  /// Propose a working-group leader (AII art. 12: director units and above).
  public static let proposeWorkingGroupLeader = TierRight(rawValue: "propose_working_group_leader")
  /// Take part in council decisions (a seat on the council / joint meeting).
  public static let councilSeat = TierRight(rawValue: "council_seat")
  /// Nominate candidates for vice-chair or chair posts.
  public static let nominateOfficers = TierRight(rawValue: "nominate_officers")
  /// Priority in the alliance's projects, publicity and resources.
  public static let priorityAccess = TierRight(rawValue: "priority_access")

  public static let known: Set<TierRight> = [
    .vote, .standForElection, .joinActivities, .receiveInformation, .proposeAndSupervise,
    .exitFreely, .recommendCouncilRepresentative, .proposeWorkingGroupLeader, .councilSeat,
    .nominateOfficers, .priorityAccess,
  ]
}
