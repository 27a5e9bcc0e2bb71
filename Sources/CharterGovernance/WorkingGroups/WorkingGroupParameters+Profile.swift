/// Parameters the working-group engine needs beyond `WorkingGroupRules` of the profile
/// (extension points until the profile carries them).
public struct WorkingGroupExtensions: Sendable {
  /// [interp] Working days before the review-notice deadline at which the secretariat is reminded.
  public var reviewReminderLead: Ruled<Int>
  /// AITISA art. 5: renaming.
  public var renameArticle: Article
  /// AITISA art. 14: the group's own activity rules.
  public var activityRulesArticle: Article

  public init(reviewReminderLead: Ruled<Int>, renameArticle: Article, activityRulesArticle: Article)
  {
    self.reviewReminderLead = reviewReminderLead
    self.renameArticle = renameArticle
    self.activityRulesArticle = activityRulesArticle
  }
}

extension WorkingGroupParameters {
  /// The working-group parameters of a tenant, from its charter profile.
  public init(profile: CharterProfile, extensions x: WorkingGroupExtensions) throws(ProfileGap) {
    let rules = try profile.workingGroups.required(profile, "working_groups")
    let absence = profile.membership.absence.filter { $0.body == rules.meetingBody }
    let exit = try absence.first { $0.consequence == .automaticExit }.required(
      profile, "membership.absence (working group)")
    let reminder = absence.first { $0.consequence == .reminder }
    let approving = try rules.approvingBody.required(profile, "working_groups.approving_body")
    let membersOnly = try rules.membersOnly.required(profile, "working_groups.members_only")
    let budget = try rules.budgetRequired.required(profile, "working_groups.budget_required")
    self.init(
      profile: profile.stamp,
      minimumSponsors: Ruled(
        try rules.foundingMinimum.required(profile, "working_groups.founding_minimum")),
      reviewNoticePeriod: Ruled(
        try rules.reviewNotice.required(profile, "working_groups.review_notice")),
      reviewReminderLead: x.reviewReminderLead,
      rejectionNoticePeriod: Ruled(
        try rules.rejectionNotice.required(profile, "working_groups.rejection_notice")),
      decidingBody: Ruled(approving),
      renameArticle: x.renameArticle,
      dissolutionRequestShare: Ruled(
        try rules.dissolutionRequest.required(profile, "working_groups.dissolution_request")),
      dissolutionNoticePeriod: Ruled(
        try rules.dissolutionNotice.required(profile, "working_groups.dissolution_notice")),
      objectionPeriod: Ruled(
        try rules.dissolutionObjectionWindow.required(
          profile, "working_groups.dissolution_objection_window")),
      minimumMembers: Ruled(
        try rules.minimumMembers.required(profile, "working_groups.minimum_members")),
      joiningArticle: Article(membersOnly.citation),
      oneGroupPerLeader: Ruled(
        try rules.oneLeadershipPerPerson.required(
          profile, "working_groups.one_leadership_per_person")),
      onePostPerUnit: Ruled(
        try rules.onePostPerUnitPerGroup.required(
          profile, "working_groups.one_post_per_unit_per_group")),
      absence: Ruled(StreakRule(exit, reminder: reminder), Article(exit.citation)),
      budgetArticle: Article(budget.citation),
      activityRulesArticle: x.activityRulesArticle)
    if let suspension = profile.membership.discipline?.suspension {
      suspendedMayHoldOffice = Ruled(suspension.value.mayHoldOffice, Article(suspension.citation))
    }
  }
}
