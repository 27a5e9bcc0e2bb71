import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// One connection to PostgreSQL. Every libpq call for it happens on the connection's own serial
/// DispatchQueue, bridged to async with a continuation, so a blocking call never occupies a
/// thread of Swift's concurrency pool. Use a connection from one task at a time (the pool
/// guarantees that); statements from two tasks would interleave inside one transaction.
public final class PostgresConnection: @unchecked Sendable {
  public let configuration: PostgresConfiguration
  /// The only queue that touches `handle`.
  let queue: DispatchQueue
  private let handle: LibPQConnection
  private let state = Locked(State())
  private let executor: ConnectionQueueExecutor

  /// What other threads may ask about the connection, updated on the queue after every
  /// statement, so that no one needs to enter the queue (or block on it) to ask.
  private struct State {
    var isClosed = false
    var isBroken = false
    /// False while libpq reports an open (or failed) transaction block.
    var isOutsideTransaction = true
    var savepointCounter = 0
  }

  private init(configuration: PostgresConfiguration, queue: DispatchQueue, handle: LibPQConnection)
  {
    self.configuration = configuration
    self.queue = queue
    self.handle = handle
    self.executor = ConnectionQueueExecutor(queue: queue)
    self.backendPID = handle.backendPID
    self.socket = handle.socket
    self.canceller = handle.canceller
  }

  /// Runs `body` with the task's code on this connection's queue, so each statement runs
  /// inline there instead of hopping from Swift's pool to the queue and back (twice the
  /// thread wake-ups per round trip). The pool does this for every `withConnection`. Keep
  /// long CPU work out of `body`: it holds the connection's queue.
  public func withQueueAffinity<T>(_ body: (PostgresConnection) async throws -> T) async rethrows
    -> T
  {
    // One cancellation handler for every statement in `body`: cancelling the task cancels
    // the statement running then (a request reaching an idle backend is ignored, and the
    // next statement waits until it has been delivered). As with single statements, a task
    // cancelled before it gets here runs its statements uncancelled.
    let cancellable = !Task.isCancelled
    let canceller = self.canceller
    return try await withTaskCancellationHandler {
      try await withTaskExecutorPreference(executor) {
        try await body(self)
      }
    } onCancel: {
      if cancellable { canceller?.requestCancel() }
    }
  }

  public static func connect(_ configuration: PostgresConfiguration) async throws(PostgresError)
    -> PostgresConnection
  {
    let queue = DispatchQueue(label: "charter.postgres.connection")
    let handle = try await run(on: queue) { () throws(PostgresError) -> LibPQConnection in
      try LibPQConnection.connect(configuration)
    }
    return PostgresConnection(configuration: configuration, queue: queue, handle: handle)
  }

  /// Runs one parameterised statement (`$1`, `$2`, ... in `sql`). Parameters travel apart from
  /// the SQL text, so no value is ever interpreted as SQL.
  @discardableResult
  public func query(_ sql: String, _ parameters: [any PostgresEncodable])
    async throws(PostgresError)
    -> PostgresResult
  {
    var bindings = PostgresBindings(capacity: parameters.count)
    for parameter in parameters {
      parameter.encode(into: &bindings)
    }
    let bound = bindings
    let handle = self.handle
    let outcome: Result<PostgresResult, PostgresError>
    if executor.isCurrent {
      // Hot path under withQueueAffinity: no closure, no continuation, and no cancellation
      // handler of its own (withQueueAffinity holds one for all its statements).
      outcome = Result { () throws(PostgresError) -> PostgresResult in
        try performInline { () throws(PostgresError) -> PostgresResult in
          PostgresResult(storage: try handle.execute(sql, bound))
        }
      }
    } else {
      // Cancelling the task cancels the statement on the server (PQcancel). A task cancelled
      // before the statement starts (cleanup such as ROLLBACK) runs it uncancelled.
      let cancellable = !Task.isCancelled
      let canceller = self.canceller
      outcome = await withTaskCancellationHandler {
        () async -> Result<PostgresResult, PostgresError> in
        do throws(PostgresError) {
          return .success(
            try await perform { () throws(PostgresError) -> PostgresResult in
              PostgresResult(storage: try handle.execute(sql, bound))
            })
        } catch {
          return .failure(error)
        }
      } onCancel: {
        if cancellable { canceller?.requestCancel() }
      }
    }
    switch outcome {
    case .success(let result):
      return result
    case .failure(var error):
      if error.sqlState == PostgresSQLState.queryCanceled, Task.isCancelled {
        error.kind = .cancelled
      }
      throw error
    }
  }

  /// `query(sql, [a, b])` written as `query(sql, a, b)`. Note that `query(sql, ["x", "y"])`
  /// binds two parameters; a text[] parameter is `query(sql, [["x", "y"]])`.
  @discardableResult
  public func query(_ sql: String, _ parameters: any PostgresEncodable...)
    async throws(PostgresError)
    -> PostgresResult
  {
    try await query(sql, parameters)
  }

  /// Several statements in one string, without parameters, through the simple query
  /// protocol: for migrations only. Stops at the first error.
  public func executeScript(_ sql: String) async throws(PostgresError) {
    let handle = self.handle
    try await perform { () throws(PostgresError) in try handle.executeScript(sql) }
  }

  /// False once the connection was closed or libpq found it broken. A connection whose
  /// server went away while it sat idle still says true until it is next used; the pool
  /// checks its socket before handing it out.
  public var isHealthy: Bool {
    state.withLock { !$0.isClosed && !$0.isBroken }
  }

  /// The server process serving this connection (`pg_backend_pid()`).
  public let backendPID: Int32

  /// libpq's socket; constant for the connection's life (we never PQreset).
  private let socket: Int32
  private let canceller: LibPQCancel?

  public func close() async {
    let alreadyClosed = state.withLock { state in
      defer { state.isClosed = true }
      return state.isClosed
    }
    guard !alreadyClosed else { return }
    let handle = self.handle
    if executor.isCurrent {
      handle.finish()
    } else {
      _ = try? await Self.run(on: queue) { () throws(PostgresError) in handle.finish() }
    }
  }

  /// Whether the connection can go back to a pool: open, not broken, outside any transaction,
  /// and nothing unexpected waiting on its socket (an idle connection receives nothing
  /// unless the server is going away). It reads what the queue recorded after the last
  /// statement and polls the socket with a zero timeout: it never enters the queue, so it
  /// cannot wait for (or deadlock with) a task running there.
  func isReusable() -> Bool {
    let clean = state.withLock { !$0.isClosed && !$0.isBroken && $0.isOutsideTransaction }
    guard clean else { return false }
    var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
    return poll(&descriptor, 1, 0) == 0
  }

  func nextSavepointName() -> String {
    let number = state.withLock { state in
      state.savepointCounter += 1
      return state.savepointCounter
    }
    return "charter_savepoint_\(number)"
  }

  /// `perform` for code already on the queue; `work` does not escape.
  private func performInline<T>(_ work: () throws(PostgresError) -> T) throws(PostgresError) -> T {
    guard !state.withLock({ $0.isClosed }) else { throw PostgresError.closed }
    defer { Self.record(handle, in: state) }
    return try work()
  }

  /// Called on the queue after each statement.
  private static func record(_ handle: LibPQConnection, in state: Locked<State>) {
    let isBroken = !handle.isConnectionOK
    let isOutsideTransaction = handle.transactionState == .idle
    state.withLock { state in
      state.isBroken = state.isBroken || isBroken
      state.isOutsideTransaction = isOutsideTransaction
    }
  }

  /// Runs `work` on the connection's queue and records whether the connection broke.
  private func perform<T: Sendable>(_ work: @escaping @Sendable () throws(PostgresError) -> T)
    async throws(PostgresError) -> T
  {
    guard !state.withLock({ $0.isClosed }) else { throw PostgresError.closed }
    let handle = self.handle
    let state = self.state
    let guarded = { @Sendable () throws(PostgresError) -> T in
      defer { Self.record(handle, in: state) }
      return try work()
    }
    // Already on the queue (withQueueAffinity): run inline.
    if executor.isCurrent {
      return try guarded()
    }
    return try await Self.run(on: queue, guarded)
  }

  static func run<T: Sendable>(
    on queue: DispatchQueue, _ work: @escaping @Sendable () throws(PostgresError) -> T
  )
    async throws(PostgresError) -> T
  {
    let result: Result<T, PostgresError> = await withUnsafeContinuation { continuation in
      queue.async {
        continuation.resume(returning: Result { () throws(PostgresError) -> T in try work() })
      }
    }
    return try result.get()
  }
}
