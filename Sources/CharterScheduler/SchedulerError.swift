/// Errors of the scheduler's API (database errors come through as `PostgresError`).
public enum SchedulerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// `JobQueue.enqueue` ran outside `Database.withTenant`.
  case noTenantContext
  /// `start()` on a scheduler that is running or was stopped.
  case notStartable
  /// A paging cursor that this module did not produce.
  case invalidCursor

  public var description: String {
    switch self {
    case .noTenantContext: "a job can only be enqueued inside a tenant transaction"
    case .notStartable: "the scheduler is already running or was stopped"
    case .invalidCursor: "the job list cursor is not valid"
    }
  }
}

extension Duration {
  var schedulerSeconds: Double {
    let parts = components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
  }
}
