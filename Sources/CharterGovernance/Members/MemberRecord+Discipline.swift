/// Discipline (DTPC art. 15: warning, public criticism, suspension, expulsion decided by the
/// secretariat and filed with the joint meeting; AII art. 16: expulsion by the council).
extension MemberRecord {
  func sanctioning(
    _ measure: DisciplineMeasure, decidedBy: String, reasons: String, vote: VoteOutcome?,
    profile: CharterProfile,
    context: EngineContext
  ) throws(Refusal) -> Transition<MemberRecord> {
    let today = context.today
    guard let ladder = profile.membership.discipline else {
      throw Refusal(
        "noDiscipline", Article(profile.membership.kinds.citation), zh: "章程未规定处分",
        en: "the charter sets no disciplinary measures")
    }
    guard let step = ladder.steps.first(where: { $0.value == measure }) else {
      throw Refusal(
        "measureNotInCharter", Article(ladder.citation), zh: "章程未规定该处分",
        en: "the charter has no \(measure.rawValue) measure")
    }
    let article = Article(step.citation)
    guard ladder.decidedBy.contains(decidedBy) else {
      throw Refusal(
        "wrongBody", article, zh: "处分须由 \(ladder.decidedBy.joined(separator: "/")) 决定",
        en: "a measure is decided by \(ladder.decidedBy.joined(separator: "/")), not \(decidedBy)")
    }
    guard !reasons.trimmingSpaces.isEmpty else {
      throw Refusal(
        "reasonsRequired", article, zh: "处分须说明理由", en: "a measure must state its reasons")
    }
    if ladder.byVote && vote != .passed {
      throw Refusal(
        "votePassRequired", article, zh: "处分须经 \(decidedBy) 表决通过",
        en: "the measure needs a vote passed by \(decidedBy)")
    }
    var recipients: [Recipient] = [.memberContact(id)]
    if let filedWith = ladder.filedWith { recipients.append(.body(filedWith)) }
    if measure == .expulsion {
      var t = leaving(.expulsion, article: article, profile: profile, context: context)
      t.facts.insert(
        Fact(
          .sanctionImposed, .member(id), day: today, article: article,
          details: ["measure": measure.rawValue, "decidedBy": decidedBy, "reasons": reasons]), at: 0
      )
      if let filedWith = ladder.filedWith,
        !t.notices.contains(where: { $0.recipients.contains(.body(filedWith)) })
      {
        t.notices[0] = Notice(
          t.notices[0].kind, to: t.notices[0].recipients + [.body(filedWith)],
          template: t.notices[0].templateKey,
          parameters: t.notices[0].parameters, zh: t.notices[0].summaryZh,
          en: t.notices[0].summaryEn, article: article)
      }
      return t
    }
    var next = self
    if measure == .suspension {
      if suspendedSince != nil {
        throw Refusal("alreadySuspended", article, zh: "已在暂停权利期间", en: "already suspended")
      }
      next.suspendedSince = today
    }
    var t = Transition(state: next, decision: Decision(measure.rawValue, article))
    t.facts.append(
      Fact(
        .sanctionImposed, .member(id), day: today, article: article,
        details: ["measure": measure.rawValue, "decidedBy": decidedBy, "reasons": reasons]))
    if measure == .publicCriticism { recipients.append(.allMembers) }
    t.notices.append(
      Notice(
        .decision, to: recipients, template: "member.sanction.\(measure.rawValue)",
        parameters: ["member": id.rawValue, "measure": measure.rawValue, "reasons": reasons],
        zh: "\(id) 受到处分（\(Self.measureZh(measure))）：\(reasons)",
        en: "\(id) receives a \(measure.rawValue) measure: \(reasons)", article: article))
    return t
  }

  static func measureZh(_ measure: DisciplineMeasure) -> String {
    switch measure {
    case .warning: return "警告"
    case .publicCriticism: return "通报批评"
    case .suspension: return "暂停行使成员单位权利"
    case .expulsion: return "除名"
    }
  }
}
