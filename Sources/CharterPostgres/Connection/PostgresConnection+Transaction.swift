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
    let inlined = Self.inlinedSettings(settings)
    if let inlined {
      // One round trip for BEGIN and the settings: a transaction of the scheduler's is a few
      // statements, and this was one of them (docs/scheduler.md, Benchmarks).
      do {
        try await executeScript(isolation.beginStatement + "; SELECT " + inlined)
      } catch {
        _ = try? await query("ROLLBACK")
        throw error
      }
    } else {
      try await query(isolation.beginStatement)
    }
    do {
      if inlined == nil, !settings.isEmpty {
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

  /// The `set_config` calls of `settings` as SQL text, when every name and value is plain
  /// (letters, digits, `.`, `_`, `:`, `-`; a uuid, a scope name) and can be written as a
  /// literal with nothing to escape; nil otherwise, or when there are none: then they are
  /// bound as parameters in a statement of their own.
  static func inlinedSettings(_ settings: [String: String]) -> String? {
    guard !settings.isEmpty else { return nil }
    func isPlain(_ text: String) -> Bool {
      text.utf8.count <= 200
        && text.utf8.allSatisfy { byte in
          (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
            || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2E || byte == 0x5F || byte == 0x3A
            || byte == 0x2D
        }
    }
    var calls: [String] = []
    for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
      guard !name.isEmpty, isPlain(name), isPlain(value) else { return nil }
      calls.append("set_config('\(name)', '\(value)', true)")
    }
    return calls.joined(separator: ", ")
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
