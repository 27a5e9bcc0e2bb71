import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import CharterScheduler
import Foundation

/// Annual evaluations of working groups (AITISA art. 11) and minimum-meeting warnings
/// (issue 5): the group reports in writing to the secretariat, the secretariat rates, the
/// chair's office approves, the result is published.
extension WorkflowService {
  var evaluationCommands: [(String, Handler)] {
    [
      ("EVALUATION REQUEST", { try await self.evaluationRequest($0) }),
      ("EVALUATION REPORT", { try await self.evaluationAdvance($0, .reportSubmitted) }),
      ("EVALUATION RATE", { try await self.evaluationRate($0) }),
      ("EVALUATION APPROVE", { try await self.evaluationApprove($0) }),
      ("EVALUATION PUBLISH", { try await self.evaluationAdvance($0, .published) }),
      ("EVALUATION LIST", { try await self.evaluationList($0) }),
      ("MEETINGS CHECK", { try await self.meetingsCheck($0) }),
    ]
  }

  var evaluationDeadlines: [(DeadlineKind, DeadlineHandler)] {
    [
      (.annualEvaluationReport, { try await self.evaluationJob($0, $1, .reportDeadlinePassed) }),
      (.annualEvaluationReminder, { try await self.evaluationJob($0, $1, .reportReminderDue) }),
      (.minimumMeetings, { try await self.minimumMeetingsJob($0, $1) }),
    ]
  }

  /// [interp] AITISA art. 11 sets no period for the written report: 30 days from the request,
  /// with a reminder 7 days before (docs/rules-engine.md, interpretations).
  static func evaluationExtensions(_ profile: CharterProfile) -> EvaluationExtensions {
    let article = profile.workingGroups?.annualEvaluation?.citation.article ?? "AITISA art. 11"
    return EvaluationExtensions(
      reportPeriod: Ruled(
        .calendarDays(30),
        Article(article, interpretation: true, note: "the report is due 30 days after the request")),
      reminderLead: Ruled(
        7, Article(article, interpretation: true, note: "reminder 7 days before the report is due"))
    )
  }

  func evaluationRequest(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let groupText = arguments.string("group") ?? ""
    let year = arguments.integer("year") ?? 0
    return try await change(context) { scope in
      let profile = try scope.profile()
      let group = try await self.activeGroup(groupText, scope: scope)
      if try await EvaluationStore.load(group: group.id, year: year, on: scope.connection) != nil {
        throw scope.failure(
          .conflict, "the \(year) evaluation of \(group.name) is already requested")
      }
      let transition = try AnnualEvaluation.request(
        group: WorkingGroupID(groupText), year: year, profile: profile,
        extensions: Self.evaluationExtensions(profile), context: scope.engine)
      _ = try await EvaluationStore.insert(transition.state, group: group.id, on: scope.connection)
      let recorded = try await scope.record(
        transition, subject: .workingGroup(WorkingGroupID(groupText)),
        detail: ["year": String(year)])
      var due = ""
      if case .reportRequested(let day) = transition.state.stage { due = day.description }
      return CommandOutcome(
        reply: .text(
          recorded.replyLines,
          status: .ok("\(year) report of \(group.name) requested; due \(due)")))
    }
  }

  func evaluationRate(_ context: CommandContext) async throws -> CommandOutcome {
    let word = context.invocation.arguments.string("rating") ?? ""
    guard let rating = AnnualEvaluation.Rating(rawValue: word) else {
      throw CommandFailure.failure(.badArguments, "rating must be excellent, passing or failing")
    }
    return try await evaluationAdvance(context) { profile in
      .rated(
        rating, by: profile.workingGroups?.annualEvaluation?.value.evaluatedBy ?? "secretariat")
    }
  }

  func evaluationApprove(_ context: CommandContext) async throws -> CommandOutcome {
    let approved = (context.invocation.arguments.string("decision") ?? "approved") == "approved"
    return try await evaluationAdvance(context) { profile in
      .chairsOfficeDecided(
        approved: approved,
        by: profile.workingGroups?.annualEvaluation?.value.approvedBy ?? "chair_office")
    }
  }

  func evaluationAdvance(_ context: CommandContext, _ event: AnnualEvaluation.Event) async throws
    -> CommandOutcome
  {
    try await evaluationAdvance(context) { _ in event }
  }

  /// Applies one event of the command to the evaluation of `<group> <year>`.
  func evaluationAdvance(
    _ context: CommandContext,
    _ event: @escaping @Sendable (CharterProfile) -> AnnualEvaluation.Event
  ) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let groupText = arguments.string("group") ?? ""
    let year = arguments.integer("year") ?? 0
    return try await change(context) { scope in
      let profile = try scope.profile()
      guard let group = UUID(uuidString: groupText),
        var stored = try await EvaluationStore.load(group: group, year: year, on: scope.connection)
      else {
        throw scope.failure(
          .notFound, "no \(year) evaluation of group \(groupText); EVALUATION REQUEST first")
      }
      let transition = try stored.evaluation.apply(
        event(profile), profile: profile, context: scope.engine)
      stored.evaluation = transition.state
      try await EvaluationStore.save(stored, on: scope.connection)
      let recorded = try await scope.record(
        transition, subject: .workingGroup(WorkingGroupID(groupText)),
        detail: ["year": String(year)])
      let stage = EvaluationStore.stage(stored.evaluation.stage)
      let rating = EvaluationStore.rating(stored.evaluation.stage).map { ", rated \($0)" } ?? ""
      return CommandOutcome(
        reply: .text(
          recorded.replyLines, status: .ok("\(year) evaluation of \(groupText): \(stage)\(rating)"))
      )
    }
  }

  func evaluationList(_ context: CommandContext) async throws -> CommandOutcome {
    let page = try ListingPage(context)
    let year = context.invocation.arguments.integer("year")
    return try await read(context) { scope in
      let after = page.after ?? []
      let result = try await scope.connection.query(
        """
        select e.year::text, g.name, e.group_id::text, e.stage, coalesce(e.rating, ''),
               e.id::text
        from charter.evaluations e
        join charter.working_groups g on g.tenant_id = e.tenant_id and g.id = e.group_id
        where ($1::int is null or e.year = $1)
          and ($2::text is null or (e.year, g.name, e.id::text) > ($2::int, $3::text, $4::text))
        order by e.year, g.name, e.id::text limit $5
        """,
        [
          year, after.count == 3 ? after[0] : nil, after.count == 3 ? after[1] : nil,
          after.count == 3 ? after[2] : nil, page.limit,
        ])
      let rows = try result.rows.map { row in
        try (0..<5).map { try row.decode($0, as: String.self) }
      }
      let ids = try result.rows.map { try $0.decode(5, as: String.self) }
      let last = rows.last.flatMap { row in ids.last.map { [row[0], row[1], $0] } }
      return CommandOutcome(
        reply: .table(
          columns: ["year", "group", "group_id", "stage", "rating"], rows: rows,
          status: .ok(page.status(count: rows.count, noun: "evaluation", lastKey: last))))
    }
  }

  /// A deadline of the evaluation (report overdue, reminder): the engine answers `nothingDue`
  /// once the report is in.
  func evaluationJob(
    _ scope: WorkflowScope, _ job: DeadlineJobContext, _ event: AnnualEvaluation.Event
  ) async throws -> JobOutcome {
    guard case .workingGroup(let groupID) = job.subject,
      let group = UUID(uuidString: groupID.rawValue),
      let year = job.payload["year"].flatMap({ Int($0) })
    else { return .fail(reason: "an evaluation job without group and year: \(job.key ?? "")") }
    guard
      var stored = try await EvaluationStore.load(group: group, year: year, on: scope.connection)
    else { return .done }
    let transition = try stored.evaluation.apply(
      event, profile: try scope.profile(), context: scope.engine)
    stored.evaluation = transition.state
    try await EvaluationStore.save(stored, on: scope.connection)
    try await scope.record(transition, subject: job.subject, detail: ["year": String(year)])
    return .done
  }

  /// The working group `text` names, which must exist and be active.
  func activeGroup(_ text: String, scope: WorkflowScope) async throws -> (id: UUID, name: String) {
    guard let id = UUID(uuidString: text),
      let row = try await scope.connection.query(
        "select name, status from charter.working_groups where id = $1", [id]
      ).rows.first
    else { throw scope.failure(.notFound, "no working group \(text)") }
    let name = try row.decode(0, as: String.self)
    guard try row.decode(1, as: String.self) == "active" else {
      throw scope.failure(.conflict, "working group \(name) is dissolved")
    }
    return (id, name)
  }
}
