public import CharterCalendar

/// An application for membership, following the admission steps of the tenant's profile
/// (AII art. 11: secretariat review then the standing council's decision; DTPC art. 10–11:
/// secretariat review then filing). Checked on receipt: the kinds of member the charter
/// admits, membership of the parent organisation (tjsia-ai §2) and the rejoin ban (DTPC art.
/// 16(6)).
public struct MembershipApplication: Sendable, Equatable, Codable {
  public enum Stage: Sendable, Equatable, Codable {
    /// Index into the profile's admission steps of the next step to perform.
    case awaiting(step: Int)
    case admitted(on: CivilDate)
    case refused(on: CivilDate, reasons: String)
  }

  public let id: CaseID
  public let applicant: MemberID
  public let kind: MemberKind
  public let tier: String
  public let receivedOn: CivilDate
  public var stage: Stage

  /// How the applicant left before, if it was ever a member (the register keeps it for good).
  public struct PreviousLeaving: Sendable, Equatable, Codable {
    public var kind: LeavingKind
    public var on: CivilDate

    public init(kind: LeavingKind, on: CivilDate) {
      self.kind = kind
      self.on = on
    }
  }

  public enum Event: Sendable, Equatable {
    /// The secretariat's preliminary review (初审).
    case preliminaryReview(passed: Bool, reasons: String?)
    /// The deciding body's decision (AII art. 11: standing council).
    case bodyDecided(body: String, approved: Bool, reasons: String?)
    /// Filed (备案) with the body the profile names (DTPC art. 11).
    case filed(body: String)
  }

  /// - Parameters:
  ///   - parentMembership: whether the applicant is a member of the parent organisation,
  ///     as the caller found in the parent tenant; nil when unknown.
  public static func receive(
    id: CaseID, applicant: MemberID, kind: MemberKind, tier: String,
    previousLeaving: PreviousLeaving?,
    parentMembership: Bool?, profile: CharterProfile, context: EngineContext
  ) throws(Refusal) -> Transition<MembershipApplication> {
    try profile.stamp.recording { () throws(Refusal) in
      try Self.receiveUnstamped(
        id: id, applicant: applicant, kind: kind, tier: tier, previousLeaving: previousLeaving,
        parentMembership: parentMembership, profile: profile, context: context)
    }
  }

  private static func receiveUnstamped(
    id: CaseID, applicant: MemberID, kind: MemberKind, tier: String,
    previousLeaving: PreviousLeaving?,
    parentMembership: Bool?, profile: CharterProfile, context: EngineContext
  ) throws(Refusal) -> Transition<MembershipApplication> {
    let m = profile.membership
    let today = context.today
    guard m.kinds.value.contains(kind) else {
      throw Refusal(
        "memberKindNotAdmitted", Article(m.kinds.citation), zh: "章程不接纳此类会员",
        en: "the charter does not admit \(kind.rawValue) members")
    }
    guard profile.tier(tier) != nil || profile.tiers.isEmpty else {
      throw Refusal(
        "unknownTier", Article(profile.tiers[0].citation), zh: "未知的会员等级 \(tier)",
        en: "unknown tier \(tier)")
    }
    if let previous = previousLeaving, m.rejoin.value.appliesTo.contains(previous.kind) {
      let article = Article(m.rejoin.citation)
      switch m.rejoin.value.policy {
      case .allowed:
        break
      case .never:
        throw Refusal(
          "rejoinBanned", article, zh: "已退出（\(previous.kind.rawValue)，\(previous.on)）的单位不得再次申请加入",
          en: "a unit that has left (\(previous.kind.rawValue), \(previous.on)) may not apply again"
        )
      case .afterYears(let years):
        let from = previous.on.adding(years: years)
        if today < from {
          throw Refusal(
            "rejoinTooEarly", article, zh: "\(from) 前不得再次申请加入",
            en: "may not apply again before \(from)")
        }
      }
    }
    if let parent = m.parent, parent.appliesTo.contains(kind) {
      let article = Article(parent.citation)
      switch parentMembership {
      case .some(true):
        break
      case .some(false):
        throw Refusal(
          "notParentMember", article, zh: "申请单位须先成为\(parent.name)会员",
          en: "the applicant must first be a member of \(parent.name)")
      case .none:
        throw Refusal(
          "parentMembershipUnknown", article, zh: "尚未确认申请单位是否为\(parent.name)会员",
          en: "membership of \(parent.name) has not been confirmed")
      }
    }
    var application = MembershipApplication(
      id: id, applicant: applicant, kind: kind, tier: tier, receivedOn: today,
      stage: .awaiting(step: 0))
    // Receipt performs the application step and, the caller having supplied it, the
    // parent-membership check.
    application.stage = .awaiting(step: application.firstStep(after: -1, profile: profile))
    let article = Article(profile.membership.admission.steps.first?.citation ?? m.kinds.citation)
    var t = Transition(state: application, decision: Decision("applicationReceived", article))
    t.facts.append(
      Fact(
        .applicationReceived, .member(applicant), day: today, article: article,
        details: ["case": id.rawValue, "kind": kind.rawValue, "tier": tier]))
    t.notices.append(
      Notice(
        .request, to: [.secretariat], template: "member.application.received",
        parameters: ["applicant": applicant.rawValue, "case": id.rawValue],
        zh: "收到 \(applicant) 的入会申请，请进行初审",
        en: "Membership application from \(applicant): preliminary review due",
        article: article))
    return t.completingIfDone(profile: profile, today: today)
  }

  /// The index of the next step the engine must wait for, skipping the steps it performs itself.
  func firstStep(after index: Int, profile: CharterProfile) -> Int {
    var i = index + 1
    let steps = profile.membership.admission.steps
    while i < steps.count,
      [.application, .parentMembershipCheck, .announcement].contains(steps[i].kind)
    { i += 1 }
    return i
  }

  public func apply(_ event: Event, profile: CharterProfile, context: EngineContext) throws(Refusal)
    -> Transition<MembershipApplication>
  {
    try profile.stamp.recording { () throws(Refusal) in
      try applyUnstamped(event, profile: profile, context: context)
    }
  }

  private func applyUnstamped(_ event: Event, profile: CharterProfile, context: EngineContext)
    throws(Refusal)
    -> Transition<MembershipApplication>
  {
    let steps = profile.membership.admission.steps
    let today = context.today
    guard case .awaiting(let index) = stage, index < steps.count else {
      throw Refusal(
        "applicationClosed", Article(steps.last?.citation ?? profile.membership.kinds.citation),
        zh: "申请已办结",
        en: "the application has been decided")
    }
    let step = steps[index]
    let article = Article(step.citation)
    let expected: AdmissionStepKind
    let passed: Bool
    let reasons: String
    switch event {
    case .preliminaryReview(let p, let r):
      (expected, passed, reasons) = (.preliminaryReview, p, r ?? "")
    case .bodyDecided(let body, let approved, let r):
      (expected, passed, reasons) = (.decision, approved, r ?? "")
      if let required = step.body, required != body, step.kind == .decision {
        throw Refusal(
          "wrongBody", article, zh: "入会申请须由 \(required) 决定",
          en: "admission is decided by \(required), not \(body)")
      }
    case .filed(let body):
      (expected, passed, reasons) = (.filing, true, "")
      if let required = step.body, required != body, step.kind == .filing {
        throw Refusal(
          "wrongBody", article, zh: "须向 \(required) 备案",
          en: "admission is filed with \(required), not \(body)")
      }
    }
    guard step.kind == expected else {
      throw Refusal(
        "stepOutOfOrder", article, zh: "当前应进行的入会程序为 \(step.kind.rawValue)",
        en: "the next admission step is \(step.kind.rawValue), not \(expected.rawValue)")
    }
    var next = self
    if !passed {
      guard !reasons.trimmingSpaces.isEmpty else {
        throw Refusal(
          "reasonsRequired", article, zh: "不予接纳须说明理由", en: "a refusal must give reasons")
      }
      next.stage = .refused(on: today, reasons: reasons)
      var t = Transition(state: next, decision: Decision("applicationRefused", article))
      t.facts.append(
        Fact(
          .applicationRejected, .member(applicant), day: today, article: article,
          details: ["case": id.rawValue, "step": step.kind.rawValue, "reasons": reasons]))
      t.notices.append(
        Notice(
          .decision, to: [.memberContact(applicant)], template: "member.application.refused",
          parameters: ["case": id.rawValue, "reasons": reasons], zh: "入会申请未获通过：\(reasons)",
          en: "The membership application was not accepted: \(reasons)", article: article))
      return t
    }
    next.stage = .awaiting(step: firstStep(after: index, profile: profile))
    var t = Transition(state: next, decision: Decision("\(step.kind.rawValue)Done", article))
    t.facts.append(
      Fact(
        step.kind == .filing ? .admissionFiled : .applicationReviewed, .member(applicant),
        day: today, article: article,
        details: ["case": id.rawValue, "step": step.kind.rawValue, "body": step.body ?? ""]))
    return t.completingIfDone(profile: profile, today: today)
  }

  /// The member record an admitted application creates.
  public func admittedMember() -> MemberRecord? {
    guard case .admitted(let day) = stage else { return nil }
    return MemberRecord(
      id: applicant, kind: kind, tier: tier, status: .active, since: day, lastActivity: day)
  }
}

extension Transition where State == MembershipApplication {
  /// When no step is left, the applicant is a member: register entry and announcement.
  fileprivate func completingIfDone(profile: CharterProfile, today: CivilDate) -> Transition {
    let steps = profile.membership.admission.steps
    guard case .awaiting(let index) = state.stage, index >= steps.count else { return self }
    var t = self
    t.state.stage = .admitted(on: today)
    let article = Article(steps.last?.citation ?? profile.membership.kinds.citation)
    t.decision = Decision("memberAdmitted", article)
    t.facts.append(
      Fact(
        .memberAdmitted, .member(state.applicant), day: today, article: article,
        details: ["case": state.id.rawValue, "tier": state.tier, "kind": state.kind.rawValue]))
    t.notices.append(
      Notice(
        .announcement, to: [.allMembers, .memberContact(state.applicant)],
        template: "member.admitted",
        parameters: ["member": state.applicant.rawValue, "tier": state.tier],
        zh: "\(state.applicant) 成为会员单位", en: "\(state.applicant) has become a member",
        article: article))
    return t
  }
}
