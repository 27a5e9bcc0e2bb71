public import CharterPostgres
public import CharterStore
public import Foundation

/// Runs one kind of job. `run` is called inside the tenant transaction that also completes
/// the job: whatever it writes on `connection` (a state change, an outbox row) or leaves in
/// `job.deferredWrites` commits with the completion, or not at all. If it throws, the
/// transaction is rolled back (its writes undone) and the job is retried with backoff. The
/// transaction may hold other jobs of the same tenant (docs/scheduler.md, "Several jobs per
/// transaction"): a handler must not end it, and must not swallow a failed statement.
///
/// Handlers do database work only; anything that leaves the database (mail, webhooks) goes
/// through the outbox, so a job that runs twice after a crash never sends twice.
public protocol JobHandler: Sendable {
  func run(_ job: JobContext, on connection: PostgresConnection) async throws -> JobOutcome
}

/// The job a handler is given, read in the tenant's transaction under the job's row lock.
public struct JobContext: Sendable {
  public var tenant: TenantID
  public var id: UUID
  public var kind: String
  public var subject: String
  public var uniqueKey: String?
  public var payload: PostgresJSON
  public var dueAt: Date
  /// 1 for the first run.
  public var attempt: Int
  public var maxAttempts: Int
  /// Rows the handler leaves to the scheduler to write with its batch's (see `DeferredWrites`).
  public let deferredWrites: DeferredWrites

  public init(
    tenant: TenantID, id: UUID, kind: String, subject: String, uniqueKey: String?,
    payload: PostgresJSON, dueAt: Date, attempt: Int, maxAttempts: Int,
    deferredWrites: DeferredWrites = DeferredWrites()
  ) {
    self.tenant = tenant
    self.id = id
    self.kind = kind
    self.subject = subject
    self.uniqueKey = uniqueKey
    self.payload = payload
    self.dueAt = dueAt
    self.attempt = attempt
    self.maxAttempts = maxAttempts
    self.deferredWrites = deferredWrites
  }
}

/// What a handler decided.
public enum JobOutcome: Sendable, Equatable {
  case done
  /// Try again: after `after`, or after the scheduler's backoff when nil. Goes to `dead`
  /// instead when the job has no attempts left.
  case retry(after: Duration? = nil, reason: String)
  /// Give up now: the job goes to `dead` with `reason`, whatever attempts are left.
  case fail(reason: String)
}

/// A handler written as a closure.
public struct ClosureJobHandler: JobHandler {
  let body: @Sendable (JobContext, PostgresConnection) async throws -> JobOutcome

  public init(
    _ body: @escaping @Sendable (JobContext, PostgresConnection) async throws -> JobOutcome
  ) {
    self.body = body
  }

  public func run(_ job: JobContext, on connection: PostgresConnection) async throws -> JobOutcome {
    try await body(job, connection)
  }
}

/// The handlers of a daemon, keyed by job kind. A job whose kind has no handler here is
/// retried with backoff (another daemon, perhaps a newer version, may know it) and ends in
/// `dead` with a message naming the kind.
public struct JobHandlerRegistry: Sendable {
  private var handlers: [String: any JobHandler] = [:]

  public init() {}

  public mutating func register(_ kind: String, _ handler: any JobHandler) {
    handlers[kind] = handler
  }

  public mutating func register(
    _ kind: String,
    _ body: @escaping @Sendable (JobContext, PostgresConnection) async throws -> JobOutcome
  ) {
    handlers[kind] = ClosureJobHandler(body)
  }

  public func handler(for kind: String) -> (any JobHandler)? {
    handlers[kind]
  }

  public var kinds: [String] { handlers.keys.sorted() }
}
