public import CharterCalendar

/// Rules for working groups (推进组): AITISA art. 3–14; DTPC art. 22 for posts.
///
/// The group's own all-member meeting is a `Body` (`meetingBody`) with composition
/// `.workingGroupMembers`; its leader posts are the posts of that body.
public struct WorkingGroupRules: Sendable, Hashable {
  /// The body whose quorum/pass/minimum meetings apply to each group's meetings.
  public var meetingBody: String
  /// Kinds of group (AITISA art. 3: by field, by region).
  public var kinds: Cited<Set<WorkingGroupKind>>?
  /// Member units needed to apply for a new group (AITISA art. 4: 5).
  public var foundingMinimum: Cited<Int>?
  /// Fewest members a group may have (AITISA art. 7: 5); below it dissolution may be moved.
  public var minimumMembers: Cited<Int>?
  /// The body that approves establishment, rename, dissolution, budgets, own rules.
  public var approvingBody: Cited<String>?
  /// The body that receives applications and reviews them (secretariat).
  public var reviewingBody: Cited<String>?
  /// Secretariat tells applicants whether the application goes forward (AITISA art. 4.2: 10 working days).
  public var reviewNotice: Cited<CalendarPeriod>?
  /// Secretariat tells applicants of a rejection, with reasons (AITISA art. 4.3: 10 days).
  public var rejectionNotice: Cited<CalendarPeriod>?
  /// A group is told in writing of a dissolution motion (AITISA art. 6: 10 days).
  public var dissolutionNotice: Cited<CalendarPeriod>?
  /// Window to object after receiving that notice (AITISA art. 6: 10 days).
  public var dissolutionObjectionWindow: Cited<CalendarPeriod>?
  /// Share of the group's members that may request dissolution (AITISA art. 6: >= 1/2).
  public var dissolutionRequest: Cited<Threshold>?
  /// A person who leads one group may not lead another (AITISA art. 7).
  public var oneLeadershipPerPerson: Cited<Bool>?
  /// A member unit holds at most one leader/co-leader post within a group (AITISA art. 7).
  public var onePostPerUnitPerGroup: Cited<Bool>?
  /// Only members of the organisation may join a group (AITISA art. 7).
  public var membersOnly: Cited<Bool>?
  /// The post that approves a unit joining a group (AITISA art. 7: the leader).
  public var joiningApprovedBy: Cited<String>?
  /// Yearly written report, evaluation, approval, publication (AITISA art. 11).
  public var annualEvaluation: Cited<EvaluationRules>?
  /// Budgets submitted ahead of activities (AITISA art. 12).
  public var budgetRequired: Cited<Bool>?

  public init(
    meetingBody: String, kinds: Cited<Set<WorkingGroupKind>>? = nil,
    foundingMinimum: Cited<Int>? = nil,
    minimumMembers: Cited<Int>? = nil, approvingBody: Cited<String>? = nil,
    reviewingBody: Cited<String>? = nil, reviewNotice: Cited<CalendarPeriod>? = nil,
    rejectionNotice: Cited<CalendarPeriod>? = nil, dissolutionNotice: Cited<CalendarPeriod>? = nil,
    dissolutionObjectionWindow: Cited<CalendarPeriod>? = nil,
    dissolutionRequest: Cited<Threshold>? = nil,
    oneLeadershipPerPerson: Cited<Bool>? = nil, onePostPerUnitPerGroup: Cited<Bool>? = nil,
    membersOnly: Cited<Bool>? = nil, joiningApprovedBy: Cited<String>? = nil,
    annualEvaluation: Cited<EvaluationRules>? = nil, budgetRequired: Cited<Bool>? = nil
  ) {
    self.meetingBody = meetingBody
    self.kinds = kinds
    self.foundingMinimum = foundingMinimum
    self.minimumMembers = minimumMembers
    self.approvingBody = approvingBody
    self.reviewingBody = reviewingBody
    self.reviewNotice = reviewNotice
    self.rejectionNotice = rejectionNotice
    self.dissolutionNotice = dissolutionNotice
    self.dissolutionObjectionWindow = dissolutionObjectionWindow
    self.dissolutionRequest = dissolutionRequest
    self.oneLeadershipPerPerson = oneLeadershipPerPerson
    self.onePostPerUnitPerGroup = onePostPerUnitPerGroup
    self.membersOnly = membersOnly
    self.joiningApprovedBy = joiningApprovedBy
    self.annualEvaluation = annualEvaluation
    self.budgetRequired = budgetRequired
  }
}

public enum WorkingGroupKind: String, Sendable, Hashable, CaseIterable {
  /// 领域推进组
  case field
  /// 地域推进组 (province, municipality...)
  case region
}

/// AITISA art. 11: report → evaluation by the reviewing body → approval → publication.
public struct EvaluationRules: Sendable, Hashable {
  public var per: RecurrenceUnit
  public var evaluatedBy: String
  public var approvedBy: String
  public var published: Bool

  public init(per: RecurrenceUnit, evaluatedBy: String, approvedBy: String, published: Bool) {
    self.per = per
    self.evaluatedBy = evaluatedBy
    self.approvedBy = approvedBy
    self.published = published
  }
}
