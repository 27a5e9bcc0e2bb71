public import CharterCalendar

/// An application to establish a working group, AITISA art. 4: received by the secretariat,
/// a written review notice within 10 working days (forwarded to the chair's office or not,
/// with reasons), the chair's office decision, and a reasoned rejection notice within 10 days.
public struct GroupApplication: Sendable, Equatable, Codable {
  public enum Stage: Sendable, Equatable, Codable {
    case underReview(reviewDue: CivilDate)
    case notForwarded(noticeSentOn: CivilDate, reasons: String)
    case forwarded(noticeSentOn: CivilDate)
    case approved(group: WorkingGroupID, decidedOn: CivilDate)
    case rejected(decidedOn: CivilDate, reasons: String, noticeDue: CivilDate)
    case rejectionNotified(decidedOn: CivilDate, noticeSentOn: CivilDate)
  }

  public let id: CaseID
  public let proposedName: String
  public let sponsors: [MemberID]
  public let leadUnit: MemberID
  public let receivedOn: CivilDate
  public var stage: Stage

  public enum Event: Sendable, Equatable {
    /// The scheduler's reminder job fell due.
    case reviewReminderDue
    /// The secretariat's written notice was recorded as sent (RULES.md §0: sent, not drafted).
    case reviewNoticeSent(forwarded: Bool, reasons: String?)
    /// The scheduler's escalation job fell due: the review deadline has passed.
    case reviewDeadlinePassed
    case chairsOfficeDecided(approved: Bool, reasons: String?, group: WorkingGroupID)
    case rejectionNoticeSent
    case rejectionNoticeDeadlinePassed
  }

  static func reviewKey(_ id: CaseID) -> String { "review-notice:\(id)" }
  static func reminderKey(_ id: CaseID) -> String { "review-notice-reminder:\(id)" }
  static func rejectionKey(_ id: CaseID) -> String { "rejection-notice:\(id)" }

  /// Art. 4.1–4.2: records a joint application and schedules the review-notice reminder and
  /// escalation. Refused when fewer sponsors than the minimum are current members in good
  /// standing, or when the lead unit is not one of them.
  public static func receive(
    id: CaseID, proposedName: String, sponsors: [MemberID], leadUnit: MemberID,
    standing: [MemberID: MemberStanding], parameters p: WorkingGroupParameters,
    context: EngineContext
  ) throws(Refusal) -> Transition<GroupApplication> {
    try p.profile.recording { () throws(Refusal) in
      try Self.receiveUnstamped(
        id: id, proposedName: proposedName, sponsors: sponsors, leadUnit: leadUnit,
        standing: standing, parameters: p, context: context)
    }
  }

  private static func receiveUnstamped(
    id: CaseID, proposedName: String, sponsors: [MemberID], leadUnit: MemberID,
    standing: [MemberID: MemberStanding], parameters p: WorkingGroupParameters,
    context: EngineContext
  ) throws(Refusal) -> Transition<GroupApplication> {
    var seen = Set<MemberID>()
    let distinct = sponsors.filter { seen.insert($0).inserted }
    let notInGoodStanding = distinct.filter { standing[$0] != .inGoodStanding }
    if let first = notInGoodStanding.first {
      throw Refusal(
        "sponsorNotInGoodStanding", p.minimumSponsors.article,
        zh: "发起单位 \(first) 不是正常状态的联盟成员单位",
        en: "sponsor \(first) is not a member in good standing")
    }
    guard distinct.count >= p.minimumSponsors.value else {
      throw Refusal(
        "tooFewSponsors", p.minimumSponsors.article,
        zh: "发起单位不足 \(p.minimumSponsors.value) 家（现有 \(distinct.count) 家）",
        en:
          "at least \(p.minimumSponsors.value) sponsoring member units are required, got \(distinct.count)"
      )
    }
    guard distinct.contains(leadUnit) else {
      throw Refusal(
        "leadUnitNotSponsor", p.minimumSponsors.article,
        zh: "牵头单位必须是发起单位之一", en: "the lead unit must be one of the sponsors")
    }
    let received = context.today
    var warnings: [EngineWarning] = []
    let due = try context.deadline(
      p.reviewNoticePeriod.value, after: received, article: p.reviewNoticePeriod.article,
      warnings: &warnings)
    let application = GroupApplication(
      id: id, proposedName: proposedName, sponsors: distinct, leadUnit: leadUnit,
      receivedOn: received,
      stage: .underReview(reviewDue: due))
    var t = Transition(
      state: application, decision: Decision("applicationReceived", p.reviewNoticePeriod.article))
    t.warnings = warnings
    let subject = Subject.filedCase(id)
    t.facts.append(
      Fact(
        .groupApplicationReceived, subject, day: received, article: p.minimumSponsors.article,
        details: [
          "name": proposedName, "leadUnit": leadUnit.rawValue,
          "sponsors": distinct.map(\.rawValue).joined(separator: ","), "reviewDue": due.description,
        ]))
    t.notices.append(
      Notice(
        .information, to: [.secretariat], template: "wg.application.received",
        parameters: [
          "application": id.rawValue, "name": proposedName, "reviewDue": due.description,
        ],
        zh: "收到推进组成立申请“\(proposedName)”，须于 \(due) 前书面答复申请单位",
        en:
          "Working-group application “\(proposedName)” received; written review notice due by \(due)",
        article: p.reviewNoticePeriod.article))
    if p.reviewReminderLead.value > 0 {
      let reminderDay = try context.workingDay(
        p.reviewReminderLead.value, before: due, article: p.reviewReminderLead.article)
      if reminderDay > received {
        t.jobs.append(
          DeadlineJob(
            .reviewNoticeReminder, subject: subject, dueDay: reminderDay,
            due: context.due(reminderDay),
            key: reminderKey(id), article: p.reviewNoticePeriod.article,
            payload: ["application": id.rawValue, "reviewDue": due.description]))
      }
    }
    t.jobs.append(
      DeadlineJob(
        .reviewNoticeEscalation, subject: subject, dueDay: due, due: context.due(due),
        key: reviewKey(id),
        article: p.reviewNoticePeriod.article, payload: ["application": id.rawValue]))
    return t
  }

  public func apply(
    _ event: Event, parameters p: WorkingGroupParameters, context: EngineContext
  ) throws(Refusal) -> Transition<GroupApplication> {
    try p.profile.recording { () throws(Refusal) in
      try applyUnstamped(event, parameters: p, context: context)
    }
  }

  private func applyUnstamped(
    _ event: Event, parameters p: WorkingGroupParameters, context: EngineContext
  ) throws(Refusal) -> Transition<GroupApplication> {
    let subject = Subject.filedCase(id)
    let today = context.today
    switch (event, stage) {
    case (.reviewReminderDue, .underReview(let due)):
      var t = Transition(
        state: self, decision: Decision("reviewReminderSent", p.reviewNoticePeriod.article))
      t.notices.append(
        Notice(
          .reminder, to: [.secretariat], template: "wg.review.reminder",
          parameters: ["application": id.rawValue, "reviewDue": due.description],
          zh: "推进组申请“\(proposedName)”的审查答复须于 \(due) 前发出",
          en: "The review notice for “\(proposedName)” is due by \(due)",
          article: p.reviewNoticePeriod.article))
      return t

    case (.reviewDeadlinePassed, .underReview(let due)):
      guard context.now >= context.due(due) else {
        throw Refusal(
          "deadlineNotPassed", p.reviewNoticePeriod.article,
          zh: "审查答复期限 \(due) 尚未届满", en: "the review-notice deadline \(due) has not passed")
      }
      var t = Transition(
        state: self, decision: Decision("reviewNoticeOverdue", p.reviewNoticePeriod.article))
      t.notices.append(
        Notice(
          .escalation, to: [.secretariat, .chairsOffice], template: "wg.review.overdue",
          parameters: ["application": id.rawValue, "reviewDue": due.description],
          zh: "推进组申请“\(proposedName)”的审查答复已逾期（期限 \(due)）",
          en: "The review notice for “\(proposedName)” is overdue (due \(due))",
          article: p.reviewNoticePeriod.article))
      return t

    case (.reviewReminderDue, _), (.reviewDeadlinePassed, _),
      (.rejectionNoticeDeadlinePassed, .rejectionNotified):
      // The obligation was met before the job fired: nothing to do.
      return Transition(state: self, decision: Decision("nothingDue", p.reviewNoticePeriod.article))

    case (.reviewNoticeSent(let forwarded, let reasons), .underReview(let due)):
      let article = p.reviewNoticePeriod.article
      let reasons = reasons?.trimmingSpaces ?? ""
      if !forwarded && reasons.isEmpty {
        throw Refusal(
          "reasonsRequired", article, zh: "不提交理事长办公会的，须说明理由",
          en: "a notice that the application is not forwarded must give reasons")
      }
      var next = self
      next.stage =
        forwarded
        ? .forwarded(noticeSentOn: today) : .notForwarded(noticeSentOn: today, reasons: reasons)
      var t = Transition(
        state: next, decision: Decision(forwarded ? "forwarded" : "notForwarded", article))
      t.facts.append(
        Fact(
          .reviewNoticeSent, subject, day: today, article: article,
          details: [
            "forwarded": String(forwarded), "reasons": reasons, "reviewDue": due.description,
            "late": String(today > due),
          ]))
      t.notices.append(
        Notice(
          .decision, to: sponsors.map { .memberContact($0) },
          template: forwarded ? "wg.review.forwarded" : "wg.review.notForwarded",
          parameters: ["application": id.rawValue, "name": proposedName, "reasons": reasons],
          zh: forwarded
            ? "推进组申请“\(proposedName)”已提交理事长办公会审议" : "推进组申请“\(proposedName)”未提交理事长办公会：\(reasons)",
          en: forwarded
            ? "Application “\(proposedName)” goes to the chair's office meeting"
            : "Application “\(proposedName)” is not forwarded: \(reasons)",
          article: article))
      t.cancelledJobKeys = [Self.reminderKey(id), Self.reviewKey(id)]
      if today > due {
        t.warnings.append(
          EngineWarning(
            "reviewNoticeLate", article, zh: "审查答复晚于期限 \(due)",
            en: "review notice sent after its deadline \(due)"))
      }
      return t

    case (.chairsOfficeDecided(let approved, let reasons, let group), .forwarded):
      let article = p.decidingBody.article
      let reasons = reasons?.trimmingSpaces ?? ""
      if approved {
        var next = self
        next.stage = .approved(group: group, decidedOn: today)
        var t = Transition(state: next, decision: Decision("groupApproved", article))
        t.facts.append(
          Fact(
            .groupApproved, .workingGroup(group), day: today, article: article,
            details: ["application": id.rawValue, "name": proposedName]))
        t.notices.append(
          Notice(
            .decision, to: sponsors.map { .memberContact($0) } + [.allMembers],
            template: "wg.application.approved",
            parameters: [
              "application": id.rawValue, "name": proposedName, "group": group.rawValue,
            ],
            zh: "理事长办公会批准成立推进组“\(proposedName)”",
            en: "The chair's office approved the working group “\(proposedName)”", article: article)
        )
        return t
      }
      let rejectionArticle = p.rejectionNoticePeriod.article
      if reasons.isEmpty {
        throw Refusal(
          "reasonsRequired", rejectionArticle, zh: "不予批准的，须说明理由",
          en: "a rejection must give reasons")
      }
      var warnings: [EngineWarning] = []
      let due = try context.deadline(
        p.rejectionNoticePeriod.value, after: today, article: rejectionArticle, warnings: &warnings)
      var next = self
      next.stage = .rejected(decidedOn: today, reasons: reasons, noticeDue: due)
      var t = Transition(state: next, decision: Decision("groupRejected", article))
      t.warnings = warnings
      t.facts.append(
        Fact(
          .groupRejected, subject, day: today, article: article,
          details: ["reasons": reasons, "noticeDue": due.description]))
      t.notices.append(
        Notice(
          .request, to: [.secretariat], template: "wg.rejection.toNotify",
          parameters: ["application": id.rawValue, "noticeDue": due.description],
          zh: "须于 \(due) 前将不予批准的决定及理由书面告知申请单位",
          en: "Tell the applicants of the rejection, with reasons, by \(due)",
          article: rejectionArticle))
      t.jobs.append(
        DeadlineJob(
          .rejectionNotice, subject: subject, dueDay: due, due: context.due(due),
          key: Self.rejectionKey(id),
          article: rejectionArticle, payload: ["application": id.rawValue]))
      return t

    case (.rejectionNoticeSent, .rejected(let decidedOn, let reasons, let due)):
      let article = p.rejectionNoticePeriod.article
      var next = self
      next.stage = .rejectionNotified(decidedOn: decidedOn, noticeSentOn: today)
      var t = Transition(state: next, decision: Decision("rejectionNotified", article))
      t.facts.append(
        Fact(
          .rejectionNoticeSent, subject, day: today, article: article,
          details: ["reasons": reasons, "noticeDue": due.description, "late": String(today > due)]))
      t.notices.append(
        Notice(
          .decision, to: sponsors.map { .memberContact($0) }, template: "wg.application.rejected",
          parameters: ["application": id.rawValue, "name": proposedName, "reasons": reasons],
          zh: "推进组申请“\(proposedName)”未获批准：\(reasons)",
          en: "Application “\(proposedName)” was not approved: \(reasons)", article: article))
      t.cancelledJobKeys = [Self.rejectionKey(id)]
      return t

    case (.rejectionNoticeDeadlinePassed, .rejected(_, _, let due)):
      let article = p.rejectionNoticePeriod.article
      var t = Transition(state: self, decision: Decision("rejectionNoticeOverdue", article))
      t.notices.append(
        Notice(
          .escalation, to: [.secretariat, .chairsOffice], template: "wg.rejection.overdue",
          parameters: ["application": id.rawValue, "noticeDue": due.description],
          zh: "推进组申请“\(proposedName)”的不予批准通知已逾期（期限 \(due)）",
          en: "The rejection notice for “\(proposedName)” is overdue (due \(due))", article: article
        ))
      return t

    case (.chairsOfficeDecided, _):
      throw Refusal(
        "notForwarded", p.reviewNoticePeriod.article,
        zh: "申请尚未经秘书处审查提交理事长办公会",
        en: "the application has not been forwarded to the chair's office by the secretariat")

    default:
      throw Refusal(
        "eventNotApplicable", p.reviewNoticePeriod.article,
        zh: "申请当前状态下不能处理该事件",
        en: "this event does not apply to the application in its current stage")
    }
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return String(s)
  }
}
