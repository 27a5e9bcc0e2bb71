import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import CharterScheduler
import Foundation

/// The yearly publication of the use of funds to the members (DTPC art. 33: 按年度向成员单位公布
/// 资金使用情况): FUNDS PUBLISH announces it; the `fundUsePublication` job reminds the
/// secretariat on the last day of the year when it has not been published.
extension WorkflowService {
  func fundsPublish(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let year = arguments.integer("year") ?? 0
    let summary = arguments.string("summary") ?? ""
    return try await change(context) { scope in
      let profile = try scope.profile()
      guard let rule = profile.fundUsePublication else {
        throw scope.failure(.conflict, "the charter sets no publication of the use of funds")
      }
      let article = Article(rule.citation)
      if let row = try await scope.connection.query(
        "select published_on::text from charter.fund_use_publications where year = $1", [year]
      ).rows.first {
        let day = try row.decode(0, as: String.self)
        throw scope.failure(.conflict, "the use of funds of \(year) was published on \(day)")
      }
      try await scope.connection.query(
        """
        insert into charter.fund_use_publications (tenant_id, year, published_on, summary, recorded_by)
        values (charter.current_tenant(), $1, $2::date, $3, $4)
        """, [year, scope.engine.today.description, summary, scope.actor])
      var transition = Transition(
        state: "", decision: Decision("fundUsePublished", article, profile: profile.stamp))
      transition.notices.append(
        Notice(
          .announcement, to: [.allMembers], template: "funds.published",
          parameters: ["year": String(year), "summary": summary],
          zh: "\(year) 年度资金使用情况：\(summary)", en: "Use of funds in \(year): \(summary)",
          article: article))
      transition.cancelledJobKeys = ["fund-use-publication:\(year)-01-01"]
      if let next = Self.fundUseJob(year: year + 1, profile: profile, engine: scope.engine) {
        transition.jobs.append(next)
      }
      let recorded = try await scope.record(
        transition, subject: .body("secretariat"), detail: ["year": String(year)])
      return CommandOutcome(
        reply: .text(
          recorded.replyLines, status: .ok("use of funds of \(year) published to the members")))
    }
  }

  /// The publication job of the period starting on 1 January of `year`.
  static func fundUseJob(year: Int, profile: CharterProfile, engine: EngineContext)
    -> DeadlineJob?
  {
    guard let first = CivilDate(year: year, month: 1, day: 1) else { return nil }
    return PeriodicObligations.fundUsePublication(
      profile: profile, context: engine.movedToNoon(of: first))
  }

  func fundUsePublished(year: Int, scope: WorkflowScope) async throws -> Bool {
    try await scope.connection.query(
      "select exists (select 1 from charter.fund_use_publications where year = $1)", [year]
    ).scalar(as: Bool.self)
  }

  /// The `fundUsePublication` job: a reminder to the secretariat when the period's use of
  /// funds is not published by its last day; the next period's job is scheduled either way.
  func fundUsePublicationJob(_ scope: WorkflowScope, _ job: DeadlineJobContext) async throws
    -> JobOutcome
  {
    let profile = try scope.profile()
    guard let rule = profile.fundUsePublication,
      let year = job.payload["periodStart"].flatMap(CivilDate.init(iso:))?.year
    else { return .done }
    let article = Article(rule.citation)
    let published = try await fundUsePublished(year: year, scope: scope)
    var transition = Transition(
      state: "",
      decision: Decision(
        published ? "nothingDue" : "fundUseNotPublished", article, profile: profile.stamp))
    if !published {
      transition.notices.append(
        Notice(
          .reminder, to: [.secretariat], template: "funds.reminder",
          parameters: ["year": String(year), "due": job.payload["due_day"] ?? ""],
          zh: "\(year) 年度资金使用情况尚未向成员单位公布，请尽快公布",
          en: "The use of funds of \(year) has not been published to the members yet",
          article: article))
    }
    if let next = Self.fundUseJob(year: year + 1, profile: profile, engine: scope.engine) {
      transition.jobs.append(next)
    }
    try await scope.record(transition, subject: job.subject, detail: ["year": String(year)])
    return .done
  }
}
