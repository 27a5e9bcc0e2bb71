public import CharterCalendar

/// An established working group (推进组), AITISA art. 5–7, 12, 14: its members, leader and
/// co-leaders, attendance streaks, renaming, budgets and activity rules. Dissolution is its
/// own case (`DissolutionCase`).
public struct WorkingGroup: Sendable, Equatable, Codable {
  public struct Membership: Sendable, Equatable, Codable {
    public var joinedOn: CivilDate
    /// Consecutive counted absences (art. 7.6).
    public var absenceStreak: Int

    public init(joinedOn: CivilDate, absenceStreak: Int = 0) {
      self.joinedOn = joinedOn
      self.absenceStreak = absenceStreak
    }
  }

  /// A leader (组长) or co-leader (联合组长): a person representing a member unit.
  public struct LeaderPost: Sendable, Equatable, Codable {
    public var person: PersonID
    public var unit: MemberID

    public init(person: PersonID, unit: MemberID) {
      self.person = person
      self.unit = unit
    }
  }

  public enum Status: Sendable, Equatable, Codable {
    case active
    case dissolved(on: CivilDate)
  }

  public let id: WorkingGroupID
  public var name: String
  public var leadUnit: MemberID
  public var members: [MemberID: Membership]
  public var leader: LeaderPost?
  public var coLeaders: [LeaderPost]
  public var status: Status
  /// A rename asked by the all-member meeting (art. 5), waiting for the chair's office.
  public var pendingRename: String?

  public init(
    id: WorkingGroupID, name: String, leadUnit: MemberID, members: [MemberID: Membership],
    leader: LeaderPost? = nil, coLeaders: [LeaderPost] = [], status: Status = .active,
    pendingRename: String? = nil
  ) {
    self.id = id
    self.name = name
    self.leadUnit = leadUnit
    self.members = members
    self.leader = leader
    self.coLeaders = coLeaders
    self.status = status
    self.pendingRename = pendingRename
  }

  /// The group as the chair's office approved it: the sponsors are its first members.
  public static func established(from application: GroupApplication) -> WorkingGroup? {
    guard case .approved(let group, let day) = application.stage else { return nil }
    var members: [MemberID: Membership] = [:]
    for sponsor in application.sponsors { members[sponsor] = Membership(joinedOn: day) }
    return WorkingGroup(
      id: group, name: application.proposedName, leadUnit: application.leadUnit, members: members)
  }

  public enum Event: Sendable, Equatable {
    /// Art. 7.1–7.2: a member unit joins with the leader's approval.
    case join(MemberID, approvedByLeader: Bool)
    case leave(MemberID)
    /// Art. 7.6: attendance of one group meeting or activity.
    case attendanceRecorded(activity: String, marks: [MemberID: AttendanceStatus])
    /// Art. 7.3–7.5: the lead unit recommends, the post is filled.
    case appointLeader(LeaderPost)
    case appointCoLeader(LeaderPost)
    case vacateLeaderPost(PersonID)
    /// Art. 5: the all-member meeting asks to rename, then the chair's office decides.
    case renameRequested(newName: String)
    case renameDecided(approved: Bool)
    /// Art. 12: a budget submitted ahead of an activity, then decided by the chair's office
    /// after the secretariat's review.
    case budgetSubmitted(activity: String, amount: String)
    case budgetDecided(activity: String, approved: Bool, secretariatReviewed: Bool)
    /// Art. 14: the group's own activity rules.
    case activityRulesDecided(title: String, approved: Bool)
  }

  /// Facts about other groups the leader rule needs (art. 7.4): who leads which group.
  public struct Surroundings: Sendable {
    public var standing: [MemberID: MemberStanding]
    public var leadersOfOtherGroups: [PersonID: WorkingGroupID]

    public init(
      standing: [MemberID: MemberStanding], leadersOfOtherGroups: [PersonID: WorkingGroupID] = [:]
    ) {
      self.standing = standing
      self.leadersOfOtherGroups = leadersOfOtherGroups
    }
  }

  public func apply(
    _ event: Event, surroundings: Surroundings, parameters p: WorkingGroupParameters,
    context: EngineContext
  ) throws(Refusal) -> Transition<WorkingGroup> {
    try p.profile.recording { () throws(Refusal) in
      try applyUnstamped(event, surroundings: surroundings, parameters: p, context: context)
    }
  }

  private func applyUnstamped(
    _ event: Event, surroundings: Surroundings, parameters p: WorkingGroupParameters,
    context: EngineContext
  ) throws(Refusal) -> Transition<WorkingGroup> {
    let today = context.today
    let subject = Subject.workingGroup(id)
    if case .dissolved = status {
      throw Refusal(
        "groupDissolved", p.decidingBody.article, zh: "推进组已撤销",
        en: "the working group has been dissolved")
    }
    switch event {
    case .join(let member, let approved):
      guard surroundings.standing[member] == .inGoodStanding else {
        throw Refusal(
          "notAllianceMember", p.joiningArticle, zh: "只有联盟成员单位（非暂停权利）可加入推进组",
          en: "only alliance members (not suspended) may join a working group")
      }
      guard approved else {
        throw Refusal(
          "leaderApprovalRequired", p.joiningArticle, zh: "加入推进组须经组长批准",
          en: "joining needs the group leader's approval")
      }
      guard members[member] == nil else {
        throw Refusal(
          "alreadyMember", p.joiningArticle, zh: "已是推进组成员", en: "already a member of the group")
      }
      var next = self
      next.members[member] = Membership(joinedOn: today)
      var t = Transition(state: next, decision: Decision("joined", p.joiningArticle))
      t.facts.append(
        Fact(
          .groupMemberJoined, subject, day: today, article: p.joiningArticle,
          details: ["member": member.rawValue]))
      t.notices.append(
        Notice(
          .information, to: [.memberContact(member)], template: "wg.member.joined",
          parameters: ["group": id.rawValue, "name": name], zh: "已加入推进组“\(name)”",
          en: "Joined the working group “\(name)”", article: p.joiningArticle))
      return t

    case .leave(let member):
      guard members[member] != nil else {
        throw Refusal(
          "notGroupMember", p.joiningArticle, zh: "不是推进组成员", en: "not a member of the group")
      }
      return removing(
        [member], cause: "left", article: p.joiningArticle, parameters: p, today: today)

    case .attendanceRecorded(let activity, let marks):
      return recordingAttendance(activity: activity, marks: marks, parameters: p, today: today)

    case .appointLeader(let post):
      try checkPost(post, isLeader: true, surroundings: surroundings, parameters: p)
      var next = self
      next.leader = post
      var t = Transition(
        state: next, decision: Decision("leaderAppointed", p.oneGroupPerLeader.article))
      t.facts.append(
        Fact(
          .leaderAppointed, subject, day: today, article: p.oneGroupPerLeader.article,
          details: ["person": post.person.rawValue, "unit": post.unit.rawValue]))
      return t

    case .appointCoLeader(let post):
      try checkPost(post, isLeader: false, surroundings: surroundings, parameters: p)
      var next = self
      next.coLeaders.append(post)
      var t = Transition(
        state: next, decision: Decision("coLeaderAppointed", p.onePostPerUnit.article))
      t.facts.append(
        Fact(
          .coLeaderAppointed, subject, day: today, article: p.onePostPerUnit.article,
          details: ["person": post.person.rawValue, "unit": post.unit.rawValue]))
      return t

    case .vacateLeaderPost(let person):
      var next = self
      if next.leader?.person == person { next.leader = nil }
      next.coLeaders.removeAll { $0.person == person }
      var t = Transition(state: next, decision: Decision("postVacated", p.onePostPerUnit.article))
      t.facts.append(
        Fact(
          .leaderPostVacated, subject, day: today, article: p.onePostPerUnit.article,
          details: ["person": person.rawValue]))
      return t

    case .renameRequested(let newName):
      var next = self
      next.pendingRename = newName
      var t = Transition(state: next, decision: Decision("renameRequested", p.renameArticle))
      t.facts.append(
        Fact(
          .renameRequested, subject, day: today, article: p.renameArticle,
          details: ["newName": newName]))
      t.notices.append(
        Notice(
          .request, to: [.secretariat], template: "wg.rename.requested",
          parameters: ["group": id.rawValue, "name": name, "newName": newName],
          zh: "推进组“\(name)”申请更名为“\(newName)”，请秘书处报理事长办公会",
          en:
            "Working group “\(name)” asks to be renamed “\(newName)”; to the chair's office via the secretariat",
          article: p.renameArticle))
      return t

    case .renameDecided(let approved):
      guard let newName = pendingRename else {
        throw Refusal(
          "noRenameRequest", p.renameArticle, zh: "没有待决的更名申请",
          en: "no rename request from the group's all-member meeting is pending")
      }
      var next = self
      next.pendingRename = nil
      if approved { next.name = newName }
      var t = Transition(
        state: next, decision: Decision(approved ? "renamed" : "renameRejected", p.renameArticle))
      if approved {
        t.facts.append(
          Fact(
            .groupRenamed, subject, day: today, article: p.renameArticle,
            details: ["from": name, "to": newName]))
      }
      t.notices.append(
        Notice(
          .decision, to: [.groupMembers(id)],
          template: approved ? "wg.rename.approved" : "wg.rename.rejected",
          parameters: ["group": id.rawValue, "name": name, "newName": newName],
          zh: approved ? "推进组“\(name)”更名为“\(newName)”" : "推进组“\(name)”的更名申请未获批准",
          en: approved
            ? "Working group “\(name)” is renamed “\(newName)”"
            : "The rename of “\(name)” was not approved",
          article: p.renameArticle))
      return t

    case .budgetSubmitted(let activity, let amount):
      var t = Transition(state: self, decision: Decision("budgetSubmitted", p.budgetArticle))
      t.facts.append(
        Fact(
          .budgetSubmitted, subject, day: today, article: p.budgetArticle,
          details: ["activity": activity, "amount": amount]))
      t.notices.append(
        Notice(
          .request, to: [.secretariat], template: "wg.budget.submitted",
          parameters: ["group": id.rawValue, "activity": activity, "amount": amount],
          zh: "推进组“\(name)”提交活动“\(activity)”预算 \(amount)，待秘书处审核、理事长办公会审批",
          en:
            "Budget \(amount) for “\(activity)” of “\(name)”: secretariat review, then chair's office approval",
          article: p.budgetArticle))
      return t

    case .budgetDecided(let activity, let approved, let reviewed):
      guard reviewed else {
        throw Refusal(
          "secretariatReviewRequired", p.budgetArticle, zh: "预算须先经秘书处审核",
          en: "the budget needs the secretariat's review before the chair's office decides")
      }
      var t = Transition(
        state: self,
        decision: Decision(approved ? "budgetApproved" : "budgetRejected", p.budgetArticle))
      t.facts.append(
        Fact(
          approved ? .budgetApproved : .budgetRejected, subject, day: today,
          article: p.budgetArticle, details: ["activity": activity]))
      t.notices.append(
        Notice(
          .decision, to: [.groupLeader(id)],
          template: approved ? "wg.budget.approved" : "wg.budget.rejected",
          parameters: ["group": id.rawValue, "activity": activity],
          zh: approved ? "活动“\(activity)”预算已获批准" : "活动“\(activity)”预算未获批准",
          en: approved
            ? "The budget for “\(activity)” is approved"
            : "The budget for “\(activity)” is not approved",
          article: p.budgetArticle))
      return t

    case .activityRulesDecided(let title, let approved):
      var t = Transition(
        state: self,
        decision: Decision(
          approved ? "activityRulesApproved" : "activityRulesRejected", p.activityRulesArticle))
      t.facts.append(
        Fact(
          approved ? .activityRulesApproved : .activityRulesRejected, subject, day: today,
          article: p.activityRulesArticle, details: ["title": title]))
      return t
    }
  }

  /// Art. 7.4–7.5, and the tenant's suspension rule (DTPC art. 15 [interp]) for suspended units.
  private func checkPost(
    _ post: LeaderPost, isLeader: Bool, surroundings: Surroundings,
    parameters p: WorkingGroupParameters
  ) throws(Refusal) {
    guard members[post.unit] != nil else {
      throw Refusal(
        "unitNotGroupMember", p.onePostPerUnit.article, zh: "组长、联合组长须来自推进组成员单位",
        en: "a leader or co-leader must represent a member unit of the group")
    }
    if surroundings.standing[post.unit] == .suspended, p.suspendedMayHoldOffice?.value != true {
      throw Refusal(
        "suspendedMayNotHoldOffice", p.suspendedMayHoldOffice?.article ?? p.joiningArticle,
        zh: "暂停权利的成员单位不得担任职务",
        en: "a suspended member may not hold office")
    }
    if isLeader, p.oneGroupPerLeader.value,
      let other = surroundings.leadersOfOtherGroups[post.person], other != id
    {
      throw Refusal(
        "leadsAnotherGroup", p.oneGroupPerLeader.article, zh: "\(post.person) 已担任推进组 \(other) 组长",
        en: "\(post.person) already leads working group \(other)")
    }
    if p.onePostPerUnit.value {
      var holders = coLeaders
      if let leader { holders.append(leader) }
      if isLeader, let leader { holders.removeAll { $0 == leader } }
      if holders.contains(where: { $0.unit == post.unit }) {
        throw Refusal(
          "unitAlreadyHoldsPost", p.onePostPerUnit.article, zh: "同一成员单位在本推进组内最多一人担任组长或联合组长",
          en: "a member unit holds at most one leader or co-leader post in a group")
      }
    }
  }

  private func recordingAttendance(
    activity: String, marks: [MemberID: AttendanceStatus], parameters p: WorkingGroupParameters,
    today: CivilDate
  ) -> Transition<WorkingGroup> {
    let rule = p.absence.value
    let article = p.absence.article
    var next = self
    var reminded: [MemberID] = []
    var leaving: [MemberID] = []
    for (member, mark) in marks.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      guard var membership = next.members[member] else { continue }
      let before = membership.absenceStreak
      membership.absenceStreak = rule.streak(after: before, status: mark)
      next.members[member] = membership
      if membership.absenceStreak >= rule.consecutive {
        leaving.append(member)
      } else if let remind = rule.remindAfter, membership.absenceStreak == remind, before != remind
      {
        reminded.append(member)
      }
    }
    var t = Transition(state: next, decision: Decision("attendanceRecorded", article))
    for member in reminded {
      t.notices.append(
        Notice(
          .reminder, to: [.memberContact(member)], template: "wg.absence.reminder",
          parameters: [
            "activity": activity,
            "group": id.rawValue, "name": name, "absences": String(rule.remindAfter ?? 0),
            "limit": String(rule.consecutive),
          ],
          zh: "贵单位已连续 \(rule.remindAfter ?? 0) 次未参加推进组“\(name)”的活动；连续 \(rule.consecutive) 次将视为自动退出",
          en:
            "Your unit missed \(rule.remindAfter ?? 0) consecutive activities of “\(name)”; at \(rule.consecutive) it leaves the group automatically",
          article: article))
    }
    if !leaving.isEmpty {
      let removal = next.removing(
        leaving, cause: "automaticLeave", article: article, parameters: p, today: today)
      t.state = removal.state
      t.facts += removal.facts
      t.notices += removal.notices
      t.decision = Decision("automaticLeave", article)
    }
    return t
  }

  /// Removes members; the leader announces it to all group members (art. 7.6), and the
  /// secretariat learns when the group falls below its minimum (a ground under art. 6).
  private func removing(
    _ leaving: [MemberID], cause: String, article: Article, parameters p: WorkingGroupParameters,
    today: CivilDate
  ) -> Transition<WorkingGroup> {
    var next = self
    for member in leaving {
      next.members[member] = nil
      if next.leader?.unit == member { next.leader = nil }
      next.coLeaders.removeAll { $0.unit == member }
    }
    var t = Transition(state: next, decision: Decision(cause, article))
    for member in leaving {
      t.facts.append(
        Fact(
          .groupMemberLeft, .workingGroup(id), day: today, article: article,
          details: ["member": member.rawValue, "cause": cause]))
    }
    let list = leaving.map(\.rawValue).joined(separator: "、")
    t.notices.append(
      Notice(
        .announcement, to: [.groupMembers(id)] + leaving.map { .memberContact($0) },
        template: cause == "automaticLeave" ? "wg.member.automaticLeave" : "wg.member.left",
        parameters: ["group": id.rawValue, "name": name, "members": list],
        zh: cause == "automaticLeave"
          ? "\(list) 连续缺席，视为自动退出推进组“\(name)”" : "\(list) 退出推进组“\(name)”",
        en: cause == "automaticLeave"
          ? "\(list) left “\(name)” automatically after consecutive absences"
          : "\(list) left “\(name)”",
        article: article))
    if next.members.count < p.minimumMembers.value && members.count >= p.minimumMembers.value {
      t.facts.append(
        Fact(
          .groupBelowMinimumMembers, .workingGroup(id), day: today,
          article: p.minimumMembers.article,
          details: [
            "members": String(next.members.count), "minimum": String(p.minimumMembers.value),
          ]))
      t.notices.append(
        Notice(
          .warning, to: [.secretariat, .groupLeader(id)], template: "wg.belowMinimumMembers",
          parameters: ["group": id.rawValue, "members": String(next.members.count)],
          zh: "推进组“\(name)”成员单位不足 \(p.minimumMembers.value) 家（现 \(next.members.count) 家）",
          en:
            "Working group “\(name)” has fewer than \(p.minimumMembers.value) members (\(next.members.count))",
          article: p.minimumMembers.article))
    }
    return t
  }
}
