public import CharterCalendar

/// Who may join, how, how members leave or lose status, and what follows from absence.
public struct MembershipRules: Sendable, Hashable {
  /// Unit members (单位会员) and, in tjsia-ai, individual members (个人会员).
  public var kinds: Cited<Set<MemberKind>>
  /// A parent organisation whose membership is required (tjsia-ai §2).
  public var parent: ParentRequirement?
  public var admission: AdmissionProcess
  public var exit: ExitRules
  /// Consequences of consecutive absences, checked each time attendance is recorded.
  public var absence: [AbsenceRule]
  /// Deemed exit after a period without activity (DTPC art. 16(2)).
  public var inactivity: Cited<InactivityRule>?
  /// Whether a unit that left may join again (DTPC art. 16(6)).
  public var rejoin: Cited<RejoinRule>
  public var discipline: DisciplineLadder?
  /// Each member names a contact person who receives notices (AII art. 14(5), DTPC art. 14(8)).
  public var contactPersonRequired: Cited<Bool>?

  public init(
    kinds: Cited<Set<MemberKind>>, parent: ParentRequirement? = nil, admission: AdmissionProcess,
    exit: ExitRules, absence: [AbsenceRule] = [], inactivity: Cited<InactivityRule>? = nil,
    rejoin: Cited<RejoinRule>, discipline: DisciplineLadder? = nil,
    contactPersonRequired: Cited<Bool>? = nil
  ) {
    self.kinds = kinds
    self.parent = parent
    self.admission = admission
    self.exit = exit
    self.absence = absence
    self.inactivity = inactivity
    self.rejoin = rejoin
    self.discipline = discipline
    self.contactPersonRequired = contactPersonRequired
  }
}

extension MembershipRules {
  /// The absence rules that watch `body`, fewest consecutive absences first (AITISA art. 7.6:
  /// the reminder after 2 comes before the exit after 3).
  public func absenceRules(for body: String) -> [AbsenceRule] {
    absence.filter { $0.body == body }.sorted { $0.consecutive < $1.consecutive }
  }
}

public enum MemberKind: String, Sendable, Hashable, CaseIterable, Codable {
  case unit
  case individual
}

/// Membership of a parent organisation required before joining (tjsia-ai §2).
public struct ParentRequirement: Sendable, Hashable {
  /// Profile id of the parent tenant when it is hosted too (e.g. "tjsia"), else nil.
  public var profileId: String?
  public var name: String
  /// The kinds of member the requirement applies to (tjsia-ai: units).
  public var appliesTo: Set<MemberKind>
  public var citation: Citation

  public init(profileId: String?, name: String, appliesTo: Set<MemberKind>, citation: Citation) {
    self.profileId = profileId
    self.name = name
    self.appliesTo = appliesTo
    self.citation = citation
  }
}

/// The ordered steps from application to membership (AII art. 11, DTPC art. 10–11).
public struct AdmissionProcess: Sendable, Hashable {
  public var steps: [AdmissionStep]
  /// Eligibility conditions stated in words (AII art. 10).
  public var eligibility: [Cited<String>]

  public init(steps: [AdmissionStep], eligibility: [Cited<String>] = []) {
    self.steps = steps
    self.eligibility = eligibility
  }
}

public struct AdmissionStep: Sendable, Hashable {
  public var kind: AdmissionStepKind
  /// The body that performs the step (secretariat, standing council), when one does.
  public var body: String?
  public var citation: Citation

  public init(kind: AdmissionStepKind, body: String? = nil, citation: Citation) {
    self.kind = kind
    self.body = body
    self.citation = citation
  }
}

public enum AdmissionStepKind: String, Sendable, Hashable, CaseIterable {
  /// Written (stamped) application.
  case application
  /// Check the applicant is a member of the parent organisation.
  case parentMembershipCheck = "parent_membership_check"
  /// Preliminary review (初审) by the secretariat.
  case preliminaryReview = "preliminary_review"
  /// Decision by a body (AII: standing council).
  case decision
  /// Filing (备案) with a body.
  case filing
  /// Announcement to the members.
  case announcement
}

public struct ExitRules: Sendable, Hashable {
  /// Notice before a voluntary exit takes effect (DTPC art. 16(1): 30 days); nil when the
  /// exit takes effect once the formalities are done (AII art. 15(1)).
  public var notice: Cited<CalendarPeriod>?
  /// How a voluntary exit is made (written notice to the secretariat).
  public var voluntary: Citation
  /// The body the exit is filed with (DTPC art. 16(4): joint meeting).
  public var filedWith: String?
  /// Whether the exit is announced to members.
  public var announced: Cited<Bool>?
  /// Revocation of the business licence ends membership at once (AII art. 15(2), DTPC art. 16(3)).
  public var licenceRevocationEndsMembership: Cited<Bool>?

  public init(
    notice: Cited<CalendarPeriod>?, voluntary: Citation, filedWith: String? = nil,
    announced: Cited<Bool>? = nil, licenceRevocationEndsMembership: Cited<Bool>? = nil
  ) {
    self.notice = notice
    self.voluntary = voluntary
    self.filedWith = filedWith
    self.announced = announced
    self.licenceRevocationEndsMembership = licenceRevocationEndsMembership
  }
}

/// "A member absent N consecutive times from body X ... suffers consequence Y."
public struct AbsenceRule: Sendable, Hashable {
  /// The body whose meetings are counted.
  public var body: String
  /// Whose absences count: every member of the body, or holders of some tiers.
  public var subjects: AbsenceSubjects
  /// Number of consecutive absences that triggers the consequence.
  public var consecutive: Int
  /// Whether an excused absence counts (DTPC art. 19: only 无故 absences count).
  public var excusedCounts: Bool
  /// Whether being represented by proxy counts as presence (RULES.md §0 [interp]).
  public var proxyCountsAsPresent: Bool
  /// Whether taking part by correspondence counts as presence.
  public var correspondenceCountsAsPresent: Bool
  public var consequence: AbsenceConsequence
  public var citation: Citation

  public init(
    body: String, subjects: AbsenceSubjects, consecutive: Int, excusedCounts: Bool,
    proxyCountsAsPresent: Bool, correspondenceCountsAsPresent: Bool,
    consequence: AbsenceConsequence, citation: Citation
  ) {
    self.body = body
    self.subjects = subjects
    self.consecutive = consecutive
    self.excusedCounts = excusedCounts
    self.proxyCountsAsPresent = proxyCountsAsPresent
    self.correspondenceCountsAsPresent = correspondenceCountsAsPresent
    self.consequence = consequence
    self.citation = citation
  }
}

public enum AbsenceSubjects: Sendable, Hashable {
  /// Everyone who sits in the body.
  case bodyMembers
  /// Only members of these tiers (AII art. 13: director units and above).
  case tiers(Set<String>)
}

public enum AbsenceConsequence: Sendable, Hashable {
  /// The leader / secretariat must remind the member (AITISA art. 7: after 2).
  case reminder
  /// The member has left the body automatically — for a working-group meeting, the group
  /// (AITISA art. 7: after 3) — and it is announced.
  case automaticExit
  /// The member drops this many tiers (AII art. 13; one tier [interp]).
  case downgrade(tiers: Int)
  /// The member loses its seat in the body (DTPC art. 19).
  case lossOfSeat
}

/// Deemed exit after `years` without fulfilling obligations or joining activities.
public struct InactivityRule: Sendable, Hashable {
  public var years: Int
  public init(years: Int) { self.years = years }
}

public struct RejoinRule: Sendable, Hashable {
  public var policy: RejoinPolicy
  /// The ways of leaving the policy applies to (DTPC art. 16(6): every way [interp]).
  public var appliesTo: Set<LeavingKind>

  public init(policy: RejoinPolicy, appliesTo: Set<LeavingKind>) {
    self.policy = policy
    self.appliesTo = appliesTo
  }
}

public enum RejoinPolicy: Sendable, Hashable {
  case allowed
  case never
  case afterYears(Int)
}

public enum LeavingKind: String, Sendable, Hashable, CaseIterable, Codable {
  case voluntaryExit = "voluntary_exit"
  /// Deemed exit (inactivity, absence).
  case automaticExit = "automatic_exit"
  case expulsion
  /// Business licence revoked.
  case licenceRevocation = "licence_revocation"
}
