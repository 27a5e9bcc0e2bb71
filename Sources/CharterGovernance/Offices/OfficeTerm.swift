public import CharterCalendar

/// A term of office in a post of a body: the election checks (caps, age on the day of the
/// election, consecutive terms, representative rank, suspension) and the term-end deadline
/// (DTPC art. 12: 5 years; tjsia-ai §5: the parent council's term, at most 2 consecutive,
/// chair/vice-chair at most 70, directors at most 65).
public struct OfficeTerm: Sendable, Equatable, Codable {
  public enum Status: Sendable, Equatable, Codable {
    case serving
    case ended(on: CivilDate, cause: String)
  }

  public let post: String
  public let holder: PersonID
  public let unit: MemberID?
  public let start: CivilDate
  /// The last day of the term.
  public let lastDay: CivilDate?
  public var status: Status

  /// Who stands for the post, with what the register and the nomination say about them.
  public struct Candidate: Sendable, Equatable, Codable {
    public var person: PersonID
    /// The unit member the person represents; nil for an individual member or an appointee.
    public var unit: MemberID?
    public var birthDate: CivilDate
    public var rank: RepresentativeRank?
    /// Terms in this post held back to back up to this election.
    public var consecutiveTermsHeld: Int
    public var standing: MemberStanding

    public init(
      person: PersonID, unit: MemberID?, birthDate: CivilDate, rank: RepresentativeRank?,
      consecutiveTermsHeld: Int,
      standing: MemberStanding
    ) {
      self.person = person
      self.unit = unit
      self.birthDate = birthDate
      self.rank = rank
      self.consecutiveTermsHeld = consecutiveTermsHeld
      self.standing = standing
    }
  }

  /// Age in completed years on `day` (周岁): the birthday itself counts, so a person is 70
  /// until the day before the 71st birthday. Born on 29 February: the birthday is 1 March
  /// in common years.
  public static func age(bornOn birth: CivilDate, on day: CivilDate) -> Int {
    let years = day.year - birth.year
    let birthdayReached = (day.month, day.day) >= (birth.month, birth.day)
    return birthdayReached ? years : years - 1
  }

  static func termEndKey(post: String, holder: PersonID, start: CivilDate) -> String {
    "term-end:\(post):\(holder):\(start)"
  }

  /// Elects (or appoints) a candidate on the day of `context`. Refused with the article of
  /// the rule broken.
  /// - Parameters:
  ///   - currentHolders: holders of the post serving on that day.
  ///   - parentTermEnd: last day of the parent organisation's council term (tjsia-ai §5).
  public static func elect(
    _ candidate: Candidate, to postID: String, currentHolders: Int, parentTermEnd: CivilDate?,
    profile: CharterProfile,
    extensions: OfficeExtensions, context: EngineContext
  ) throws(Refusal) -> Transition<OfficeTerm> {
    try profile.stamp.recording { () throws(Refusal) in
      try Self.electUnstamped(
        candidate, to: postID, currentHolders: currentHolders, parentTermEnd: parentTermEnd,
        profile: profile, extensions: extensions, context: context)
    }
  }

  private static func electUnstamped(
    _ candidate: Candidate, to postID: String, currentHolders: Int, parentTermEnd: CivilDate?,
    profile: CharterProfile,
    extensions: OfficeExtensions, context: EngineContext
  ) throws(Refusal) -> Transition<OfficeTerm> {
    guard let post = profile.post(postID) else {
      throw Refusal(
        "unknownPost", Article(profile.membership.kinds.citation), zh: "章程中没有职务 \(postID)",
        en: "the charter has no post \(postID)")
    }
    let today = context.today
    let postArticle = Article(post.citation)
    if candidate.standing == .notAMember && candidate.unit != nil {
      throw Refusal(
        "notAMember", postArticle, zh: "候选人所在单位不是会员", en: "the candidate's unit is not a member")
    }
    if candidate.standing == .suspended {
      let rule = profile.membership.discipline?.suspension
      if rule?.value.mayHoldOffice != true {
        throw Refusal(
          "suspendedMayNotHoldOffice", rule.map { Article($0.citation) } ?? postArticle,
          zh: "暂停权利期间不得担任职务", en: "a suspended member may not hold office")
      }
    }
    if let cap = post.cap, currentHolders >= cap.value {
      throw Refusal(
        "postFull", Article(cap.citation), zh: "\(post.name)最多 \(cap.value) 人，已满",
        en: "\(post.id) has at most \(cap.value) holders and is full")
    }
    if let maximum = post.maximumAge {
      let age = age(bornOn: candidate.birthDate, on: today)
      if age > maximum.value {
        throw Refusal(
          "overAge", Article(maximum.citation),
          zh: "选举日年满 \(age) 周岁，超过\(post.name)最高任职年龄 \(maximum.value) 周岁",
          en:
            "aged \(age) on the day of the election, over the maximum of \(maximum.value) for \(post.id)"
        )
      }
    }
    if let limit = post.maxConsecutiveTerms, candidate.consecutiveTermsHeld >= limit.value {
      throw Refusal(
        "termLimit", Article(limit.citation), zh: "\(post.name)连任不得超过 \(limit.value) 届",
        en: "\(post.id) may be held for at most \(limit.value) consecutive terms")
    }
    if let minimum = extensions.minimumRank[postID], candidate.unit != nil {
      guard let rank = candidate.rank, rank >= minimum.value else {
        throw Refusal(
          "rankTooLow", minimum.article, zh: "单位会员代表须为副总及以上级别",
          en: "a unit's representative must be at \(minimum.value) level or above")
      }
    }
    var lastDay: CivilDate?
    var termArticle = postArticle
    if let term = post.term {
      termArticle = Article(term.citation)
      switch term.value {
      case .years(let n):
        lastDay = today.adding(years: n).adding(days: -1)
      case .parentTerm:
        guard let parentTermEnd, parentTermEnd >= today else {
          throw Refusal(
            "parentTermUnknown", termArticle, zh: "任期同总会理事会，须提供总会本届理事会任期届满日",
            en: "the term follows the parent council's: give the last day of its current term")
        }
        lastDay = parentTermEnd
      }
    }
    let term = OfficeTerm(
      post: postID, holder: candidate.person, unit: candidate.unit, start: today, lastDay: lastDay,
      status: .serving)
    var t = Transition(state: term, decision: Decision("officeTaken", postArticle))
    var details = [
      "post": postID, "person": candidate.person.rawValue, "lastDay": lastDay?.description ?? "",
    ]
    if let unit = candidate.unit { details["unit"] = unit.rawValue }
    t.facts.append(
      Fact(
        .officeTaken, .person(candidate.person), day: today, article: postArticle, details: details)
    )
    t.notices.append(
      Notice(
        .announcement, to: [.allMembers], template: "office.taken", parameters: details,
        zh: "\(candidate.person) 任\(post.name)",
        en: "\(candidate.person) takes the post \(post.id)", article: postArticle))
    if let lastDay {
      t.jobs.append(
        DeadlineJob(
          .termEnd, subject: .person(candidate.person), dueDay: lastDay, due: context.due(lastDay),
          key: termEndKey(post: postID, holder: candidate.person, start: today),
          article: termArticle,
          payload: ["post": postID, "person": candidate.person.rawValue]))
    }
    return t
  }

  public enum Event: Sendable, Equatable {
    case termEndReached
    case resigned
    case removed(reason: String)
  }

  public func apply(_ event: Event, profile: CharterProfile, context: EngineContext) throws(Refusal)
    -> Transition<OfficeTerm>
  {
    try profile.stamp.recording { () throws(Refusal) in
      try applyUnstamped(event, profile: profile, context: context)
    }
  }

  private func applyUnstamped(_ event: Event, profile: CharterProfile, context: EngineContext)
    throws(Refusal)
    -> Transition<OfficeTerm>
  {
    let today = context.today
    let article = Article(
      profile.post(post)?.term?.citation ?? profile.post(post)?.citation
        ?? profile.membership.kinds.citation)
    guard case .serving = status else {
      return Transition(state: self, decision: Decision("nothingDue", article))
    }
    let cause: String
    switch event {
    case .termEndReached:
      guard let lastDay, today >= lastDay else {
        throw Refusal(
          "termNotEnded", article, zh: "任期至 \(lastDay?.description ?? "未定") 届满",
          en: "the term runs until \(lastDay?.description ?? "no set day")")
      }
      cause = "termEnded"
    case .resigned: cause = "resigned"
    case .removed(let reason): cause = "removed: \(reason)"
    }
    var next = self
    next.status = .ended(on: today, cause: cause)
    var t = Transition(state: next, decision: Decision("officeEnded", article))
    t.facts.append(
      Fact(
        .officeEnded, .person(holder), day: today, article: article,
        details: ["post": post, "cause": cause]))
    t.notices.append(
      Notice(
        .information, to: [.secretariat], template: "office.ended",
        parameters: ["post": post, "person": holder.rawValue],
        zh: "\(holder) 的\(profile.post(post)?.name ?? post)职务结束（\(cause)）",
        en: "\(holder) leaves \(post) (\(cause))",
        article: article))
    t.cancelledJobKeys = [Self.termEndKey(post: post, holder: holder, start: start)]
    return t
  }
}
