import CharterAccounts
import CharterCalendar
import CharterGovernance
import CharterPostgres
import Foundation

/// One event of a member's life applied the same way from a command or a deadline job: the
/// engine decides, the member's state and projections are saved, the transition is recorded
/// (decision, facts, notices, jobs) and the change goes into the register (DTPC art. 17).
extension WorkflowService {
  struct AppliedMemberEvent {
    var member: StoredMember
    var recorded: RecordedDecision
    /// The register event written, if the event changed the member's standing, tier or seats.
    var registerEvent: String?
  }

  /// Applies `event` to member `id` in `scope`'s transaction. A refusal of the engine is thrown
  /// as it is (the caller's transaction rolls back: nothing changes). Other workflows call it
  /// too (meetings: `.attendanceRecorded` gives the register `downgraded`, `seat_lost` or
  /// `automatic_exit`).
  static func applyMemberEvent(
    _ event: MemberRecord.Event, to id: UUID, scope: WorkflowScope, cause: String? = nil,
    detail: [String: String] = [:]
  ) async throws -> AppliedMemberEvent {
    guard var member = try await MemberStore.load(id, on: scope.connection) else {
      throw scope.failure(.notFound, "no member \(id.uuidString.lowercased())")
    }
    guard let record = member.record else {
      throw scope.failure(
        .conflict, "\(member.name) is not a member (status \(member.status)); admit it first")
    }
    let profile = try scope.profile()
    var transition = try record.apply(event, profile: profile, context: scope.engine)
    let registerEvent = Self.registerEvent(of: transition)
    if let registerEvent, Self.announcedByUs.contains(registerEvent),
      !transition.notices.contains(where: { $0.kind == .announcement })
    {
      transition.notices.append(
        Self.registerAnnouncement(
          member: member, event: registerEvent, status: MemberStore.status(of: transition.state),
          article: transition.decision.article))
    }
    member.record = transition.state
    try await MemberStore.save(member, on: scope.connection, today: scope.engine.today)
    var decisionDetail = detail
    decisionDetail["member"] = member.name
    let recorded = try await scope.record(
      transition, subject: .member(member.engineID), detail: decisionDetail)
    if let registerEvent {
      try await MemberStore.appendRegister(
        member, event: registerEvent, effectiveOn: scope.engine.today,
        cause: cause ?? "\(transition.decision.code) (\(transition.decision.article.citation))",
        scope: scope,
        detail: ["decision": String(recorded.decisionID)])
    }
    try await Self.memberStandingChanged(member, transition: transition, scope: scope)
    return AppliedMemberEvent(member: member, recorded: recorded, registerEvent: registerEvent)
  }

  /// What the other parts do when a member's standing changes, in the same transaction: a
  /// member that left leaves its working groups (AITISA art. 7.1); a member moved to a tier
  /// gets that tier's fee reminder (zgc-ai fee rules).
  static func memberStandingChanged(
    _ member: StoredMember, transition: Transition<MemberRecord>, scope: WorkflowScope
  ) async throws {
    if case .left = transition.state.status {
      try await scope.removeFromWorkingGroups(member: member.id)
    } else if ["tierChanged", "downgraded"].contains(transition.decision.code) {
      try await scheduleFeeReminder(
        scope, member: member.engineID, tier: transition.state.tier)
    }
  }

  /// The register event of a transition, by its decision; nil when nothing the register
  /// keeps changed (activity recorded, nothing due).
  static func registerEvent(of transition: Transition<MemberRecord>) -> String? {
    switch transition.decision.code {
    case "tierChanged": return "tier_changed"
    case "exitNoticeRecorded": return "exit_noticed"
    case "membershipEnded":
      guard case .left(let how, _) = transition.state.status else { return nil }
      switch how {
      case .voluntaryExit: return "withdrawn"
      case .automaticExit: return "automatic_exit"
      case .expulsion: return "expelled"
      case .licenceRevocation: return "licence_revoked"
      }
    case DisciplineMeasure.warning.rawValue: return "warned"
    case DisciplineMeasure.publicCriticism.rawValue: return "criticised"
    case DisciplineMeasure.suspension.rawValue: return "suspended"
    case "suspensionLifted": return "reinstated"
    case "seatGranted": return "seat_granted"
    // Consequences of attendance (AII art. 13, DTPC art. 19), for the meetings' callers.
    case "downgraded": return "downgraded"
    case "seatLost": return "seat_lost"
    default: return nil
    }
  }

  /// Register changes of status the engine does not announce itself: a suspension and its
  /// lifting change the member's status, which DTPC art. 17 has announced to members. A
  /// warning is not (only public criticism is public, DTPC art. 15(2)); a seat is announced
  /// with the body's business; an exit notice is announced when the exit takes effect
  /// (DTPC art. 16(4)).
  static let announcedByUs: Set<String> = ["suspended", "reinstated"]

  static func registerAnnouncement(
    member: StoredMember, event: String, status: String, article: Article
  ) -> Notice {
    let (zh, en): (String, String) =
      switch event {
      case "suspended": ("暂停行使成员单位权利", "rights suspended")
      case "reinstated": ("恢复行使成员单位权利", "rights restored")
      default: (event, event)
      }
    return Notice(
      .announcement, to: [.allMembers], template: "member.register.\(event)",
      parameters: ["member": member.engineID.rawValue, "name": member.name, "status": status],
      zh: "成员名册变更：\(member.name) \(zh)", en: "Member register: \(member.name), \(en)",
      article: article)
  }

  /// The lines of a reply to a member event: who, where it stands now, then the decision.
  static func replyLines(_ applied: AppliedMemberEvent) -> [String] {
    var lines = ["member: \(applied.member.id.uuidString.lowercased()) \(applied.member.name)"]
    if let record = applied.member.record {
      lines.append("status: \(MemberStore.status(of: record)); tier: \(record.tier)")
      if case .exitPending(_, let effective) = record.status {
        lines.append("exit effective: \(effective)")
      }
    }
    if let event = applied.registerEvent { lines.append("register: \(event)") }
    return lines + applied.recorded.replyLines
  }
}
