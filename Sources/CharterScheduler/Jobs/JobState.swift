public import CharterPostgres

/// Where a deadline job is in its life (the `state` column of `charter.deadline_jobs`).
///
/// pending ──claim──► running ──done──► done
///    ▲                  │ retry (attempts left) ──► pending, due after a backoff
///    │                  │ retry (none left) / fail ──► dead
///    │                  └ lease expired (runner gone) ──► pending (or dead when out of attempts)
///    └── RETRY (operator) ◄── dead, failed;   pending ──CANCEL──► cancelled
///
/// `failed` is accepted by the schema and by RETRY but the scheduler never writes it: a job
/// that fails for good is `dead`, the one state operators watch.
public enum JobState: String, Sendable, CaseIterable, Hashable {
  case pending, running, done, failed, dead, cancelled
}

extension JobState: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    rawValue.encode(into: &bindings)
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> JobState {
    let text = try String.decode(from: cell)
    guard let state = JobState(rawValue: text) else {
      throw PostgresDecodingError(
        kind: .malformed, column: "state", swiftType: "JobState", postgresTypeOID: 0)
    }
    return state
  }
}
