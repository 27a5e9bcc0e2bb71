import CharterCalendar
import CharterGovernance
import CharterPostgres
import Foundation

/// An annual evaluation as stored: a row of charter.evaluations per group and year.
struct StoredEvaluation: Sendable {
  let id: UUID
  var evaluation: AnnualEvaluation
}

enum EvaluationStore {
  /// Loads the evaluation of `group` for `year`, locking its row.
  static func load(group: UUID, year: Int, on connection: PostgresConnection) async throws
    -> StoredEvaluation?
  {
    let result = try await connection.query(
      "select id, state from charter.evaluations where group_id = $1 and year = $2 for update",
      [group, year])
    guard let row = result.rows.first else { return nil }
    let id = try row.decode(0, as: UUID.self)
    return StoredEvaluation(
      id: id,
      evaluation: try EngineState.decode(
        AnnualEvaluation.self, from: try row.decode(1, as: PostgresJSON.self),
        row: "evaluation \(id)"))
  }

  static func insert(
    _ evaluation: AnnualEvaluation, group: UUID, on connection: PostgresConnection
  ) async throws -> UUID {
    try await connection.query(
      """
      insert into charter.evaluations (tenant_id, group_id, year, stage, rating, state, revision)
      values (charter.current_tenant(), $1, $2, $3, $4, $5, 1) returning id
      """,
      [
        group, evaluation.year, stage(evaluation.stage), rating(evaluation.stage),
        try EngineState.encode(evaluation),
      ]
    ).scalar(as: UUID.self)
  }

  static func save(_ stored: StoredEvaluation, on connection: PostgresConnection) async throws {
    try await connection.query(
      """
      update charter.evaluations
      set state = $2, stage = $3, rating = $4, revision = revision + 1, updated_at = now()
      where id = $1
      """,
      [
        stored.id, try EngineState.encode(stored.evaluation), stage(stored.evaluation.stage),
        rating(stored.evaluation.stage),
      ])
  }

  /// The `stage` column: report_requested, report_submitted, rated, approved, published.
  static func stage(_ stage: AnnualEvaluation.Stage) -> String {
    switch stage {
    case .reportRequested: "report_requested"
    case .reportSubmitted: "report_submitted"
    case .rated: "rated"
    case .approved: "approved"
    case .published: "published"
    }
  }

  static func rating(_ stage: AnnualEvaluation.Stage) -> String? {
    switch stage {
    case .reportRequested, .reportSubmitted: nil
    case .rated(let rating), .approved(let rating), .published(let rating, _): rating.rawValue
    }
  }
}
