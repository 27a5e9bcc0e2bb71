import CharterCalendar

/// Yearly (or quarterly) obligations of the organisation itself: publishing the use of funds
/// to members (DTPC art. 33) and collecting membership fees with reminders (zgc-ai fee rules).
public enum PeriodicObligations {
  /// The `fundUsePublication` job for the period containing today, due on its last day.
  public static func fundUsePublication(profile: CharterProfile, context: EngineContext)
    -> DeadlineJob?
  {
    guard let rule = profile.fundUsePublication else { return nil }
    let (start, end) = MinimumMeetingsCheck.period(containing: context.today, per: rule.value.per)
    return profile.stamp.stamp(
      DeadlineJob(
        .fundUsePublication, subject: .body("secretariat"), dueDay: end, due: context.due(end),
        key: "fund-use-publication:\(start)", article: Article(rule.citation),
        payload: ["periodStart": start.description, "periodEnd": end.description]))
  }

  /// `feeReminder` jobs for the period containing today, one per member whose tier pays a fee.
  /// [interp] The fee falls due on the first day of the period; the reminder comes the
  /// profile's `reminderAfter` later. The caller cancels a member's job when it pays
  /// (key `fee-reminder:<member>:<period start>`).
  public static func feeReminders(
    members: [MemberID: String], profile: CharterProfile, context: EngineContext
  ) throws(Refusal) -> [DeadlineJob] {
    guard let fees = profile.fees, case .perTier(let schedule) = fees.value,
      let reminderAfter = schedule.reminderAfter
    else { return [] }
    let article = Article(fees.citation)
    let (start, _) = MinimumMeetingsCheck.period(containing: context.today, per: schedule.per)
    var warnings: [EngineWarning] = []
    let due = try profile.stamp.stampingRefusal { () throws(Refusal) in
      try context.deadline(reminderAfter, after: start, article: article, warnings: &warnings)
    }
    return members.sorted { $0.key.rawValue < $1.key.rawValue }.compactMap { member, tier in
      guard schedule.annualAmountFen.keys.contains(tier) else { return nil }
      var payload = ["member": member.rawValue, "tier": tier, "periodStart": start.description]
      if let amount = schedule.annualAmountFen[tier] ?? nil {
        payload["amountFen"] = String(amount)
      }
      return profile.stamp.stamp(
        DeadlineJob(
          .feeReminder, subject: .member(member), dueDay: due, due: context.due(due),
          key: "fee-reminder:\(member):\(start)", article: article, payload: payload))
    }
  }
}
