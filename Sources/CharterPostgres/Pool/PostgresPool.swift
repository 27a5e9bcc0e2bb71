import Dispatch

/// A bounded pool of connections. A caller waits at most `acquireTimeout` for a connection,
/// then gets a `.poolTimeout` error. A connection goes back to the pool only when it is idle
/// and clean: open, outside any transaction (so no transaction-local setting survives), and
/// with nothing unexpected on its socket; otherwise it is closed and its slot freed. The
/// same check runs before a pooled connection is handed out, so a connection whose server
/// restarted while it sat idle is replaced, never handed out.
///
/// Session-level state (`SET` without `LOCAL`, `set_config(..., false)`) is not detected: use
/// transaction-local settings (`transaction(settings:)`) on pooled connections.
public final class PostgresPool: Sendable {
  public let configuration: PostgresConfiguration
  public let maxConnections: Int
  public let acquireTimeout: Duration
  /// Delays between attempts to open a connection while the server is unreachable, within
  /// the acquisition timeout.
  public let connectBackoff: PostgresBackoff
  private let state = Locked(PoolState())

  private struct PoolState {
    var idle: [PostgresConnection] = []
    /// Open or being opened.
    var open = 0
    var waiters: [(id: UInt64, continuation: CheckedContinuation<Grant, Never>)] = []
    var nextWaiterID: UInt64 = 0
    var isShutDown = false
  }

  /// What a caller asking for a connection gets.
  private enum Grant: Sendable {
    case connection(PostgresConnection)
    /// A free slot: open a new connection in it.
    case slot
    case failure(PostgresError)
  }

  public init(
    configuration: PostgresConfiguration, maxConnections: Int,
    acquireTimeout: Duration = .seconds(10),
    connectBackoff: PostgresBackoff = .default
  ) {
    self.configuration = configuration
    self.maxConnections = max(1, maxConnections)
    self.acquireTimeout = acquireTimeout
    self.connectBackoff = connectBackoff
  }

  /// Runs `body` with a connection of its own, then returns the connection to the pool.
  @discardableResult
  public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T)
    async throws -> T
  {
    let connection = try await acquire()
    do {
      let value = try await connection.withQueueAffinity(body)
      await release(connection)
      return value
    } catch {
      await release(connection)
      throw error
    }
  }

  /// `withConnection` plus `transaction` on it.
  @discardableResult
  public func transaction<T: Sendable>(
    isolation: PostgresIsolationLevel = .readCommitted, settings: [String: String] = [:],
    _ body: (PostgresConnection) async throws -> T
  ) async throws -> T {
    try await withConnection { connection in
      try await connection.transaction(isolation: isolation, settings: settings, body)
    }
  }

  public var statistics: PostgresPoolStatistics {
    state.withLock { state in
      PostgresPoolStatistics(
        open: state.open, idle: state.idle.count, inUse: state.open - state.idle.count,
        waiting: state.waiters.count)
    }
  }

  /// Closes idle connections, fails waiting callers with `.closed`; connections in use are
  /// closed when they come back.
  public func shutdown() async {
    let (idle, waiters) = state.withLock { state in
      state.isShutDown = true
      defer {
        state.open -= state.idle.count
        state.idle = []
        state.waiters = []
      }
      return (state.idle, state.waiters)
    }
    for waiter in waiters {
      waiter.continuation.resume(
        returning: .failure(PostgresError(kind: .closed, message: "the pool is shut down")))
    }
    for connection in idle {
      await connection.close()
    }
  }

  func acquire() async throws(PostgresError) -> PostgresConnection {
    let deadline = ContinuousClock.now + acquireTimeout
    var connectAttempt = 0
    while true {
      switch await grant(deadline: deadline) {
      case .failure(let error):
        throw error
      case .connection(let connection):
        if connection.isReusable() { return connection }
        await discard(connection)
      case .slot:
        do {
          return try await PostgresConnection.connect(configuration)
        } catch {
          freeSlot()
          let delay = connectBackoff.delay(attempt: connectAttempt)
          connectAttempt += 1
          guard error.kind == .connection || error.kind == .timeout,
            ContinuousClock.now + delay < deadline
          else { throw error }
          try? await Task.sleep(for: delay)
        }
      }
    }
  }

  func release(_ connection: PostgresConnection) async {
    let reusable = connection.isReusable()
    let keep = state.withLock { state -> Bool in
      guard reusable, !state.isShutDown else { return false }
      if !state.waiters.isEmpty {
        state.waiters.removeFirst().continuation.resume(returning: .connection(connection))
      } else {
        state.idle.append(connection)
      }
      return true
    }
    if !keep {
      await discard(connection)
    }
  }

  private func grant(deadline: ContinuousClock.Instant) async -> Grant {
    let id = state.withLock { state in
      defer { state.nextWaiterID += 1 }
      return state.nextWaiterID
    }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Grant, Never>) in
        state.withLock { state in
          if state.isShutDown {
            continuation.resume(
              returning: .failure(PostgresError(kind: .closed, message: "the pool is shut down")))
          } else if let connection = state.idle.popLast() {
            continuation.resume(returning: .connection(connection))
          } else if state.open < maxConnections {
            state.open += 1
            continuation.resume(returning: .slot)
          } else if Task.isCancelled {
            continuation.resume(returning: .failure(Self.cancelled))
          } else {
            state.waiters.append((id, continuation))
            scheduleTimeout(of: id, at: deadline)
          }
        }
      }
    } onCancel: {
      state.withLock { state in
        guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return }
        state.waiters.remove(at: index).continuation.resume(returning: .failure(Self.cancelled))
      }
    }
  }

  private static let cancelled = PostgresError(
    kind: .cancelled, message: "the task was cancelled while waiting for a pooled connection")

  private func scheduleTimeout(of waiterID: UInt64, at deadline: ContinuousClock.Instant) {
    let remaining = max(.zero, deadline - ContinuousClock.now)
    let state = self.state
    let maxConnections = self.maxConnections
    let timeout = acquireTimeout
    DispatchQueue.global().asyncAfter(deadline: .now() + remaining.seconds) {
      state.withLock { state in
        guard let index = state.waiters.firstIndex(where: { $0.id == waiterID }) else { return }
        state.waiters.remove(at: index).continuation.resume(
          returning: .failure(
            PostgresError(
              kind: .poolTimeout,
              message: "no connection free within \(timeout) (all \(maxConnections) in use)")))
      }
    }
  }

  /// Closes a connection that may not go back, and hands its slot to a waiter.
  private func discard(_ connection: PostgresConnection) async {
    freeSlot()
    await connection.close()
  }

  private func freeSlot() {
    state.withLock { state in
      if !state.isShutDown, !state.waiters.isEmpty {
        // The slot passes straight to the waiter, which opens a connection in it.
        state.waiters.removeFirst().continuation.resume(returning: .slot)
      } else {
        state.open -= 1
      }
    }
  }
}

/// A snapshot of a pool. `inUse` counts connections being opened too.
public struct PostgresPoolStatistics: Sendable, Equatable {
  public var open: Int
  public var idle: Int
  public var inUse: Int
  public var waiting: Int
}
