public import CharterCalendar

/// Minimum meetings of a body per year or quarter (AITISA art. 10: 2 a year; AII art. 23: 1 a
/// year; DTPC art. 27: 1 a quarter; tjsia-ai §3: 2 activities a year), and the warning when a
/// body is below its minimum with too little time left.
public struct MinimumMeetingsCheck: Sendable, Equatable {
  public let subject: Subject
  public let required: Int
  public let held: Int
  public let periodStart: CivilDate
  public let periodEnd: CivilDate
  public let daysLeft: Int
  public let article: Article

  /// The meetings still needed in the period.
  public var missing: Int { max(0, required - held) }

  /// The period (calendar year or quarter) containing `day`.
  public static func period(containing day: CivilDate, per unit: RecurrenceUnit) -> (
    start: CivilDate, end: CivilDate
  ) {
    switch unit {
    case .year:
      return (
        CivilDate(year: day.year, month: 1, day: 1) ?? day,
        CivilDate(year: day.year, month: 12, day: 31) ?? day
      )
    case .quarter:
      let firstMonth = (day.month - 1) / 3 * 3 + 1
      let start = CivilDate(year: day.year, month: firstMonth, day: 1) ?? day
      let nextStart =
        firstMonth == 10
        ? CivilDate(year: day.year + 1, month: 1, day: 1) ?? day
        : CivilDate(year: day.year, month: firstMonth + 3, day: 1) ?? day
      return (start, nextStart.adding(days: -1))
    }
  }

  /// - Parameters:
  ///   - held: meetings of the body held so far in the period containing today.
  ///   - leadDaysPerMeeting: [interp] days to allow for each missing meeting (notice period
  ///     and organisation); the warning comes when fewer days are left than that.
  ///   - profile: the profile `body` belongs to; its version is recorded on the outcome.
  public static func check(
    body: Body, subject: Subject, held: Int, leadDaysPerMeeting: Ruled<Int>,
    profile: CharterProfile, context: EngineContext
  ) -> Transition<MinimumMeetingsCheck>? {
    guard let minimum = body.minimumMeetings else { return nil }
    let today = context.today
    let (start, end) = period(containing: today, per: minimum.value.per)
    let article = Article(minimum.citation)
    let status = MinimumMeetingsCheck(
      subject: subject, required: minimum.value.count, held: held, periodStart: start,
      periodEnd: end,
      daysLeft: end - today, article: article)
    var t = Transition(
      state: status,
      decision: Decision(status.missing == 0 ? "minimumMet" : "belowMinimum", article))
    let warnFrom = end.adding(days: -status.missing * leadDaysPerMeeting.value)
    if status.missing > 0 && today >= warnFrom {
      t.notices.append(
        Notice(
          .warning, to: [.secretariat] + Self.leaders(subject), template: "meetings.belowMinimum",
          parameters: [
            "body": body.id, "subject": subject.description, "held": String(held),
            "required": String(status.required), "periodEnd": end.description,
          ],
          zh:
            "\(body.name)本期已开会 \(held) 次，至少须开 \(status.required) 次，距 \(end) 仅剩 \(status.daysLeft) 天",
          en:
            "\(body.id) held \(held) of at least \(status.required) meetings; \(status.daysLeft) days left until \(end)",
          article: article))
    } else if status.missing > 0 {
      t.jobs.append(
        DeadlineJob(
          .minimumMeetings, subject: subject, dueDay: warnFrom, due: context.due(warnFrom),
          key: "minimum-meetings:\(subject):\(start)", article: article,
          payload: [
            "body": body.id, "periodStart": start.description, "periodEnd": end.description,
          ]))
    }
    return profile.stamp.stamp(t)
  }

  private static func leaders(_ subject: Subject) -> [Recipient] {
    if case .workingGroup(let id) = subject { return [.groupLeader(id)] }
    return []
  }
}
