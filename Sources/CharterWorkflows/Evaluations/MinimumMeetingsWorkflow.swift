import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import CharterScheduler
import Foundation

/// Minimum meetings of a body (AITISA art. 10.1: 2 a year per working group; AII art. 23;
/// DTPC art. 27: 1 a quarter; tjsia-ai §3(一): 2 activities a year): counts the meetings held
/// (charter.meetings, status `held`) in the period, warns the secretariat when the body is
/// below its minimum with too little time left, and keeps one `minimumMeetings` job pending
/// per body (or group): the day the warning would start, or the first day of the next period.
extension WorkflowService {
  /// [interp] Days to allow for each missing meeting (notice period and organisation): the
  /// warning comes when fewer days than `missing × 30` are left in the period.
  static let leadDaysPerMissingMeeting = 30

  struct MinimumMeetingsOutcome: Sendable {
    var body: String
    var subject: Subject
    var periodStart: CivilDate
    var periodEnd: CivilDate
    var held: Int
    var required: Int
    var decision: String
    var warned: Bool
    var nextCheck: CivilDate?
  }

  func meetingsCheck(_ context: CommandContext) async throws -> CommandOutcome {
    let bodyFilter = context.invocation.arguments.string("body")
    return try await change(context) { scope in
      let profile = try scope.profile()
      let bodies = profile.bodies.filter {
        $0.minimumMeetings != nil && (bodyFilter == nil || $0.id == bodyFilter)
      }
      guard !bodies.isEmpty else {
        let known = profile.bodies.filter { $0.minimumMeetings != nil }.map(\.id)
        throw scope.failure(
          .notFound,
          "no body \(bodyFilter ?? "") with a minimum number of meetings; the charter sets one for: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
        )
      }
      var rows: [[String]] = []
      var warned = 0
      for body in bodies {
        for subject in try await self.minimumMeetingSubjects(body, scope: scope) {
          guard
            let outcome = try await self.checkMinimumMeetings(
              body, subject: subject, scope: scope, engine: scope.engine, runningKey: nil)
          else { continue }
          if outcome.warned { warned += 1 }
          rows.append([
            outcome.body, outcome.subject.description, outcome.periodStart.description,
            outcome.periodEnd.description, String(outcome.held), String(outcome.required),
            outcome.decision + (outcome.warned ? " (secretariat warned)" : ""),
            outcome.nextCheck?.description ?? "",
          ])
        }
      }
      return CommandOutcome(
        reply: .table(
          columns: [
            "body", "subject", "period_start", "period_end", "held", "required", "decision",
            "next_check",
          ], rows: rows,
          status: .ok("\(rows.count) checked, \(warned) below the minimum and warned")))
    }
  }

  /// The `minimumMeetings` job: checks the period it was scheduled for (as of its last day
  /// when the job runs after the period).
  func minimumMeetingsJob(_ scope: WorkflowScope, _ job: DeadlineJobContext) async throws
    -> JobOutcome
  {
    guard let bodyID = job.payload["body"], let body = try scope.profile().body(bodyID),
      body.minimumMeetings != nil
    else { return .done }
    var engine = scope.engine
    if let end = job.payload["periodEnd"].flatMap(CivilDate.init(iso:)), engine.today > end {
      engine = engine.movedToNoon(of: end)
    }
    _ = try await checkMinimumMeetings(
      body, subject: job.subject, scope: scope, engine: engine, runningKey: job.key)
    return .done
  }

  /// Who a body's minimum applies to: the body itself, or each active working group when the
  /// body is a group's all-member meeting (AITISA art. 10.1).
  func minimumMeetingSubjects(_ body: Body, scope: WorkflowScope) async throws -> [Subject] {
    guard case .workingGroupMembers = body.composition.value else { return [.body(body.id)] }
    return try await scope.connection.query(
      "select id::text from charter.working_groups where status = 'active' order by name, id", []
    ).rows.map { .workingGroup(WorkingGroupID(try $0.decode(0, as: String.self))) }
  }

  func heldMeetings(
    _ body: Body, subject: Subject, from start: CivilDate, to end: CivilDate, scope: WorkflowScope
  ) async throws -> Int {
    let result: PostgresResult
    if case .workingGroup(let group) = subject, let id = UUID(uuidString: group.rawValue) {
      result = try await scope.connection.query(
        """
        select count(*)::int8 from charter.meetings
        where group_id = $1 and status = 'held' and held_on between $2::date and $3::date
        """, [id, start.description, end.description])
    } else {
      result = try await scope.connection.query(
        """
        select count(*)::int8 from charter.meetings
        where body = $1 and status = 'held' and held_on between $2::date and $3::date
        """, [body.id, start.description, end.description])
    }
    return Int(try result.scalar(as: Int64.self))
  }

  /// Runs the engine's check for the period containing `engine.today`, records it, and leaves
  /// exactly one pending `minimumMeetings` job for the subject.
  func checkMinimumMeetings(
    _ body: Body, subject: Subject, scope: WorkflowScope, engine: EngineContext,
    runningKey: String?
  ) async throws -> MinimumMeetingsOutcome? {
    guard let minimum = body.minimumMeetings else { return nil }
    let profile = try scope.profile()
    let (start, end) = MinimumMeetingsCheck.period(containing: engine.today, per: minimum.value.per)
    let held = try await heldMeetings(body, subject: subject, from: start, to: end, scope: scope)
    let lead = Ruled(
      Self.leadDaysPerMissingMeeting,
      Article(
        minimum.citation.article, interpretation: true,
        note: "warn when fewer than 30 days per missing meeting are left"))
    guard
      var transition = MinimumMeetingsCheck.check(
        body: body, subject: subject, held: held, leadDaysPerMeeting: lead, profile: profile,
        context: engine)
    else { return nil }
    // The running job cannot replace itself (the upsert leaves a running job alone).
    transition.jobs = transition.jobs.map { job in
      guard job.key == runningKey else { return job }
      return DeadlineJob(
        job.kind, subject: job.subject, dueDay: job.dueDay, due: job.due,
        key: job.key + ":recheck", article: job.article, payload: job.payload)
    }
    if transition.jobs.isEmpty {
      transition.jobs.append(
        Self.periodCheck(
          body: body, subject: subject, periodStart: end.adding(days: 1),
          article: transition.decision.article, engine: engine))
    }
    try await scope.connection.query(
      """
      update charter.deadline_jobs
      set state = 'cancelled', finished_at = now(), updated_at = now()
      where kind = $1 and subject = $2 and state = 'pending' and not (unique_key = any($3))
      """,
      [
        DeadlineJobs.jobKind(.minimumMeetings), subject.description,
        transition.jobs.map(\.key),
      ])
    try await scope.record(
      transition, subject: subject,
      detail: [
        "body": body.id, "held": String(held), "required": String(minimum.value.count),
        "periodStart": start.description, "periodEnd": end.description,
      ])
    return MinimumMeetingsOutcome(
      body: body.id, subject: subject, periodStart: start, periodEnd: end, held: held,
      required: minimum.value.count, decision: transition.decision.code,
      warned: !transition.notices.isEmpty, nextCheck: transition.jobs.first?.dueDay)
  }

  /// The check of the period starting on `periodStart`, on the first day the warning could
  /// start there (no meeting held yet: `required × 30` days before its end, not before its
  /// first day). If meetings are held by then, the check finds fewer missing and sets a later
  /// day, or finds the minimum met.
  static func periodCheck(
    body: Body, subject: Subject, periodStart: CivilDate, article: Article, engine: EngineContext
  ) -> DeadlineJob {
    let per = body.minimumMeetings?.value.per ?? .year
    let required = body.minimumMeetings?.value.count ?? 1
    let (start, end) = MinimumMeetingsCheck.period(containing: periodStart, per: per)
    let due = max(start, end.adding(days: -required * leadDaysPerMissingMeeting))
    return DeadlineJob(
      .minimumMeetings, subject: subject, dueDay: due, due: engine.due(due),
      key: "minimum-meetings:\(subject):\(start)", article: article,
      payload: ["body": body.id, "periodStart": start.description, "periodEnd": end.description])
  }

  /// The first `minimumMeetings` job of `subject` from today: this period's when its warning
  /// window is still ahead, else the next period's ([interp] a body or group starting inside
  /// its warning window is not warned at once: nothing before today was recorded).
  static func firstPeriodCheck(body: Body, subject: Subject, engine: EngineContext)
    -> DeadlineJob?
  {
    guard let minimum = body.minimumMeetings else { return nil }
    let (start, end) = MinimumMeetingsCheck.period(containing: engine.today, per: minimum.value.per)
    let current = periodCheck(
      body: body, subject: subject, periodStart: start, article: Article(minimum.citation),
      engine: engine)
    if current.dueDay > engine.today { return current }
    return periodCheck(
      body: body, subject: subject, periodStart: end.adding(days: 1),
      article: Article(minimum.citation), engine: engine)
  }

  /// Schedules the first minimum-meetings check of a working group established today (AITISA
  /// art. 10.1: each group meets at least twice a year). For the working-groups part to call
  /// when a group is established; CHARTER LOAD and MEETINGS CHECK cover the groups that exist.
  static func scheduleGroupMinimumMeetings(_ scope: WorkflowScope, group: WorkingGroupID)
    async throws
  {
    guard let profile = scope.charter?.profile,
      let body = profile.bodies.first(where: {
        guard case .workingGroupMembers = $0.composition.value else { return false }
        return $0.minimumMeetings != nil
      }),
      let job = Self.firstPeriodCheck(
        body: body, subject: .workingGroup(group), engine: scope.engine)
    else { return }
    try await RecurringJobs.scheduleIfNew(
      job, charterVersion: scope.charter?.version, on: scope.connection)
  }
}
