/// The isolation level of a transaction.
public enum PostgresIsolationLevel: Sendable {
  case readCommitted
  case repeatableRead
  case serializable

  var beginStatement: String {
    switch self {
    case .readCommitted: "BEGIN ISOLATION LEVEL READ COMMITTED"
    case .repeatableRead: "BEGIN ISOLATION LEVEL REPEATABLE READ"
    case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
    }
  }
}

extension PostgresConnection {
  /// Runs `body` inside BEGIN ... COMMIT: commits when it returns, rolls back when it throws
  /// (and rethrows). `settings` are applied with `set_config(name, value, true)` right after
  /// BEGIN, so they vanish with the transaction, e.g. `["charter.tenant": tenantID]`.
  ///
  /// If a statement failed inside `body` and `body` swallowed the error, PostgreSQL would turn
  /// COMMIT into a silent ROLLBACK; this throws SQLSTATE 25P02 instead.
  @discardableResult
  public func transaction<T: Sendable>(
    isolation: PostgresIsolationLevel = .readCommitted, settings: [String: String] = [:],
    _ body: (PostgresConnection) async throws -> T
  ) async throws -> T {
    try await query(isolation.beginStatement)
    do {
      if !settings.isEmpty {
        try await applyLocalSettings(settings)
      }
      let value = try await body(self)
      let commit = try await query("COMMIT")
      if commit.commandTag == "ROLLBACK" {
        throw PostgresError(
          kind: .server, sqlState: PostgresSQLState.inFailedTransaction,
          message: "the transaction was aborted by an earlier error; COMMIT rolled it back")
      }
      return value
    } catch {
      _ = try? await query("ROLLBACK")
      throw error
    }
  }

  /// Runs `body` inside a savepoint of the current transaction: released when it returns,
  /// rolled back to (keeping the outer transaction's work) when it throws.
  @discardableResult
  public func savepoint<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws
    -> T
  {
    // The name is generated from a counter, never from input.
    let name = nextSavepointName()
    try await query("SAVEPOINT \(name)")
    do {
      let value = try await body(self)
      try await query("RELEASE SAVEPOINT \(name)")
      return value
    } catch {
      _ = try? await query("ROLLBACK TO SAVEPOINT \(name)")
      _ = try? await query("RELEASE SAVEPOINT \(name)")
      throw error
    }
  }

  private func applyLocalSettings(_ settings: [String: String]) async throws(PostgresError) {
    var calls: [String] = []
    var parameters: [any PostgresEncodable] = []
    for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
      calls.append("set_config($\(parameters.count + 1), $\(parameters.count + 2), true)")
      parameters.append(name)
      parameters.append(value)
    }
    try await query("SELECT " + calls.joined(separator: ", "), parameters)
  }
}

/// Runs `body` again when it fails with a serialization failure or deadlock (SQLSTATE 40001,
/// 40P01), up to `maxAttempts` times in all, with a growing, jittered delay. `body` must run
/// a whole transaction: only a whole transaction can be retried.
public func withSerializationRetry<T>(
  maxAttempts: Int = 5,
  backoff: PostgresBackoff = PostgresBackoff(
    initial: .milliseconds(5), maximum: .milliseconds(500), jitter: 1),
  _ body: () async throws -> T
) async throws -> T {
  var attempt = 0
  while true {
    do {
      return try await body()
    } catch let error as PostgresError
      where error.isSerializationFailure && attempt + 1 < maxAttempts
    {
      try await Task.sleep(for: backoff.delay(attempt: attempt))
      attempt += 1
    }
  }
}
