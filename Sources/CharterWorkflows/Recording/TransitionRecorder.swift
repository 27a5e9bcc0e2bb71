public import CharterGovernance
import CharterPostgres
import CharterScheduler
import Foundation

/// What recording a transition wrote: the decision's row id (notices and motions refer to
/// it) and the warnings to show the administrator.
public struct RecordedDecision: Sendable {
  public let decisionID: Int64
  public let decision: Decision
  public let warnings: [EngineWarning]
  /// Outbox rows written, and notices that found no address (shown as warnings).
  public let deliveries: Int
  public let undeliverable: [String]

  /// Lines for a reply: the decision with its article, then each warning.
  public var replyLines: [String] {
    ["decision: \(decision)"] + warnings.map { "warning: \($0)" }
      + undeliverable.map { "warning: no address for \($0)" }
  }
}

extension WorkflowScope {
  /// Records everything a transition asks for, in this transaction: the decision (with its
  /// article and charter version), its facts, its notices (rendered into the outbox, one row
  /// per recipient address), its jobs (upserted by key: a repeated event never schedules twice,
  /// a re-scheduled obligation replaces its pending job) and the jobs it cancels.
  ///
  /// - Parameters:
  ///   - subject: what the decision is about (a member, a group, a meeting…).
  ///   - detail: extra fields kept with the decision (reasons, counts).
  ///   - invitation: an iCalendar text attached to every e-mail notice of this transition.
  @discardableResult
  public func record<State>(
    _ transition: Transition<State>, subject: Subject, detail: [String: String] = [:],
    invitation: String? = nil
  ) async throws -> RecordedDecision {
    let decision = transition.decision
    let version = decision.profile?.version ?? charter?.version
    let decisionID = try await connection.query(
      """
      insert into charter.decisions
          (tenant_id, subject, code, article, interpretation, charter_version, profile_id,
           decided_on, recorded_by, command, detail)
      values (charter.current_tenant(), $1, $2, $3, $4, $5, $6, $7::date, $8, $9, $10)
      returning id
      """,
      [
        subject.description, decision.code, decision.article.citation,
        decision.article.interpretation, version, decision.profile?.id ?? charter?.profile.id,
        engine.today.description, actor, command, try JSONText.object(detail),
      ]
    ).scalar(as: Int64.self)

    for fact in transition.facts {
      try await connection.query(
        """
        insert into charter.facts
            (tenant_id, decision_id, kind, subject, day, article, charter_version, details)
        values (charter.current_tenant(), $1, $2, $3, $4::date, $5, $6, $7)
        """,
        [
          decisionID, fact.kind.rawValue, fact.subject.description, fact.day.description,
          fact.article.description, fact.profile?.version ?? version,
          try JSONText.object(fact.details),
        ])
    }

    var deliveries = 0
    var undeliverable: [String] = []
    for (index, notice) in transition.notices.enumerated() {
      let routed = try await NoticeRouter.enqueue(
        notice, key: "decision-\(decisionID)/\(index)", invitation: invitation, scope: self)
      deliveries += routed.written
      undeliverable += routed.unresolved
    }

    for job in transition.jobs {
      try await DeadlineJobs.schedule(job, charterVersion: version, on: connection)
    }
    try await DeadlineJobs.cancel(keys: transition.cancelledJobKeys, on: connection)

    return RecordedDecision(
      decisionID: decisionID, decision: decision, warnings: transition.warnings,
      deliveries: deliveries, undeliverable: undeliverable)
  }
}

/// JSON text for jsonb parameters, keys sorted so equal values give equal text.
enum JSONText {
  static func object(_ dictionary: [String: String]) throws -> PostgresJSON {
    let data = try JSONSerialization.data(withJSONObject: dictionary, options: [.sortedKeys])
    return PostgresJSON(String(decoding: data, as: UTF8.self))
  }
}
