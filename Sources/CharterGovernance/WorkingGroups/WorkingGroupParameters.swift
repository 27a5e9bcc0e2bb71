public import CharterCalendar

/// The working-group (推进组) rules of a tenant: AITISA art. 4–14. Built from the tenant's
/// charter profile; every value carries its article.
public struct WorkingGroupParameters: Sendable {
  /// The profile version these parameters come from; the working-group machines record it on
  /// what they decide.
  public var profile: ProfileStamp
  /// Art. 4.1: at least 5 member units apply jointly.
  public var minimumSponsors: Ruled<Int>
  /// Art. 4.2: the secretariat tells the applicants within 10 working days.
  public var reviewNoticePeriod: Ruled<CalendarPeriod>
  /// [interp] How many working days before the review-notice deadline the secretariat is reminded.
  public var reviewReminderLead: Ruled<Int>
  /// Art. 4.3: a rejection is notified within 10 days of the chair's office decision.
  public var rejectionNoticePeriod: Ruled<CalendarPeriod>
  /// Art. 4.3: the body that decides on establishment, renaming, dissolution (理事长办公会).
  public var decidingBody: Ruled<String>
  /// Art. 5: renaming.
  public var renameArticle: Article
  /// Art. 6(a): dissolution requested by at least 1/2 of the group's members.
  public var dissolutionRequestShare: Ruled<Threshold>
  /// Art. 6(b): the group is told in writing within 10 days of the secretary-general's motion.
  public var dissolutionNoticePeriod: Ruled<CalendarPeriod>
  /// Art. 6(b): the group may object within 10 days of receiving the notice.
  public var objectionPeriod: Ruled<CalendarPeriod>
  /// Art. 7: a group has at least 5 members.
  public var minimumMembers: Ruled<Int>
  /// Art. 7.1–7.2: only alliance members join; the leader approves.
  public var joiningArticle: Article
  /// Art. 7.4: a person who leads one group may not lead another.
  public var oneGroupPerLeader: Ruled<Bool>
  /// Art. 7.5: within one group a member unit holds at most one leader/co-leader post.
  public var onePostPerUnit: Ruled<Bool>
  /// Art. 7.6: automatic leave after 3 consecutive absences, reminder after 2.
  public var absence: Ruled<StreakRule>
  /// Art. 12: budgets need the secretariat's review and the chair's office approval.
  public var budgetArticle: Article
  /// Art. 14: a group's own activity rules need the chair's office approval.
  public var activityRulesArticle: Article
  /// Whether a suspended member may hold a leader post (DTPC art. 15 [interp]: no); nil when
  /// the charter has no suspension, and then a suspended unit may not.
  public var suspendedMayHoldOffice: Ruled<Bool>? = nil

  public init(
    profile: ProfileStamp,
    minimumSponsors: Ruled<Int>, reviewNoticePeriod: Ruled<CalendarPeriod>,
    reviewReminderLead: Ruled<Int>,
    rejectionNoticePeriod: Ruled<CalendarPeriod>, decidingBody: Ruled<String>,
    renameArticle: Article,
    dissolutionRequestShare: Ruled<Threshold>, dissolutionNoticePeriod: Ruled<CalendarPeriod>,
    objectionPeriod: Ruled<CalendarPeriod>, minimumMembers: Ruled<Int>, joiningArticle: Article,
    oneGroupPerLeader: Ruled<Bool>, onePostPerUnit: Ruled<Bool>, absence: Ruled<StreakRule>,
    budgetArticle: Article, activityRulesArticle: Article
  ) {
    self.profile = profile
    self.minimumSponsors = minimumSponsors
    self.reviewNoticePeriod = reviewNoticePeriod
    self.reviewReminderLead = reviewReminderLead
    self.rejectionNoticePeriod = rejectionNoticePeriod
    self.decidingBody = decidingBody
    self.renameArticle = renameArticle
    self.dissolutionRequestShare = dissolutionRequestShare
    self.dissolutionNoticePeriod = dissolutionNoticePeriod
    self.objectionPeriod = objectionPeriod
    self.minimumMembers = minimumMembers
    self.joiningArticle = joiningArticle
    self.oneGroupPerLeader = oneGroupPerLeader
    self.onePostPerUnit = onePostPerUnit
    self.absence = absence
    self.budgetArticle = budgetArticle
    self.activityRulesArticle = activityRulesArticle
  }
}
