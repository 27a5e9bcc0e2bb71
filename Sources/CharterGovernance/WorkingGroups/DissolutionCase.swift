public import CharterCalendar

/// Dissolution of a working group, AITISA art. 6. Either (a) at least 1/2 of the group's
/// members ask, and the request goes through the secretariat to the chair's office; or (b) the
/// secretary-general moves it, the group is told in writing within 10 days of the motion, may
/// object within 10 days of that notice, and only then may the chair's office decide.
public struct DissolutionCase: Sendable, Equatable, Codable {
  public enum Ground: String, Sendable, Equatable, CaseIterable, Codable {
    case noEffectiveWork, belowMinimumMembers, seriousBreach
  }

  public enum Stage: Sendable, Equatable, Codable {
    /// (a) members' request, waiting for the chair's office.
    case requestedByMembers(on: CivilDate, requesters: Int, groupSize: Int)
    /// (b) motion made; the written notice is due.
    case moved(on: CivilDate, grounds: [Ground], noticeDue: CivilDate)
    /// (b) notice given; objections are accepted through `objectionCloses`.
    case noticeGiven(
      motionOn: CivilDate, noticeOn: CivilDate, objectionCloses: CivilDate, objections: [String])
    case decided(dissolved: Bool, on: CivilDate)
  }

  public let id: CaseID
  public let group: WorkingGroupID
  public var stage: Stage

  public enum Event: Sendable, Equatable {
    case noticeSent
    case noticeDeadlinePassed
    case objectionReceived(String)
    case objectionWindowClosed
    case chairsOfficeDecided(dissolve: Bool)
  }

  static func noticeKey(_ id: CaseID) -> String { "dissolution-notice:\(id)" }
  static func objectionKey(_ id: CaseID) -> String { "dissolution-objection:\(id)" }

  /// Art. 6(a): refused unless the requesters are at least the required share of members.
  public static func requestByMembers(
    id: CaseID, group: WorkingGroup, requesters: Set<MemberID>,
    parameters p: WorkingGroupParameters,
    context: EngineContext
  ) throws(Refusal) -> Transition<DissolutionCase> {
    try p.profile.recording { () throws(Refusal) in
      try Self.requestByMembersUnstamped(
        id: id, group: group, requesters: requesters, parameters: p, context: context)
    }
  }

  private static func requestByMembersUnstamped(
    id: CaseID, group: WorkingGroup, requesters: Set<MemberID>,
    parameters p: WorkingGroupParameters,
    context: EngineContext
  ) throws(Refusal) -> Transition<DissolutionCase> {
    let article = p.dissolutionRequestShare.article
    let valid = requesters.filter { group.members[$0] != nil }
    guard p.dissolutionRequestShare.value.isMet(count: valid.count, of: group.members.count) else {
      throw Refusal(
        "tooFewRequesters", article,
        zh:
          "申请撤销须有推进组 \(p.dissolutionRequestShare.value) 以上成员提出（现 \(valid.count)/\(group.members.count)）",
        en:
          "dissolution needs a request by at least \(p.dissolutionRequestShare.value) of the members (\(valid.count) of \(group.members.count))"
      )
    }
    let today = context.today
    let c = DissolutionCase(
      id: id, group: group.id,
      stage: .requestedByMembers(on: today, requesters: valid.count, groupSize: group.members.count)
    )
    var t = Transition(state: c, decision: Decision("dissolutionRequested", article))
    t.facts.append(
      Fact(
        .dissolutionRequested, .workingGroup(group.id), day: today, article: article,
        details: [
          "case": id.rawValue, "requesters": valid.map(\.rawValue).sorted().joined(separator: ","),
        ]))
    t.notices.append(
      Notice(
        .request, to: [.secretariat], template: "wg.dissolution.requested",
        parameters: ["group": group.id.rawValue, "name": group.name],
        zh: "推进组“\(group.name)”成员申请撤销该组，请秘书处报理事长办公会",
        en:
          "Members of “\(group.name)” ask to dissolve it; to the chair's office via the secretariat",
        article: article))
    return t
  }

  /// Art. 6(b): the secretary-general's motion; schedules the written-notice deadline.
  public static func moveBySecretaryGeneral(
    id: CaseID, group: WorkingGroup, grounds: [Ground], parameters p: WorkingGroupParameters,
    context: EngineContext
  ) throws(Refusal) -> Transition<DissolutionCase> {
    try p.profile.recording { () throws(Refusal) in
      try Self.moveBySecretaryGeneralUnstamped(
        id: id, group: group, grounds: grounds, parameters: p, context: context)
    }
  }

  private static func moveBySecretaryGeneralUnstamped(
    id: CaseID, group: WorkingGroup, grounds: [Ground], parameters p: WorkingGroupParameters,
    context: EngineContext
  ) throws(Refusal) -> Transition<DissolutionCase> {
    let article = p.dissolutionNoticePeriod.article
    guard !grounds.isEmpty else {
      throw Refusal(
        "groundRequired", article, zh: "撤销动议须说明理由",
        en: "a motion to dissolve must state its grounds")
    }
    if grounds.contains(.belowMinimumMembers) && group.members.count >= p.minimumMembers.value {
      throw Refusal(
        "groundNotMet", p.minimumMembers.article, zh: "推进组成员数未低于 \(p.minimumMembers.value)",
        en: "the group does not have fewer than \(p.minimumMembers.value) members")
    }
    let today = context.today
    var warnings: [EngineWarning] = []
    let due = try context.deadline(
      p.dissolutionNoticePeriod.value, after: today, article: article, warnings: &warnings)
    let c = DissolutionCase(
      id: id, group: group.id, stage: .moved(on: today, grounds: grounds, noticeDue: due))
    var t = Transition(state: c, decision: Decision("dissolutionMoved", article))
    t.warnings = warnings
    t.facts.append(
      Fact(
        .dissolutionMoved, .workingGroup(group.id), day: today, article: article,
        details: [
          "case": id.rawValue, "grounds": grounds.map(\.rawValue).joined(separator: ","),
          "noticeDue": due.description,
        ]))
    t.notices.append(
      Notice(
        .request, to: [.secretariat], template: "wg.dissolution.noticeToSend",
        parameters: ["group": group.id.rawValue, "noticeDue": due.description],
        zh: "须于 \(due) 前书面通知推进组“\(group.name)”撤销动议",
        en: "Notify “\(group.name)” of the motion in writing by \(due)",
        article: article))
    t.jobs.append(
      DeadlineJob(
        .dissolutionNotice, subject: .workingGroup(group.id), dueDay: due, due: context.due(due),
        key: noticeKey(id),
        article: article, payload: ["case": id.rawValue]))
    return t
  }

  public func apply(_ event: Event, parameters p: WorkingGroupParameters, context: EngineContext)
    throws(Refusal)
    -> Transition<DissolutionCase>
  {
    try p.profile.recording { () throws(Refusal) in
      try applyUnstamped(event, parameters: p, context: context)
    }
  }

  private func applyUnstamped(
    _ event: Event, parameters p: WorkingGroupParameters, context: EngineContext
  )
    throws(Refusal)
    -> Transition<DissolutionCase>
  {
    let today = context.today
    let subject = Subject.workingGroup(group)
    let noticeArticle = p.dissolutionNoticePeriod.article
    let objectionArticle = p.objectionPeriod.article
    switch (event, stage) {
    case (.noticeSent, .moved(let motionOn, _, let due)):
      var warnings: [EngineWarning] = []
      let closes = try context.deadline(
        p.objectionPeriod.value, after: today, article: objectionArticle, warnings: &warnings)
      var next = self
      next.stage = .noticeGiven(
        motionOn: motionOn, noticeOn: today, objectionCloses: closes, objections: [])
      var t = Transition(state: next, decision: Decision("dissolutionNoticeGiven", noticeArticle))
      t.warnings = warnings
      t.facts.append(
        Fact(
          .dissolutionNoticeSent, subject, day: today, article: noticeArticle,
          details: [
            "case": id.rawValue, "objectionCloses": closes.description, "late": String(today > due),
          ]))
      t.notices.append(
        Notice(
          .decision, to: [.groupMembers(group), .groupLeader(group)],
          template: "wg.dissolution.notice",
          parameters: ["group": group.rawValue, "objectionCloses": closes.description],
          zh: "秘书长已动议撤销本推进组；如有异议，请于 \(closes) 前向理事长办公会提出",
          en:
            "The secretary-general moved to dissolve the group; objections to the chair's office by \(closes)",
          article: objectionArticle))
      t.cancelledJobKeys = [Self.noticeKey(id)]
      t.jobs.append(
        DeadlineJob(
          .dissolutionObjectionWindow, subject: subject, dueDay: closes, due: context.due(closes),
          key: Self.objectionKey(id), article: objectionArticle, payload: ["case": id.rawValue]))
      return t

    case (.noticeDeadlinePassed, .moved(_, _, let due)):
      var t = Transition(state: self, decision: Decision("dissolutionNoticeOverdue", noticeArticle))
      t.notices.append(
        Notice(
          .escalation, to: [.secretariat, .chairsOffice], template: "wg.dissolution.noticeOverdue",
          parameters: ["group": group.rawValue, "noticeDue": due.description],
          zh: "撤销动议的书面通知已逾期（期限 \(due)）",
          en: "The written notice of the dissolution motion is overdue (due \(due))",
          article: noticeArticle))
      return t

    case (
      .objectionReceived(let text),
      .noticeGiven(let motionOn, let noticeOn, let closes, let objections)
    ):
      guard today <= closes else {
        throw Refusal(
          "objectionWindowClosed", objectionArticle, zh: "异议期已于 \(closes) 届满",
          en: "the objection window closed on \(closes)")
      }
      var next = self
      next.stage = .noticeGiven(
        motionOn: motionOn, noticeOn: noticeOn, objectionCloses: closes,
        objections: objections + [text])
      var t = Transition(state: next, decision: Decision("objectionRecorded", objectionArticle))
      t.facts.append(
        Fact(
          .dissolutionObjectionReceived, subject, day: today, article: objectionArticle,
          details: ["text": text]))
      t.notices.append(
        Notice(
          .information, to: [.chairsOffice], template: "wg.dissolution.objection",
          parameters: ["group": group.rawValue], zh: "推进组对撤销动议提出异议",
          en: "The group objects to the dissolution motion",
          article: objectionArticle))
      return t

    case (.objectionWindowClosed, .noticeGiven(_, _, let closes, let objections)):
      var t = Transition(state: self, decision: Decision("objectionWindowClosed", objectionArticle))
      t.notices.append(
        Notice(
          .information, to: [.chairsOffice, .secretariat],
          template: "wg.dissolution.readyForDecision",
          parameters: ["group": group.rawValue, "objections": String(objections.count)],
          zh: "异议期已于 \(closes) 届满（异议 \(objections.count) 件），理事长办公会可作出决定",
          en:
            "The objection window closed on \(closes) (\(objections.count) objections); the chair's office may decide",
          article: objectionArticle))
      return t

    case (.chairsOfficeDecided, .moved):
      throw Refusal(
        "noticeNotGiven", noticeArticle, zh: "尚未书面通知推进组，理事长办公会不能作出决定",
        en: "the group has not been notified in writing; the chair's office may not decide yet")

    case (.chairsOfficeDecided(let dissolve), .noticeGiven(_, _, let closes, let objections)):
      guard today > closes else {
        throw Refusal(
          "objectionWindowOpen", objectionArticle, zh: "异议期至 \(closes) 届满，届满前理事长办公会不能作出决定",
          en:
            "the objection window is open until \(closes); the chair's office may decide only after it closes"
        )
      }
      return decided(
        dissolve, objections: objections.count, article: p.decidingBody.article, today: today)

    case (.chairsOfficeDecided(let dissolve), .requestedByMembers):
      return decided(
        dissolve, objections: 0, article: p.dissolutionRequestShare.article, today: today)

    case (.noticeDeadlinePassed, _), (.objectionWindowClosed, _):
      return Transition(state: self, decision: Decision("nothingDue", noticeArticle))

    default:
      throw Refusal(
        "eventNotApplicable", noticeArticle, zh: "撤销程序当前阶段不能处理该事件",
        en: "this event does not apply to the dissolution case in its current stage")
    }
  }

  private func decided(_ dissolve: Bool, objections: Int, article: Article, today: CivilDate)
    -> Transition<DissolutionCase>
  {
    var next = self
    next.stage = .decided(dissolved: dissolve, on: today)
    var t = Transition(
      state: next, decision: Decision(dissolve ? "groupDissolved" : "dissolutionRejected", article))
    t.facts.append(
      Fact(
        dissolve ? .groupDissolved : .dissolutionRejected, .workingGroup(group), day: today,
        article: article,
        details: ["case": id.rawValue, "objections": String(objections)]))
    t.notices.append(
      Notice(
        .decision, to: [.groupMembers(group), .allMembers],
        template: dissolve ? "wg.dissolved" : "wg.dissolutionRejected",
        parameters: ["group": group.rawValue], zh: dissolve ? "理事长办公会决定撤销推进组" : "理事长办公会决定不撤销推进组",
        en: dissolve
          ? "The chair's office dissolved the working group"
          : "The chair's office decided not to dissolve the group",
        article: article))
    t.cancelledJobKeys = [Self.noticeKey(id), Self.objectionKey(id)]
    return t
  }
}

extension WorkingGroup {
  /// Applies a dissolution decision to the group.
  public func dissolved(on day: CivilDate) -> WorkingGroup {
    var next = self
    next.status = .dissolved(on: day)
    return next
  }
}
