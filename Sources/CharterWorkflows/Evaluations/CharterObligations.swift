import CharterCalendar
import CharterGovernance
import CharterPostgres
import Foundation

extension WorkflowService {
  /// The recurring obligations of the charter in force today, scheduled when a charter (or an
  /// amendment) is loaded: one `minimumMeetings` job per body with a minimum (AITISA art. 10.1,
  /// AII art. 23, DTPC art. 27, tjsia-ai §3), the `fundUsePublication` job of the current
  /// period (DTPC art. 33) and a `feeReminder` job per member whose tier pays a fee (zgc-ai).
  /// A job is written only when its obligation has none yet (`RecurringJobs`), so loading an
  /// amendment neither duplicates nor revives one.
  ///
  /// [interp] A body already inside its warning window on the day the charter is loaded is
  /// not warned: meetings held before the charter was loaded are not recorded, so its first
  /// check is in the next period.
  ///
  /// - Returns: a line for the reply, e.g. `scheduled: 1 minimum-meetings check, …`.
  @discardableResult
  func scheduleCharterObligations(_ scope: WorkflowScope) async throws -> String {
    guard
      let charter = try await TenantCharters.inForce(
        on: scope.engine.today, cache: profiles, connection: scope.connection)
    else { return "scheduled: nothing (no charter in force today)" }
    let profile = charter.profile
    let engine = scope.engine
    let today = engine.today
    var jobs: [DeadlineJob] = []

    var checks = 0
    for body in profile.bodies where body.minimumMeetings != nil {
      for subject in try await minimumMeetingSubjects(body, scope: scope) {
        guard let job = Self.firstPeriodCheck(body: body, subject: subject, engine: engine)
        else { continue }
        checks += 1
        jobs.append(job)
      }
    }

    var fundUse = ""
    if let job = PeriodicObligations.fundUsePublication(profile: profile, context: engine) {
      let year = CivilDate(iso: job.payload["periodStart"] ?? "")?.year ?? today.year
      if try await !fundUsePublished(year: year, scope: scope) {
        jobs.append(job)
        fundUse = ", fund-use publication due \(job.dueDay)"
      }
    }

    let reminders = try PeriodicObligations.feeReminders(
      members: try await feePayingMembers(scope: scope), profile: profile, context: engine)
    jobs += reminders

    for job in jobs {
      try await RecurringJobs.scheduleIfNew(
        job, charterVersion: charter.version, on: scope.connection)
    }
    return
      "scheduled: \(checks) minimum-meetings check\(checks == 1 ? "" : "s")\(fundUse), \(reminders.count) fee reminder\(reminders.count == 1 ? "" : "s")"
  }
}
