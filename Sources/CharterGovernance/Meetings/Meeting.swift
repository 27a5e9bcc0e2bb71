public import CharterCalendar

/// A meeting of a body: the notice period check (DTPC art. 20: agenda 15 days before), the
/// notice, and the motions decided from attendance and ballots with the body's thresholds
/// (AII art. 19, 23, 24; DTPC art. 20; AITISA art. 10).
public struct Meeting: Sendable, Equatable, Codable {
  public let id: MeetingID
  public let body: String
  public var day: CivilDate
  /// The last day the notice (with agenda) may be sent; nil when the body sets no notice.
  public var latestNoticeDay: CivilDate?
  public var noticeSentOn: CivilDate?
  /// The recorded reason for holding the meeting although the notice period cannot be met.
  public var noticeOverride: String?
  public var decidedMotions: [String]

  public enum Event: Sendable {
    case noticeSent
    /// The `meetingNotice` job fell due: the notice has not been sent.
    case noticeDeadlinePassed
    case motionVoted(Motion)
  }

  /// One motion put to the vote. Voters are member ids (a person votes for its unit).
  public struct Motion: Sendable {
    public var id: String
    public var matter: String?
    /// Seats of the body at the time of the meeting (base of "of members").
    public var seats: Int
    public var attendance: Attendance<MemberID>
    public var ballot: Ballot<MemberID>
    /// The register's view of each voter, for suspended members (DTPC art. 15 [interp]).
    public var standing: [MemberID: MemberStanding]

    public init(
      id: String, matter: String? = nil, seats: Int, attendance: Attendance<MemberID>,
      ballot: Ballot<MemberID>,
      standing: [MemberID: MemberStanding]
    ) {
      self.id = id
      self.matter = matter
      self.seats = seats
      self.attendance = attendance
      self.ballot = ballot
      self.standing = standing
    }
  }

  static func noticeKey(_ id: MeetingID) -> String { "meeting-notice:\(id)" }

  /// Schedules a meeting. Refused when the notice period can no longer be met, unless an
  /// override reason is given; the override is recorded with the meeting.
  public static func schedule(
    id: MeetingID, body bodyID: String, on day: CivilDate, overrideReason: String? = nil,
    profile: CharterProfile,
    context: EngineContext
  ) throws(Refusal) -> Transition<Meeting> {
    try profile.stamp.recording { () throws(Refusal) in
      try Self.scheduleUnstamped(
        id: id, body: bodyID, on: day, overrideReason: overrideReason, profile: profile,
        context: context)
    }
  }

  private static func scheduleUnstamped(
    id: MeetingID, body bodyID: String, on day: CivilDate, overrideReason: String? = nil,
    profile: CharterProfile,
    context: EngineContext
  ) throws(Refusal) -> Transition<Meeting> {
    guard let body = profile.body(bodyID) else {
      throw Refusal(
        "unknownBody", Article(profile.membership.kinds.citation), zh: "章程中没有机构 \(bodyID)",
        en: "the charter has no body \(bodyID)")
    }
    let today = context.today
    guard day >= today else {
      throw Refusal(
        "meetingInPast", Article(body.citation), zh: "会议日期已过", en: "the meeting day has passed")
    }
    var meeting = Meeting(
      id: id, body: bodyID, day: day, latestNoticeDay: nil, noticeSentOn: nil, noticeOverride: nil,
      decidedMotions: [])
    var t = Transition(
      state: meeting, decision: Decision("meetingScheduled", Article(body.citation)))
    guard let notice = body.notice else {
      t.facts.append(
        Fact(
          .meetingScheduled, .meeting(id), day: today, article: Article(body.citation),
          details: ["body": bodyID, "day": day.description]))
      return t
    }
    let article = Article(notice.citation)
    let latest = try latestNoticeDay(
      before: day, period: notice.value, article: article, context: context)
    meeting.latestNoticeDay = latest
    let reason = overrideReason?.trimmingSpaces ?? ""
    if today > latest {
      guard !reason.isEmpty else {
        throw Refusal(
          "noticePeriodCannotBeMet", article,
          zh: "会议通知（含议程）须于 \(latest) 前发出，已无法满足；如确需召开，请记录理由",
          en: "the notice with the agenda had to go out by \(latest); give a reason to override")
      }
      meeting.noticeOverride = reason
    }
    t = Transition(
      state: meeting,
      decision: Decision(
        meeting.noticeOverride == nil ? "meetingScheduled" : "noticeOverridden", article))
    t.facts.append(
      Fact(
        .meetingScheduled, .meeting(id), day: today, article: article,
        details: ["body": bodyID, "day": day.description, "latestNotice": latest.description]))
    if let override = meeting.noticeOverride {
      t.facts.append(
        Fact(
          .meetingNoticeOverridden, .meeting(id), day: today, article: article,
          details: ["reason": override]))
      t.warnings.append(
        EngineWarning(
          "noticePeriodOverridden", article, zh: "通知期不足，已记录理由：\(override)",
          en: "notice period not met, reason recorded: \(override)"))
    } else {
      t.jobs.append(
        DeadlineJob(
          .meetingNotice, subject: .meeting(id), dueDay: latest, due: context.due(latest),
          key: noticeKey(id),
          article: article,
          payload: ["meeting": id.rawValue, "body": bodyID, "day": day.description]))
    }
    return t
  }

  /// "Notice N days before the meeting": the meeting day minus N days (calendar days), or
  /// the N-th working day before it. A notice may go out on any day, so no rolling.
  static func latestNoticeDay(
    before day: CivilDate, period: CalendarPeriod, article: Article, context: EngineContext
  ) throws(Refusal) -> CivilDate {
    switch period {
    case .calendarDays(let n): return day.adding(days: -n)
    case .workingDays(let n): return try context.workingDay(n, before: day, article: article)
    }
  }

  public func apply(_ event: Event, profile: CharterProfile, context: EngineContext) throws(Refusal)
    -> Transition<Meeting>
  {
    try profile.stamp.recording { () throws(Refusal) in
      try applyUnstamped(event, profile: profile, context: context)
    }
  }

  private func applyUnstamped(_ event: Event, profile: CharterProfile, context: EngineContext)
    throws(Refusal)
    -> Transition<Meeting>
  {
    let today = context.today
    guard let body = profile.body(body) else {
      throw Refusal(
        "unknownBody", Article(profile.membership.kinds.citation), zh: "章程中没有机构 \(self.body)",
        en: "the charter has no body \(self.body)")
    }
    let noticeArticle = Article(body.notice?.citation ?? body.citation)
    switch event {
    case .noticeSent:
      var next = self
      next.noticeSentOn = today
      var t = Transition(state: next, decision: Decision("noticeSent", noticeArticle))
      let late = latestNoticeDay.map { today > $0 } ?? false
      t.facts.append(
        Fact(
          .meetingNoticeSent, .meeting(id), day: today, article: noticeArticle,
          details: ["late": String(late)]))
      t.cancelledJobKeys = [Self.noticeKey(id)]
      if late {
        t.warnings.append(
          EngineWarning(
            "noticeLate", noticeArticle, zh: "会议通知晚于 \(latestNoticeDay?.description ?? "")",
            en: "the notice went out after \(latestNoticeDay?.description ?? "")"))
      }
      return t

    case .noticeDeadlinePassed:
      guard noticeSentOn == nil, let latest = latestNoticeDay else {
        return Transition(state: self, decision: Decision("nothingDue", noticeArticle))
      }
      var t = Transition(state: self, decision: Decision("noticeOverdue", noticeArticle))
      t.notices.append(
        Notice(
          .escalation, to: [.secretariat], template: "meeting.notice.overdue",
          parameters: [
            "meeting": id.rawValue, "body": self.body, "day": day.description,
            "latestNotice": latest.description,
          ],
          zh: "\(body.name) \(day) 会议的通知未于 \(latest) 前发出；须改期或记录理由后召开",
          en:
            "The notice of the \(self.body) meeting on \(day) was not sent by \(latest): postpone or record a reason",
          article: noticeArticle))
      return t

    case .motionVoted(let motion):
      return try voting(motion, body: body, profile: profile, today: today)
    }
  }

  private func voting(_ motion: Motion, body: Body, profile: CharterProfile, today: CivilDate)
    throws(Refusal) -> Transition<Meeting>
  {
    let matter = motion.matter.flatMap { profile.matter($0) }
    guard let rules = body.votingRules(for: matter) else {
      throw Refusal(
        "bodyDoesNotVote", Article(body.citation), zh: "\(body.name)不进行表决",
        en: "\(body.id) does not vote")
    }
    let passArticle = Article(rules.pass.citation)
    if let latest = latestNoticeDay, noticeOverride == nil,
      noticeSentOn.map({ $0 > latest }) ?? true
    {
      throw Refusal(
        "noticeNotGiven", Article(body.notice?.citation ?? body.citation),
        zh: "会议通知未按期发出，且未记录理由，不能表决",
        en: "the meeting was not noticed in time and no override was recorded")
    }
    if let expected = matter?.ballot?.value ?? body.defaultBallot?.value,
      expected != motion.ballot.kind
    {
      throw Refusal(
        "wrongBallotKind",
        Article(matter?.ballot?.citation ?? body.defaultBallot?.citation ?? body.citation),
        zh: "该事项须以 \(expected.rawValue) 方式表决",
        en: "this matter is voted by \(expected.rawValue) ballot")
    }
    if let suspended = motion.ballot.voters.first(where: { motion.standing[$0] == .suspended }),
      profile.membership.discipline?.suspension?.value.mayVote != true
    {
      throw Refusal(
        "suspendedMayNotVote",
        profile.membership.discipline?.suspension.map { Article($0.citation) } ?? passArticle,
        zh: "\(suspended) 暂停权利期间不得表决", en: "\(suspended) is suspended and may not vote")
    }
    let result: TallyResult
    do {
      result = try Tally.decide(
        members: motion.seats, attendance: motion.attendance, ballot: motion.ballot, rules: rules)
    } catch {
      throw Refusal(
        "inconsistentVote", passArticle, zh: "表决数据不一致：\(error)", en: "inconsistent vote: \(error)")
    }
    var next = self
    next.decidedMotions.append(motion.id)
    let article =
      result.outcome == .noQuorum
      ? Article(result.quorumCitation ?? rules.pass.citation) : passArticle
    var t = Transition(state: next, decision: Decision(result.outcome.rawValue, article))
    var details: [String: String] = [
      "motion": motion.id, "ballot": motion.ballot.kind.rawValue,
      "outcome": result.outcome.rawValue,
      "seats": String(result.members), "present": String(result.present),
      "yes": String(result.counts.yes),
      "no": String(result.counts.no), "abstain": String(result.counts.abstain),
      "yesNeeded": String(result.yesNeeded),
      "passArticle": result.passCitation.article,
    ]
    if let q = result.quorumNeeded { details["quorumNeeded"] = String(q) }
    if let c = result.quorumCitation { details["quorumArticle"] = c.article }
    // A secret ballot keeps turnout only; a recorded ballot keeps each voter's choice.
    switch motion.ballot {
    case .recorded(let ballot):
      details["choices"] = ballot.choices.map { "\($0.key.rawValue)=\($0.value.rawValue)" }.sorted()
        .joined(separator: ",")
    case .secret(let ballot):
      details["turnout"] = ballot.turnout.map(\.rawValue).sorted().joined(separator: ",")
    }
    t.facts.append(
      Fact(.motionDecided, .meeting(id), day: today, article: article, details: details))
    // AII art. 27: a charter amendment passed by the council then goes to the general assembly.
    if result.outcome == .passed, let matter, let thenBody = matter.thenBody {
      let matterArticle = Article(matter.citation)
      t.notices.append(
        Notice(
          .request, to: [.secretariat, .body(thenBody)], template: "meeting.motion.toNextBody",
          parameters: [
            "meeting": id.rawValue, "motion": motion.id, "matter": matter.id, "thenBody": thenBody,
          ],
          zh: "“\(matter.name)”已由\(body.name)通过，须提交 \(thenBody) 审议",
          en: "\(matter.id) passed in \(body.id); it now goes to \(thenBody)",
          article: matterArticle))
    }
    return t
  }
}
