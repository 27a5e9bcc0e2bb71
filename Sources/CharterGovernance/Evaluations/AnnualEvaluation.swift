public import CharterCalendar

/// Parameters of the annual evaluation the profile does not carry (extension points).
public struct EvaluationExtensions: Sendable {
  /// [interp] How long a group has to submit its written report after the request.
  public var reportPeriod: Ruled<CalendarPeriod>
  /// [interp] Calendar days before the report deadline at which the group is reminded.
  public var reminderLead: Ruled<Int>

  public init(reportPeriod: Ruled<CalendarPeriod>, reminderLead: Ruled<Int>) {
    self.reportPeriod = reportPeriod
    self.reminderLead = reminderLead
  }
}

/// The yearly evaluation of a working group, AITISA art. 11: the group reports in writing to
/// the secretariat, the secretariat evaluates, the chair's office approves, the results are
/// published; excellent groups are commended, failing groups warned and asked to rectify.
public struct AnnualEvaluation: Sendable, Equatable, Codable {
  public enum Rating: String, Sendable, Equatable, CaseIterable, Codable {
    case excellent, passing, failing
  }

  public enum Stage: Sendable, Equatable, Codable {
    case reportRequested(due: CivilDate)
    case reportSubmitted(on: CivilDate)
    case rated(Rating)
    case approved(Rating)
    case published(Rating, on: CivilDate)
  }

  public let group: WorkingGroupID
  public let year: Int
  public var stage: Stage

  public enum Event: Sendable, Equatable {
    case reportReminderDue
    case reportDeadlinePassed
    case reportSubmitted
    case rated(Rating, by: String)
    case chairsOfficeDecided(approved: Bool, by: String)
    case published
  }

  static func reportKey(_ group: WorkingGroupID, _ year: Int) -> String {
    "annual-evaluation:\(group):\(year)"
  }
  static func reminderKey(_ group: WorkingGroupID, _ year: Int) -> String {
    "annual-evaluation-reminder:\(group):\(year)"
  }

  static func rules(_ profile: CharterProfile) throws(Refusal) -> Cited<EvaluationRules> {
    guard let rules = profile.workingGroups?.annualEvaluation else {
      throw Refusal(
        "noAnnualEvaluation", Article(profile.membership.kinds.citation), zh: "章程未规定推进组年度评估",
        en: "the charter sets no annual evaluation of working groups")
    }
    return rules
  }

  /// Requests the year's written report from the group and schedules its deadline and reminder.
  public static func request(
    group: WorkingGroupID, year: Int, profile: CharterProfile, extensions x: EvaluationExtensions,
    context: EngineContext
  ) throws(Refusal) -> Transition<AnnualEvaluation> {
    try profile.stamp.recording { () throws(Refusal) in
      try Self.requestUnstamped(
        group: group, year: year, profile: profile, extensions: x, context: context)
    }
  }

  private static func requestUnstamped(
    group: WorkingGroupID, year: Int, profile: CharterProfile, extensions x: EvaluationExtensions,
    context: EngineContext
  ) throws(Refusal) -> Transition<AnnualEvaluation> {
    let rules = try rules(profile)
    let article = Article(rules.citation)
    let today = context.today
    var warnings: [EngineWarning] = []
    let due = try context.deadline(
      x.reportPeriod.value, after: today, article: x.reportPeriod.article, warnings: &warnings)
    let evaluation = AnnualEvaluation(group: group, year: year, stage: .reportRequested(due: due))
    var t = Transition(state: evaluation, decision: Decision("reportRequested", article))
    t.warnings = warnings
    t.facts.append(
      Fact(
        .evaluationRequested, .workingGroup(group), day: today, article: article,
        details: ["year": String(year), "due": due.description]))
    t.notices.append(
      Notice(
        .request, to: [.groupLeader(group)], template: "wg.evaluation.reportRequested",
        parameters: ["group": group.rawValue, "year": String(year), "due": due.description],
        zh: "请于 \(due) 前向秘书处书面报告推进组 \(year) 年度工作",
        en: "Please report the group's \(year) work in writing by \(due)",
        article: article))
    t.jobs.append(
      DeadlineJob(
        .annualEvaluationReport, subject: .workingGroup(group), dueDay: due, due: context.due(due),
        key: reportKey(group, year), article: article,
        payload: ["group": group.rawValue, "year": String(year)]))
    let reminderDay = due.adding(days: -x.reminderLead.value)
    if x.reminderLead.value > 0 && reminderDay > today {
      t.jobs.append(
        DeadlineJob(
          .annualEvaluationReminder, subject: .workingGroup(group), dueDay: reminderDay,
          due: context.due(reminderDay),
          key: reminderKey(group, year), article: article,
          payload: ["group": group.rawValue, "year": String(year)]))
    }
    return t
  }

  public func apply(_ event: Event, profile: CharterProfile, context: EngineContext) throws(Refusal)
    -> Transition<AnnualEvaluation>
  {
    try profile.stamp.recording { () throws(Refusal) in
      try applyUnstamped(event, profile: profile, context: context)
    }
  }

  private func applyUnstamped(_ event: Event, profile: CharterProfile, context: EngineContext)
    throws(Refusal)
    -> Transition<AnnualEvaluation>
  {
    let rules = try Self.rules(profile)
    let article = Article(rules.citation)
    let today = context.today
    let subject = Subject.workingGroup(group)
    switch (event, stage) {
    case (.reportReminderDue, .reportRequested(let due)),
      (.reportDeadlinePassed, .reportRequested(let due)):
      let overdue = event == .reportDeadlinePassed
      var t = Transition(
        state: self, decision: Decision(overdue ? "reportOverdue" : "reportReminder", article))
      t.notices.append(
        Notice(
          overdue ? .escalation : .reminder,
          to: overdue ? [.groupLeader(group), .secretariat] : [.groupLeader(group)],
          template: overdue ? "wg.evaluation.reportOverdue" : "wg.evaluation.reportReminder",
          parameters: ["group": group.rawValue, "year": String(year), "due": due.description],
          zh: overdue ? "推进组 \(year) 年度工作报告已逾期（期限 \(due)）" : "推进组 \(year) 年度工作报告须于 \(due) 前提交",
          en: overdue
            ? "The group's \(year) report is overdue (due \(due))"
            : "The group's \(year) report is due by \(due)",
          article: article))
      return t

    case (.reportReminderDue, _), (.reportDeadlinePassed, _):
      return Transition(state: self, decision: Decision("nothingDue", article))

    case (.reportSubmitted, .reportRequested(let due)):
      var next = self
      next.stage = .reportSubmitted(on: today)
      var t = Transition(state: next, decision: Decision("reportSubmitted", article))
      t.facts.append(
        Fact(
          .evaluationReportSubmitted, subject, day: today, article: article,
          details: ["year": String(year), "late": String(today > due)]))
      t.cancelledJobKeys = [Self.reportKey(group, year), Self.reminderKey(group, year)]
      return t

    case (.rated(let rating, let by), .reportSubmitted):
      guard by == rules.value.evaluatedBy else {
        throw Refusal(
          "wrongBody", article, zh: "评估由 \(rules.value.evaluatedBy) 进行",
          en: "evaluated by \(rules.value.evaluatedBy), not \(by)")
      }
      var next = self
      next.stage = .rated(rating)
      var t = Transition(state: next, decision: Decision("rated", article))
      t.facts.append(
        Fact(
          .evaluationRated, subject, day: today, article: article,
          details: ["year": String(year), "rating": rating.rawValue]))
      return t

    case (.chairsOfficeDecided(let approved, let by), .rated(let rating)):
      guard by == rules.value.approvedBy else {
        throw Refusal(
          "wrongBody", article, zh: "评估结果由 \(rules.value.approvedBy) 审定",
          en: "approved by \(rules.value.approvedBy), not \(by)")
      }
      var next = self
      // Not approved: back to the secretariat for a new evaluation.
      next.stage = approved ? .approved(rating) : .reportSubmitted(on: today)
      var t = Transition(
        state: next,
        decision: Decision(approved ? "evaluationApproved" : "evaluationReturned", article))
      if approved {
        t.facts.append(
          Fact(
            .evaluationApproved, subject, day: today, article: article,
            details: ["year": String(year), "rating": rating.rawValue]))
      }
      return t

    case (.published, .approved(let rating)):
      var next = self
      next.stage = .published(rating, on: today)
      var t = Transition(state: next, decision: Decision("published", article))
      t.facts.append(
        Fact(
          .evaluationPublished, subject, day: today, article: article,
          details: ["year": String(year), "rating": rating.rawValue]))
      if rules.value.published {
        t.notices.append(
          Notice(
            .announcement, to: [.allMembers], template: "wg.evaluation.published",
            parameters: ["group": group.rawValue, "year": String(year), "rating": rating.rawValue],
            zh: "推进组 \(group) \(year) 年度评估结果：\(Self.ratingZh(rating))",
            en: "Working group \(group), \(year) evaluation: \(rating.rawValue)", article: article))
      }
      switch rating {
      case .excellent:
        t.facts.append(
          Fact(
            .groupCommended, subject, day: today, article: article, details: ["year": String(year)])
        )
        t.notices.append(
          Notice(
            .decision, to: [.groupMembers(group), .groupLeader(group)],
            template: "wg.evaluation.commendation",
            parameters: ["group": group.rawValue, "year": String(year)],
            zh: "推进组 \(year) 年度评估优秀，予以表彰",
            en: "The group is commended for its \(year) work", article: article))
      case .failing:
        t.facts.append(
          Fact(.groupWarned, subject, day: today, article: article, details: ["year": String(year)])
        )
        t.notices.append(
          Notice(
            .warning, to: [.groupMembers(group), .groupLeader(group)],
            template: "wg.evaluation.warning",
            parameters: ["group": group.rawValue, "year": String(year)],
            zh: "推进组 \(year) 年度评估不合格，予以警告并限期整改",
            en: "The group is warned for its \(year) work and asked to rectify", article: article))
      case .passing:
        break
      }
      return t

    default:
      throw Refusal(
        "stepOutOfOrder", article, zh: "年度评估当前阶段不能处理该事件",
        en: "this event does not apply to the evaluation in its current stage")
    }
  }

  static func ratingZh(_ rating: Rating) -> String {
    switch rating {
    case .excellent: return "优秀"
    case .passing: return "合格"
    case .failing: return "不合格"
    }
  }
}
