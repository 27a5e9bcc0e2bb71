public import CharterCalendar
public import Foundation

/// Something that happened and must be kept for good (register, archive): the store appends
/// facts, it never overwrites them.
public struct Fact: Sendable, Equatable {
  public let kind: FactKind
  public let subject: Subject
  public let day: CivilDate
  public let article: Article
  public let details: [String: String]
  /// The profile version the fact was established under; set by every engine entry point.
  public internal(set) var profile: ProfileStamp?

  public init(
    _ kind: FactKind, _ subject: Subject, day: CivilDate, article: Article,
    details: [String: String] = [:]
  ) {
    self.kind = kind
    self.subject = subject
    self.day = day
    self.article = article
    self.details = details
  }
}

public enum FactKind: String, Sendable, Equatable, CaseIterable {
  // Members (register, DTPC art. 17)
  case applicationReceived, applicationReviewed, applicationRejected, memberAdmitted, admissionFiled
  case tierChanged, exitNoticeReceived, membershipEnded, sanctionImposed, suspensionLifted
  case seatLost, activityRecorded, absenceRecorded
  // Working groups
  case groupApplicationReceived, reviewNoticeSent, groupApproved, groupRejected, rejectionNoticeSent
  case groupRenamed, renameRequested, dissolutionRequested, dissolutionMoved, dissolutionNoticeSent
  case dissolutionObjectionReceived, groupDissolved, dissolutionRejected, groupMemberJoined,
    groupMemberLeft
  case groupBelowMinimumMembers, leaderAppointed, coLeaderAppointed, leaderPostVacated
  case budgetSubmitted, budgetApproved, budgetRejected, activityRulesApproved, activityRulesRejected
  // Meetings
  case meetingScheduled, meetingNoticeOverridden, meetingNoticeSent, motionDecided
  // Offices
  case officeTaken, officeEnded
  // Evaluations
  case evaluationRequested, evaluationReportSubmitted, evaluationRated, evaluationApproved
  case evaluationPublished, groupCommended, groupWarned
}

/// Who a notice goes to: a role of the tenant (the secretariat, all members, a group's
/// members) or one member's designated contact (AII art. 14(5), DTPC art. 14(8)).
public enum Recipient: Hashable, Sendable {
  case secretariat
  case chairsOffice
  case allMembers
  case groupMembers(WorkingGroupID)
  case groupLeader(WorkingGroupID)
  case memberContact(MemberID)
  case body(String)
}

/// A notice to send. The delivery part renders `templateKey` with `parameters`; the summaries
/// are short texts for logs and the admin shell, Chinese first then English.
public struct Notice: Sendable, Equatable {
  public let kind: NoticeKind
  public let recipients: [Recipient]
  public let templateKey: String
  public let parameters: [String: String]
  public let summaryZh: String
  public let summaryEn: String
  public let article: Article

  public init(
    _ kind: NoticeKind, to recipients: [Recipient], template: String,
    parameters: [String: String] = [:],
    zh: String, en: String, article: Article
  ) {
    self.kind = kind
    self.recipients = recipients
    self.templateKey = template
    self.parameters = parameters
    self.summaryZh = zh
    self.summaryEn = en
    self.article = article
  }
}

public enum NoticeKind: String, Sendable, Equatable {
  case information, decision, reminder, warning, escalation, announcement, request
}

/// A job for the scheduler: at `due` (end of `dueDay` in the tenant's zone) the scheduler
/// feeds the matching event back to the engine. `key` is unique per obligation, so that a
/// repeated event replaces the job instead of scheduling it twice.
public struct DeadlineJob: Sendable, Equatable {
  public let kind: DeadlineKind
  public let subject: Subject
  public let dueDay: CivilDate
  public let due: Date
  public let key: String
  public let article: Article
  public let payload: [String: String]
  /// The profile version that set the obligation; set by every engine entry point.
  public internal(set) var profile: ProfileStamp?

  public init(
    _ kind: DeadlineKind, subject: Subject, dueDay: CivilDate, due: Date, key: String,
    article: Article,
    payload: [String: String] = [:]
  ) {
    self.kind = kind
    self.subject = subject
    self.dueDay = dueDay
    self.due = due
    self.key = key
    self.article = article
    self.payload = payload
  }
}

/// The jobs of RULES.md §8, one case per row (with the reminder and escalation steps apart).
public enum DeadlineKind: String, Sendable, Equatable, CaseIterable {
  case reviewNoticeReminder, reviewNoticeEscalation
  case rejectionNotice
  case dissolutionNotice, dissolutionObjectionWindow
  case meetingNotice
  case exitEffective
  case annualEvaluationReport, annualEvaluationReminder
  case minimumMeetings
  case termEnd
  case inactivityExit
  case fundUsePublication, feeReminder
}

/// What the engine decided, in a word, under which article and which profile version.
public struct Decision: Sendable, Equatable, CustomStringConvertible {
  public let code: String
  public let article: Article
  /// The profile version the decision was made under; set by every engine entry point, nil
  /// only for a decision built outside the engine.
  public internal(set) var profile: ProfileStamp?

  public init(_ code: String, _ article: Article, profile: ProfileStamp? = nil) {
    self.code = code
    self.article = article
    self.profile = profile
  }

  public var description: String {
    guard let profile else { return "\(code) (\(article))" }
    return "\(code) (\(article), \(profile.id) v\(profile.version))"
  }
}

/// A warning the operator should see but that does not stop the transition (e.g. a deadline
/// computed in a year without calendar data, a late notice).
public struct EngineWarning: Sendable, Equatable, CustomStringConvertible {
  public let code: String
  public let article: Article?
  public let messageZh: String
  public let messageEn: String

  public init(_ code: String, _ article: Article?, zh: String, en: String) {
    self.code = code
    self.article = article
    self.messageZh = zh
    self.messageEn = en
  }

  public var description: String { "\(code): \(messageZh) / \(messageEn)" }
}

/// The result of one transition: the new state and everything to record, send and schedule.
public struct Transition<State: Sendable>: Sendable {
  public var state: State
  public var decision: Decision
  public var facts: [Fact] = []
  public var notices: [Notice] = []
  public var jobs: [DeadlineJob] = []
  /// Keys of jobs that no longer apply (the obligation was met or the case closed).
  public var cancelledJobKeys: [String] = []
  public var warnings: [EngineWarning] = []

  public init(state: State, decision: Decision) {
    self.state = state
    self.decision = decision
  }
}
