public import CharterCalendar

/// One member in the register: tier, status, seats, attendance streaks and last activity.
/// Every change is returned as a fact with its date and cause (DTPC art. 17).
public struct MemberRecord: Sendable, Equatable, Codable {
  public enum Status: Sendable, Equatable, Codable {
    case active
    /// A written exit notice was given; membership ends on `effective` (DTPC art. 16(1)).
    case exitPending(noticeOn: CivilDate, effective: CivilDate)
    case left(LeavingKind, on: CivilDate)
  }

  public let id: MemberID
  public let kind: MemberKind
  public var tier: String
  public var status: Status
  public var since: CivilDate
  /// Bodies in which the member holds a seat (DTPC art. 19: the joint meeting).
  public var seats: Set<String>
  /// Consecutive counted absences per body.
  public var absenceStreaks: [String: Int]
  /// Since when the member's rights are suspended (DTPC art. 15 [interp]: duties and notices
  /// continue; no vote, no office). Kept apart from `status`: a suspended member may give
  /// notice of exit and stays suspended until it leaves.
  public var suspendedSince: CivilDate? = nil
  /// The last day the member fulfilled an obligation or joined an activity (DTPC art. 16(2)).
  public var lastActivity: CivilDate

  public init(
    id: MemberID, kind: MemberKind, tier: String, status: Status, since: CivilDate,
    seats: Set<String> = [],
    absenceStreaks: [String: Int] = [:], lastActivity: CivilDate
  ) {
    self.id = id
    self.kind = kind
    self.tier = tier
    self.status = status
    self.since = since
    self.seats = seats
    self.absenceStreaks = absenceStreaks
    self.lastActivity = lastActivity
  }

  /// How other state machines see this member.
  public var standing: MemberStanding {
    switch status {
    case .left: return .notAMember
    case .active, .exitPending: return suspendedSince == nil ? .inGoodStanding : .suspended
    }
  }

  public var isMember: Bool {
    if case .left = status { return false }
    return true
  }

  public enum Event: Sendable, Equatable {
    case changeTier(to: String)
    /// A written exit notice recorded by the secretariat.
    case exitNoticeReceived
    /// The `exitEffective` job fell due.
    case exitEffectiveReached
    /// The authorities revoked the business licence.
    case licenceRevoked
    case activityRecorded
    /// The `inactivityExit` job fell due.
    case inactivityCheck
    case attendanceRecorded(body: String, status: AttendanceStatus)
    /// `vote` is the body's vote on the measure, required where the charter decides by vote
    /// (AII art. 16).
    case sanction(DisciplineMeasure, decidedBy: String, reasons: String, vote: VoteOutcome? = nil)
    case liftSuspension(decidedBy: String)
    case seatGranted(body: String)
  }

  static func exitKey(_ id: MemberID) -> String { "exit-effective:\(id)" }
  static func inactivityKey(_ id: MemberID) -> String { "inactivity-exit:\(id)" }

  public func apply(_ event: Event, profile: CharterProfile, context: EngineContext) throws(Refusal)
    -> Transition<MemberRecord>
  {
    try profile.stamp.recording { () throws(Refusal) in
      try applyUnstamped(event, profile: profile, context: context)
    }
  }

  private func applyUnstamped(_ event: Event, profile: CharterProfile, context: EngineContext)
    throws(Refusal)
    -> Transition<MemberRecord>
  {
    let m = profile.membership
    let today = context.today
    let subject = Subject.member(id)
    if case .left(let how, let on) = status {
      throw Refusal(
        "notAMember", Article(m.exit.voluntary), zh: "\(id) 已于 \(on) 退出（\(how.rawValue)）",
        en: "\(id) left on \(on) (\(how.rawValue))")
    }
    switch event {
    case .changeTier(let target):
      guard let tier = profile.tier(target), let from = profile.tier(self.tier) else {
        throw Refusal(
          "unknownTier", Article(profile.tiers.first?.citation ?? m.kinds.citation),
          zh: "未知的会员等级 \(target)",
          en: "unknown tier \(target)")
      }
      if suspendedSince != nil {
        throw Refusal(
          "suspended", Article(m.discipline?.suspension?.citation ?? tier.citation),
          zh: "暂停权利期间不得变更等级",
          en: "a suspended member may not change tier")
      }
      var next = self
      next.tier = target
      next.absenceStreaks = [:]
      var t = Transition(state: next, decision: Decision("tierChanged", Article(tier.citation)))
      t.facts.append(
        Fact(
          .tierChanged, subject, day: today, article: Article(tier.citation),
          details: ["from": from.id, "to": tier.id, "cause": "decision"]))
      t.notices.append(
        tierNotice(from: from, to: tier, cause: "decision", article: Article(tier.citation)))
      // DTPC art. 12: director and vice-director units are elected for 5 years.
      if let term = tier.term, case .years(let n) = term.value {
        let lastDay = today.adding(years: n).adding(days: -1)
        t.jobs.append(
          DeadlineJob(
            .termEnd, subject: subject, dueDay: lastDay, due: context.due(lastDay),
            key: "tier-term-end:\(id)",
            article: Article(term.citation), payload: ["member": id.rawValue, "tier": tier.id]))
      }
      return t

    case .exitNoticeReceived:
      let article = Article(m.exit.notice?.citation ?? m.exit.voluntary)
      // A suspended member may still leave: suspension withholds rights, not the exit.
      if case .exitPending(_, let effective) = status {
        // A repeated notice keeps the first date.
        throw Refusal(
          "exitAlreadyPending", article, zh: "已提出退出，将于 \(effective) 生效",
          en: "an exit notice is already pending, effective \(effective)")
      }
      guard let period = m.exit.notice else {
        // AII art. 15(1): the exit ends once the formalities are done.
        return leaving(.voluntaryExit, article: article, profile: profile, context: context)
      }
      var warnings: [EngineWarning] = []
      let effective = try context.deadline(
        period.value, after: today, article: article, warnings: &warnings)
      var next = self
      next.status = .exitPending(noticeOn: today, effective: effective)
      var t = Transition(state: next, decision: Decision("exitNoticeRecorded", article))
      t.warnings = warnings
      t.facts.append(
        Fact(
          .exitNoticeReceived, subject, day: today, article: article,
          details: ["effective": effective.description]))
      t.notices.append(
        Notice(
          .information, to: [.memberContact(id), .secretariat],
          template: "member.exit.noticeReceived",
          parameters: ["member": id.rawValue, "effective": effective.description],
          zh: "已收到 \(id) 的书面退出通知，退出将于 \(effective) 生效",
          en: "Written exit notice of \(id) received; the exit takes effect on \(effective)",
          article: article))
      t.jobs.append(
        DeadlineJob(
          .exitEffective, subject: subject, dueDay: effective, due: context.due(effective),
          key: Self.exitKey(id),
          article: article, payload: ["member": id.rawValue]))
      return t

    case .exitEffectiveReached:
      guard case .exitPending(_, let effective) = status else {
        return Transition(state: self, decision: Decision("nothingDue", Article(m.exit.voluntary)))
      }
      let article = Article(m.exit.notice?.citation ?? m.exit.voluntary)
      guard today >= effective else {
        throw Refusal(
          "exitNotYetEffective", article, zh: "退出于 \(effective) 方生效",
          en: "the exit takes effect only on \(effective)")
      }
      return leaving(.voluntaryExit, article: article, profile: profile, context: context)

    case .licenceRevoked:
      guard let rule = m.exit.licenceRevocationEndsMembership, rule.value else {
        throw Refusal(
          "noSuchRule", Article(m.exit.voluntary), zh: "章程未规定吊销执照即丧失会员资格",
          en: "the charter does not end membership on licence revocation")
      }
      return leaving(
        .licenceRevocation, article: Article(rule.citation), profile: profile, context: context)

    case .activityRecorded:
      var next = self
      next.lastActivity = today
      var t = Transition(
        state: next,
        decision: Decision("activityRecorded", Article(m.inactivity?.citation ?? m.exit.voluntary)))
      t.facts.append(Fact(.activityRecorded, subject, day: today, article: t.decision.article))
      if let rule = m.inactivity {
        let due = today.adding(years: rule.value.years)
        // Same key as before: the scheduler replaces the earlier job.
        t.jobs.append(
          DeadlineJob(
            .inactivityExit, subject: subject, dueDay: due, due: context.due(due),
            key: Self.inactivityKey(id),
            article: Article(rule.citation),
            payload: ["member": id.rawValue, "lastActivity": today.description]))
      }
      return t

    case .inactivityCheck:
      guard let rule = m.inactivity else {
        return Transition(state: self, decision: Decision("nothingDue", Article(m.exit.voluntary)))
      }
      let article = Article(rule.citation)
      guard today >= lastActivity.adding(years: rule.value.years) else {
        return Transition(state: self, decision: Decision("stillActive", article))
      }
      return leaving(
        .automaticExit, article: article, profile: profile, context: context, cause: "inactivity")

    case .attendanceRecorded(let body, let attendance):
      return recordingAttendance(body: body, status: attendance, profile: profile, context: context)

    case .sanction(let measure, let decidedBy, let reasons, let vote):
      return try sanctioning(
        measure, decidedBy: decidedBy, reasons: reasons, vote: vote, profile: profile,
        context: context)

    case .liftSuspension(let decidedBy):
      guard let ladder = m.discipline, suspendedSince != nil else {
        throw Refusal(
          "notSuspended", Article(m.discipline?.citation ?? m.exit.voluntary), zh: "该会员未被暂停权利",
          en: "the member is not suspended")
      }
      guard ladder.decidedBy.contains(decidedBy) else {
        throw Refusal(
          "wrongBody", Article(ladder.citation),
          zh: "须由 \(ladder.decidedBy.joined(separator: "/")) 决定",
          en: "decided by \(ladder.decidedBy.joined(separator: "/")) only")
      }
      var next = self
      next.suspendedSince = nil
      var t = Transition(
        state: next, decision: Decision("suspensionLifted", Article(ladder.citation)))
      t.facts.append(
        Fact(.suspensionLifted, subject, day: today, article: Article(ladder.citation)))
      return t

    case .seatGranted(let body):
      var next = self
      next.seats.insert(body)
      next.absenceStreaks[body] = 0
      let article = Article(profile.body(body)?.citation ?? m.kinds.citation)
      return Transition(state: next, decision: Decision("seatGranted", article))
    }
  }

  /// Ends the membership: register entry, announcement, filing, and cancellation of the
  /// member's pending jobs.
  func leaving(
    _ how: LeavingKind, article: Article, profile: CharterProfile, context: EngineContext,
    cause: String? = nil
  ) -> Transition<MemberRecord> {
    let today = context.today
    var next = self
    next.status = .left(how, on: today)
    next.seats = []
    var t = Transition(state: next, decision: Decision("membershipEnded", article))
    t.facts.append(
      Fact(
        .membershipEnded, .member(id), day: today, article: article,
        details: ["how": how.rawValue, "cause": cause ?? how.rawValue, "tier": tier]))
    var recipients: [Recipient] = [.memberContact(id), .allMembers]
    if let filedWith = profile.membership.exit.filedWith { recipients.append(.body(filedWith)) }
    t.notices.append(
      Notice(
        .announcement, to: recipients, template: "member.left.\(how.rawValue)",
        parameters: ["member": id.rawValue, "how": how.rawValue, "on": today.description],
        zh: "\(id) 自 \(today) 起不再是会员单位（\(Self.leavingZh(how))）",
        en: "\(id) is no longer a member as of \(today) (\(how.rawValue))", article: article))
    t.cancelledJobKeys = [Self.exitKey(id), Self.inactivityKey(id)]
    return t
  }

  static func leavingZh(_ how: LeavingKind) -> String {
    switch how {
    case .voluntaryExit: return "自愿退出"
    case .automaticExit: return "视为自动退出"
    case .expulsion: return "除名"
    case .licenceRevocation: return "营业执照被吊销"
    }
  }

  func tierNotice(from: Tier, to: Tier, cause: String, article: Article) -> Notice {
    Notice(
      .announcement, to: [.memberContact(id), .allMembers], template: "member.tierChanged",
      parameters: ["member": id.rawValue, "from": from.id, "to": to.id, "cause": cause],
      zh: "\(id) 由\(from.name)调整为\(to.name)",
      en: "\(id) moves from \(from.id) to \(to.id) (\(cause))", article: article)
  }
}
