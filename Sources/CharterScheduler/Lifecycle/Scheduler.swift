import CharterPostgres
public import CharterStore
import Dispatch
public import Foundation

/// A daemon's deadline scheduler. One Dispatch timer is armed at the moment the next job falls
/// due (or a lease expires), whatever the number of pending jobs; LISTEN/NOTIFY re-arms it when
/// any daemon adds an earlier job; the timer never sleeps longer than the safety poll. When it
/// fires, the dispatcher rescues expired leases, claims due jobs in batches (oldest due first)
/// and hands them to at most `maxConcurrentJobs` workers. A worker runs the next claimed job
/// together with the claimed jobs of the same tenant that follow it (due in the same second, at
/// most `maxJobsPerTransaction`) in one tenant transaction (`JobWorker.execute(batch:)`).
///
/// Due times are compared by the database (`now()`); the host clock only converts "in so many
/// seconds by the database clock" into a timer deadline (RELIABILITY R8).
///
/// Lifecycle: `start()` (overdue jobs fire at once, oldest first), `drain(grace:)` (no new
/// claims; running handlers get the grace period, then are cancelled; unstarted claims are
/// released), `stop()` (drain with the configured grace, then close the listener), or `run()`
/// (start, then wait until stopped).
public final class Scheduler: @unchecked Sendable {
  public let worker: JobWorker
  public let configuration: SchedulerConfiguration
  /// Handlers running at once: `maxConcurrentJobs`, but at most one less than the pool holds,
  /// so that the dispatcher's claim never waits for a connection behind the workers.
  public let concurrency: Int
  private let listener: PostgresListener
  private let hostClock: @Sendable () -> Date
  private let onError: @Sendable (String) -> Void
  private let timerQueue = DispatchQueue(label: "charter.scheduler.timer")
  private let wakeups: AsyncStream<Void>
  private let wakeupContinuation: AsyncStream<Void>.Continuation
  private let state = Locked(State())

  private enum Phase {
    case idle, running, draining, stopped
  }

  private struct State {
    var phase = Phase.idle
    var timer: (any DispatchSourceTimer)?
    /// Host time (per `hostClock`, seconds since 1970) the timer is armed for; nil when not armed.
    var armedAt: Double?
    /// Database clock minus host clock, measured at the last re-arm query.
    var databaseOffset = 0.0
    var rearmInFlight = false
    /// Earliest due time (database clock) announced while a re-arm query was in flight.
    var notifiedEarliest: Double?
    /// Claimed, not yet started, oldest due first.
    var buffer: [ClaimedJob] = []
    var bufferStart = 0
    /// Batches running, each on its own connection: at most `concurrency`.
    var runningCount = 0
    /// Jobs in the running batches.
    var runningJobs = 0
    /// Keyed by the lease token of the batch's first job.
    var runningTasks: [UUID: Task<Void, Never>] = [:]
    var finishedEarly: Set<UUID> = []
    /// The last claim filled its batch: more may be due right now.
    var lastClaimWasFull = false
    /// Wall time of a job in a batch (the batch's time over its jobs), averaged over recent
    /// batches; nil until the first batch ends. Paces the claims.
    var secondsPerJob: Double?
    var dispatcher: Task<Void, Never>?
    var notificationReader: Task<Void, Never>?
    var stopWaiters: [CheckedContinuation<Void, Never>] = []
    var statistics = SchedulerStatistics()

    var buffered: Int { buffer.count - bufferStart }

    /// The next claimed job and the jobs of the same tenant right after it, up to `limit`.
    /// The claim returns a tenant's jobs due in the same second next to each other
    /// (SQL/0009_claim_order.sql), so a run never reaches past a job due a second earlier.
    mutating func popBatch(limit: Int) -> [ClaimedJob]? {
      guard bufferStart < buffer.count else { return nil }
      let tenant = buffer[bufferStart].tenant
      var end = bufferStart + 1
      while end < buffer.count, end - bufferStart < limit, buffer[end].tenant == tenant {
        end += 1
      }
      let batch = Array(buffer[bufferStart..<end])
      bufferStart = end
      if bufferStart == buffer.count {
        buffer.removeAll(keepingCapacity: true)
        bufferStart = 0
      }
      return batch
    }

    mutating func takeBuffer() -> [ClaimedJob] {
      let rest = Array(buffer[bufferStart...])
      buffer.removeAll()
      bufferStart = 0
      return rest
    }
  }

  /// - Parameters:
  ///   - database: the run-time pool; the listener opens its own connection with the same
  ///     configuration.
  ///   - hostClock: the host's wall clock; injected by tests to skew it.
  ///   - onError: receives a description of each database error the scheduler survived.
  public init(
    database: Database, handlers: JobHandlerRegistry,
    configuration: SchedulerConfiguration = SchedulerConfiguration(),
    hostClock: @escaping @Sendable () -> Date = { Date() },
    onError: @escaping @Sendable (String) -> Void = { message in
      FileHandle.standardError.write(Data("scheduler: \(message)\n".utf8))
    }
  ) {
    self.worker = JobWorker(
      database: database, instanceID: configuration.instanceID, handlers: handlers,
      retryPolicy: configuration.retryPolicy, lease: configuration.lease,
      onJobStarted: configuration.onJobStarted)
    self.configuration = configuration
    self.concurrency = min(
      configuration.maxConcurrentJobs, max(1, database.pool.maxConnections - 1))
    self.hostClock = hostClock
    self.onError = onError
    let (stream, continuation) = AsyncStream.makeStream(
      of: Void.self, bufferingPolicy: .bufferingNewest(1))
    self.wakeups = stream
    self.wakeupContinuation = continuation
    // Notifications sent while the listener was reconnecting are lost: look at the table.
    self.listener = PostgresListener(
      configuration: database.pool.configuration, onReconnect: { continuation.yield() })
  }

  public var statistics: SchedulerStatistics { state.withLock { $0.statistics } }

  /// LISTENs, arms the timer and runs a first dispatch at once, so overdue jobs fire now,
  /// oldest first.
  public func start() async throws {
    try state.withLock { state in
      guard state.phase == .idle else { throw SchedulerError.notStartable }
      state.phase = .running
      let timer = DispatchSource.makeTimerSource(queue: timerQueue)
      timer.setEventHandler { [weak self] in self?.timerFired() }
      timer.schedule(wallDeadline: .distantFuture, leeway: .nanoseconds(0))
      timer.resume()
      state.timer = timer
    }
    let notifications: AsyncStream<PostgresNotification>
    do {
      notifications = try await listener.listen(configuration.notificationChannel)
    } catch {
      state.withLock { state in
        state.phase = .stopped
        state.timer?.cancel()
        state.timer = nil
      }
      throw error
    }
    let reader = Task { [weak self] in
      for await notification in notifications {
        self?.notified(notification)
      }
    }
    let dispatcher = Task { [weak self, wakeups] in
      for await _ in wakeups {
        guard let self, self.isRunning else { break }
        await self.dispatch()
      }
    }
    state.withLock { state in
      state.notificationReader = reader
      state.dispatcher = dispatcher
    }
    wakeupContinuation.yield()
  }

  /// `start()`, then suspends until `stop()` has finished.
  public func run() async throws {
    try await start()
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let alreadyStopped = state.withLock { state -> Bool in
        guard state.phase != .stopped else { return true }
        state.stopWaiters.append(continuation)
        return false
      }
      if alreadyStopped { continuation.resume() }
    }
  }

  /// Stops claiming; gives back claimed jobs that have not started; lets running handlers
  /// finish within `grace`, then cancels them (their writes are undone and their jobs released).
  /// Nothing this instance claimed is left `running` unless a handler ignores cancellation.
  @discardableResult
  public func drain(grace: Duration) async -> DrainReport {
    let (wasRunning, buffered, dispatcher) = state.withLock { state in
      let wasRunning = state.phase == .running
      if wasRunning { state.phase = .draining }
      state.armedAt = nil
      state.timer?.schedule(wallDeadline: .distantFuture, leeway: .nanoseconds(0))
      return (wasRunning, state.takeBuffer(), state.dispatcher)
    }
    guard wasRunning else { return DrainReport(finished: 0, released: 0, stillRunning: 0) }
    wakeupContinuation.finish()
    await dispatcher?.value
    // A claim that completed while draining put its jobs in the buffer or released them.
    let late = state.withLock { $0.takeBuffer() }
    var released = await release(buffered + late)

    let runningAtStart = state.withLock { $0.runningJobs }
    let deadline = ContinuousClock.now + grace
    while state.withLock({ $0.runningCount }) > 0, ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(10))
    }
    let overdue = state.withLock { state -> [Task<Void, Never>] in
      state.runningCount > 0 ? Array(state.runningTasks.values) : []
    }
    let interruptedBefore = state.withLock { $0.statistics.released }
    if !overdue.isEmpty {
      for task in overdue { task.cancel() }
      // Cancelled handlers roll back and release their jobs; give them a moment.
      let cancelDeadline = ContinuousClock.now + .seconds(5)
      while state.withLock({ $0.runningCount }) > 0, ContinuousClock.now < cancelDeadline {
        try? await Task.sleep(for: .milliseconds(10))
      }
    }
    let (stillRunning, interrupted) = state.withLock {
      ($0.runningJobs, $0.statistics.released - interruptedBefore)
    }
    released += interrupted
    return DrainReport(
      finished: max(0, runningAtStart - interrupted - stillRunning), released: released,
      stillRunning: stillRunning)
  }

  /// Drains with the configured grace, closes the listener and the timer.
  @discardableResult
  public func stop() async -> DrainReport {
    let report = await drain(grace: configuration.drainGrace)
    await listener.stop()
    let (reader, waiters) = state.withLock { state in
      state.phase = .stopped
      state.timer?.cancel()
      state.timer = nil
      defer { state.stopWaiters = [] }
      return (state.notificationReader, state.stopWaiters)
    }
    reader?.cancel()
    wakeupContinuation.finish()
    for waiter in waiters { waiter.resume() }
    return report
  }

  // MARK: - Dispatch

  private var isRunning: Bool { state.withLock { $0.phase == .running } }

  /// How many claimed jobs may wait for a worker: two claims' worth (the next claim is made
  /// while the workers still run the last), but no more than the workers start within a
  /// quarter of the lease at the pace they have been finishing jobs; until that pace is known,
  /// a tenth of a claim (two per worker at least). A claimed job must never wait out its lease
  /// in memory: it would be rescued and claimed again, its attempt counted without a run.
  private func bufferLimit(_ state: State) -> Int {
    let capacity = max(2 * configuration.claimBatchSize, concurrency)
    guard let secondsPerJob = state.secondsPerJob else {
      return min(capacity, max(2 * concurrency, configuration.claimBatchSize / 10))
    }
    let startable =
      Double(concurrency) / max(secondsPerJob, 1e-6) * configuration.lease.schedulerSeconds / 4
    return max(concurrency, min(capacity, Int(startable)))
  }

  /// How many jobs the next claim may ask for: the room left under the limit, or 0 while that
  /// room is less than a whole claim (or a whole limit, when it is smaller), so that a claim
  /// holds as many jobs of each tenant as it can (only those share transactions). An empty
  /// buffer always has room for a claim, so a dispatcher that waits for room is always woken.
  private func claimRoom(_ state: State) -> Int {
    guard state.phase == .running else { return 0 }
    let limit = bufferLimit(state)
    let room = limit - state.buffered
    return room >= min(configuration.claimBatchSize, limit) ? room : 0
  }

  /// One round: rescue, claim while jobs are due and there is room, then re-arm the timer.
  private func dispatch() async {
    do {
      let rescued = try await worker.rescueExpiredLeases()
      var madeProgress = rescued > 0
      state.withLock { $0.statistics.rescued += rescued }
      while true {
        let room = state.withLock { claimRoom($0) }
        guard room > 0 else {
          // Full, or nearly: workers wake the dispatcher as they empty the buffer. Topping it
          // up a few jobs at a time would cost a claim statement per few jobs (measured: 19
          // jobs per claim at full load, the claims a fifth of the database time).
          state.withLock { $0.lastClaimWasFull = true }
          return
        }
        let wanted = min(room, configuration.claimBatchSize)
        let claims = try await worker.claim(max: wanted)
        let refused = state.withLock { state -> [ClaimedJob] in
          state.statistics.claimed += claims.count
          state.lastClaimWasFull = claims.count == wanted
          guard state.phase == .running else { return claims }
          state.buffer.append(contentsOf: claims)
          return []
        }
        if !refused.isEmpty {
          await release(refused)
          return
        }
        madeProgress = madeProgress || !claims.isEmpty
        startWorkers()
        if claims.count < wanted { break }
      }
      try await rearm(madeProgress: madeProgress)
    } catch {
      state.withLock { state in
        state.statistics.errors += 1
        if state.phase == .running {
          arm(after: min(1, configuration.safetyPollInterval.schedulerSeconds), in: &state)
        }
      }
      onError("dispatch failed: \(error)")
    }
  }

  private func rearm(madeProgress: Bool) async throws {
    state.withLock { state in
      state.rearmInFlight = true
      state.notifiedEarliest = nil
    }
    let next: (secondsFromNow: Double?, databaseNow: Double)
    do {
      next = try await worker.nextDue()
    } catch {
      state.withLock { $0.rearmInFlight = false }
      throw error
    }
    let hostNow = hostClock().timeIntervalSince1970
    state.withLock { state in
      state.rearmInFlight = false
      state.databaseOffset = next.databaseNow - hostNow
      guard state.phase == .running else { return }
      let poll = configuration.safetyPollInterval.schedulerSeconds
      var delay = next.secondsFromNow ?? poll
      if delay <= 0, !madeProgress {
        // Due but not claimable by us right now (locked by another daemon's claim, or an
        // expired lease whose live runner still holds the row): look again shortly.
        delay = configuration.idleRetryDelay.schedulerSeconds
      }
      if let notified = state.notifiedEarliest {
        delay = min(delay, notified - next.databaseNow)
      }
      arm(after: min(max(delay, 0), poll), in: &state, hostNow: hostNow)
    }
  }

  /// Must be called with the lock held (`in: &state`).
  private func arm(after delay: Double, in state: inout State, hostNow: Double? = nil) {
    let now = hostNow ?? hostClock().timeIntervalSince1970
    state.armedAt = now + delay
    state.timer?.schedule(wallDeadline: .now() + delay, leeway: .nanoseconds(0))
  }

  private func timerFired() {
    state.withLock { state in
      state.armedAt = nil
      state.statistics.timerFires += 1
    }
    wakeupContinuation.yield()
  }

  private func notified(_ notification: PostgresNotification) {
    guard let due = Double(notification.payload) else {
      wakeupContinuation.yield()
      return
    }
    let hostNow = hostClock().timeIntervalSince1970
    state.withLock { state in
      guard state.phase == .running else { return }
      state.statistics.notifications += 1
      if state.rearmInFlight {
        state.notifiedEarliest = min(state.notifiedEarliest ?? due, due)
      }
      let delay = max(0, due - (hostNow + state.databaseOffset))
      if let armedAt = state.armedAt, hostNow + delay >= armedAt - 0.0005 { return }
      arm(after: delay, in: &state, hostNow: hostNow)
    }
  }

  // MARK: - Workers

  private func startWorkers() {
    let toStart = state.withLock { state -> [[ClaimedJob]] in
      var batches: [[ClaimedJob]] = []
      let limit = configuration.maxJobsPerTransaction
      while state.phase == .running, state.runningCount < concurrency,
        let batch = state.popBatch(limit: limit)
      {
        state.runningCount += 1
        state.runningJobs += batch.count
        batches.append(batch)
      }
      return batches
    }
    for batch in toStart {
      let key = batch[0].leaseToken
      let task = Task { [self] in await self.runBatch(batch) }
      state.withLock { state in
        if state.finishedEarly.remove(key) == nil {
          state.runningTasks[key] = task
        }
      }
    }
  }

  private func runBatch(_ batch: [ClaimedJob]) async {
    var results: [JobExecutionResult]?
    let started = ContinuousClock.now
    do {
      results = try await worker.execute(batch: batch, budget: configuration.batchTimeBudget)
    } catch {
      if Task.isCancelled {
        // Cancelled at drain before or after a handler (a statement of ours was cancelled):
        // nothing was committed; give the jobs back.
        results = batch.map { _ in .interrupted }
      } else {
        state.withLock { $0.statistics.errors += 1 }
        let jobs = batch.map(\.id.uuidString).joined(separator: ", ")
        onError("jobs \(jobs) of tenant \(batch[0].tenant) failed to run: \(error)")
      }
    }
    var releasedNow = 0
    // Jobs the batch had no time for go back to the front of the queue, still leased; a
    // stopping scheduler releases them with the interrupted ones.
    let notStarted = zip(batch, results ?? []).filter { $0.1 == .notStarted }.map(\.0)
    let requeued = state.withLock { state -> Bool in
      guard state.phase == .running, !notStarted.isEmpty else { return false }
      state.buffer.replaceSubrange(state.bufferStart..<state.bufferStart, with: notStarted)
      return true
    }
    let interrupted =
      zip(batch, results ?? []).filter {
        $0.1 == .interrupted || ($0.1 == .notStarted && !requeued)
      }.map(\.0)
    if !interrupted.isEmpty {
      // Released from a task that is not cancelled, so its statements are not cancelled too.
      let worker = self.worker
      releasedNow = await Task.detached { (try? await worker.release(interrupted)) ?? 0 }.value
    }
    let ran = max(1, batch.count - notStarted.count)
    let perJob = (ContinuousClock.now - started).schedulerSeconds / Double(ran)
    let wake = state.withLock { state -> Bool in
      state.runningCount -= 1
      state.runningJobs -= batch.count
      state.secondsPerJob = state.secondsPerJob.map { 0.8 * $0 + 0.2 * perJob } ?? perJob
      if state.runningTasks.removeValue(forKey: batch[0].leaseToken) == nil {
        state.finishedEarly.insert(batch[0].leaseToken)
      }
      for result in results ?? [] {
        switch result {
        case .done: state.statistics.done += 1
        case .retryScheduled: state.statistics.retried += 1
        case .dead: state.statistics.dead += 1
        case .leaseLost: state.statistics.leaseLost += 1
        case .interrupted, .notStarted: break
        }
      }
      state.statistics.released += releasedNow
      // Claim again while the workers still have claimed jobs to run, so that they do not
      // wait for the claim statement.
      return state.lastClaimWasFull && claimRoom(state) > 0
    }
    startWorkers()
    if wake { wakeupContinuation.yield() }
  }

  @discardableResult
  private func release(_ claims: [ClaimedJob]) async -> Int {
    guard !claims.isEmpty else { return 0 }
    do {
      let count = try await worker.release(claims)
      state.withLock { $0.statistics.released += count }
      return count
    } catch {
      onError("releasing \(claims.count) claimed jobs failed (their leases will expire): \(error)")
      return 0
    }
  }
}
