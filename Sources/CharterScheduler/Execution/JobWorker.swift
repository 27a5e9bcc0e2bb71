import CharterPostgres
public import CharterStore
import Foundation

/// One daemon instance's database side of the scheduler: claim, run, complete, release,
/// rescue. The cross-tenant steps go through the SECURITY DEFINER functions of
/// SQL/0002_scheduler.sql; everything that touches a job's payload or writes its outcome runs
/// in that job's tenant transaction, under row-level security.
public struct JobWorker: Sendable {
  public let database: Database
  /// Recorded as `lease_owner`; unique per running daemon.
  public let instanceID: String
  public let handlers: JobHandlerRegistry
  public let retryPolicy: RetryPolicy
  public let lease: Duration
  /// See `SchedulerConfiguration.onJobStarted`.
  public let onJobStarted: (@Sendable (_ kind: String, _ latenessSeconds: Double) -> Void)?

  public init(
    database: Database, instanceID: String, handlers: JobHandlerRegistry,
    retryPolicy: RetryPolicy = RetryPolicy(), lease: Duration = .seconds(60),
    onJobStarted: (@Sendable (_ kind: String, _ latenessSeconds: Double) -> Void)? = nil
  ) {
    self.database = database
    self.instanceID = instanceID
    self.handlers = handlers
    self.retryPolicy = retryPolicy
    self.lease = lease
    self.onJobStarted = onJobStarted
  }

  /// Leases up to `max` due jobs (1...5000), oldest due first, in one statement.
  public func claim(max: Int) async throws -> [ClaimedJob] {
    let result = try await database.pool.withConnection { connection in
      try await connection.query(
        "select * from charter.claim_due_jobs($1, make_interval(secs => $2::float8), $3::integer)",
        [instanceID, lease.schedulerSeconds, max])
    }
    return try result.rows.map { row in
      ClaimedJob(
        tenant: try row.decode(0, as: TenantID.self), id: try row.decode(1, as: UUID.self),
        kind: try row.decode(2, as: String.self), attempt: Int(try row.decode(3, as: Int32.self)),
        leaseToken: try row.decode(4, as: UUID.self))
    }
  }

  /// Puts jobs whose lease expired back to pending (or dead); returns how many it changed.
  public func rescueExpiredLeases() async throws -> Int {
    let count = try await database.pool.withConnection { connection in
      try await connection.query("select charter.rescue_expired_leases()", []).scalar(
        as: Int32.self)
    }
    return Int(count)
  }

  /// When the dispatcher next has work, by the database clock: seconds from now (negative
  /// when overdue; nil when no job is pending or running) and the database's now in seconds
  /// since 1970, from which the caller derives its clock offset.
  public func nextDue() async throws -> (secondsFromNow: Double?, databaseNow: Double) {
    try await database.pool.withConnection { connection in
      let row = try await connection.query(
        """
        select extract(epoch from charter.next_due_at() - clock_timestamp())::float8,
               extract(epoch from clock_timestamp())::float8
        """, []
      ).rows[0]
      return (try row.decode(0, as: Double?.self), try row.decode(1, as: Double.self))
    }
  }

  /// Runs a claimed job: in the job's tenant transaction, takes the job's row lock if the
  /// lease is still ours, runs the handler, and writes the outcome, all in one commit. A
  /// handler that throws has the whole transaction rolled back (its writes with it), and the
  /// retry is recorded in a second transaction under the same lease token. Throws when the
  /// database fails; the job then stays leased until its lease expires and a rescue returns it
  /// to pending. A batch of one (`execute(batch:)`).
  ///
  /// No savepoint around the handler: on the path every job takes, it cost two of the job's
  /// eight statements and a subtransaction, for the benefit of the rare failing handler only
  /// (docs/scheduler.md, Benchmarks).
  public func execute(_ claim: ClaimedJob) async throws -> JobExecutionResult {
    try await execute(batch: [claim])[0]
  }

  /// Runs claimed jobs of one tenant in one tenant transaction: locks those whose lease still
  /// holds, runs each handler in claim order, and completes them all in the same commit, so
  /// each job's writes still commit with its completion (docs/scheduler.md, "Several jobs per
  /// transaction"). When any handler throws (or leaves the transaction unable to commit),
  /// nothing of the batch is kept and each job runs again alone, so one failing job costs the
  /// others only the rerun of their handlers; a job alone that fails has its retry recorded in
  /// a second transaction. Once the batch has run for `budget`, it starts no further handler:
  /// those jobs are `.notStarted`, still leased, for a later batch. Results are in the order
  /// of `claims`.
  public func execute(batch claims: [ClaimedJob], budget: Duration = .seconds(1)) async throws
    -> [JobExecutionResult]
  {
    guard let tenant = claims.first?.tenant else { return [] }
    precondition(claims.allSatisfy { $0.tenant == tenant }, "a batch holds one tenant's jobs")
    let failure: any Error
    do {
      return try await database.withTenant(tenant) { connection in
        try await runBatch(claims, until: ContinuousClock.now + budget, on: connection)
      }
    } catch let error as HandlerFailure {
      failure = error.error
    }
    if failure is CancellationError || Task.isCancelled {
      return claims.map { _ in .interrupted }
    }
    guard claims.count == 1 else {
      var results: [JobExecutionResult] = []
      for claim in claims {
        results.append(try await execute(claim))
      }
      return results
    }
    let claim = claims[0]
    return [
      try await database.withTenant(tenant) { connection in
        guard let (job, _) = try await lock([claim], on: connection)[claim.id] else {
          return .leaseLost
        }
        return try await record(
          .retry(reason: "handler failed: \(failure)"), of: job, claim: claim, on: connection)
      }
    ]
  }

  private func runBatch(
    _ claims: [ClaimedJob], until deadline: ContinuousClock.Instant,
    on connection: PostgresConnection
  ) async throws -> [JobExecutionResult] {
    let writes = DeferredWrites()
    let locked = try await lock(claims, sharing: writes, on: connection)
    var results: [JobExecutionResult] = []
    var completed: [ClaimedJob] = []
    var started = 0
    do {
      for claim in claims {
        if started > 0, ContinuousClock.now >= deadline {
          results.append(.notStarted)
          continue
        }
        guard let (job, lateness) = locked[claim.id] else {
          results.append(.leaseLost)
          continue
        }
        started += 1
        onJobStarted?(job.kind, lateness)
        guard let handler = handlers.handler(for: job.kind) else {
          results.append(
            try await record(
              .retry(reason: "no handler registered for kind \(job.kind)"), of: job,
              claim: claim, on: connection))
          continue
        }
        let outcome: JobOutcome
        do {
          outcome = try await handler.run(job, on: connection)
        } catch {
          throw HandlerFailure(error: error)
        }
        if outcome == .done {
          completed.append(claim)
          results.append(.done)
        } else {
          results.append(try await record(outcome, of: job, claim: claim, on: connection))
        }
      }
      do {
        try await writes.flush(on: connection)
      } catch {
        throw HandlerFailure(error: error)
      }
      try await complete(completed, on: connection)
    } catch let error as PostgresError
      where error.sqlState == PostgresSQLState.inFailedTransaction
    {
      // A handler swallowed a failed statement: the transaction cannot commit.
      throw HandlerFailure(error: error)
    }
    return results
  }

  /// The jobs of `claims` whose lease is still ours, read under their row locks, keyed by id,
  /// with their lateness (seconds from due_at to now by the database clock, for the metrics).
  /// Their handlers share `writes`.
  private func lock(
    _ claims: [ClaimedJob], sharing writes: DeferredWrites = DeferredWrites(),
    on connection: PostgresConnection
  ) async throws -> [UUID: (JobContext, Double)] {
    let rows = try await connection.query(
      Self.batchLockSQL,
      [claims[0].tenant, claims.map(\.id), claims.map(\.leaseToken), instanceID]
    ).rows
    var jobs: [UUID: (JobContext, Double)] = [:]
    for row in rows {
      let id = try row.decode(0, as: UUID.self)
      jobs[id] = (
        JobContext(
          tenant: claims[0].tenant, id: id, kind: try row.decode(1, as: String.self),
          subject: try row.decode(2, as: String.self),
          uniqueKey: try row.decode(3, as: String?.self),
          payload: try row.decode(4, as: PostgresJSON.self),
          dueAt: try row.decode(5, as: Date.self),
          attempt: Int(try row.decode(6, as: Int32.self)),
          maxAttempts: Int(try row.decode(7, as: Int32.self)), deferredWrites: writes),
        try row.decode(8, as: Double.self)
      )
    }
    return jobs
  }

  /// Marks the batch's done jobs done in one statement. Under our row locks no lease can have
  /// changed; a count that differs rolls the whole batch back.
  private func complete(_ claims: [ClaimedJob], on connection: PostgresConnection) async throws {
    guard !claims.isEmpty else { return }
    let completed = try await connection.query(
      Self.batchCompletionSQL, [claims[0].tenant, claims.map(\.id), claims.map(\.leaseToken)]
    ).affectedRows
    guard completed == claims.count else { throw LeaseLost() }
  }

  /// Gives claimed jobs back (a stopping daemon): pending again, lease cleared, the attempt
  /// not counted. Only jobs whose lease is still ours. Returns how many were released.
  @discardableResult
  public func release(_ claims: [ClaimedJob]) async throws -> Int {
    var released = 0
    for (tenant, jobs) in Dictionary(grouping: claims, by: \.tenant) {
      released += try await database.withTenant(tenant) { connection in
        try await connection.query(
          """
          update charter.deadline_jobs j
          set state = 'pending', attempts = greatest(j.attempts - 1, 0), lease_owner = null,
              lease_expires_at = null, lease_token = null, updated_at = clock_timestamp()
          from unnest($1::uuid[], $2::uuid[]) as released(id, token)
          where j.id = released.id and j.lease_token = released.token
            and j.state = 'running' and j.lease_owner = $3
          """, [jobs.map(\.id), jobs.map(\.leaseToken), instanceID]
        ).affectedRows
      }
    }
    return released
  }

  /// Writes an outcome other than `.done` (done jobs are completed together, by
  /// `complete(_:on:)`).
  private func record(
    _ outcome: JobOutcome, of job: JobContext, claim: ClaimedJob, on connection: PostgresConnection
  ) async throws -> JobExecutionResult {
    let finishing = """
      lease_owner = null, lease_expires_at = null, lease_token = null,
      updated_at = clock_timestamp()
      """
    let ours = "tenant_id = $1 and id = $2 and lease_token = $3 and state = 'running'"
    let result: JobExecutionResult
    let rows: PostgresResult
    switch outcome {
    case .done:
      preconditionFailure("done jobs are completed with their batch, by complete(_:on:)")
    case .fail(let reason):
      result = .dead(reason: reason)
      rows = try await connection.query(
        """
        update charter.deadline_jobs
        set state = 'dead', last_error = $4, finished_at = clock_timestamp(), \(finishing)
        where \(ours) returning due_at
        """, [claim.tenant, claim.id, claim.leaseToken, reason])
    case .retry(let after, let reason):
      if job.attempt >= job.maxAttempts {
        let text = "gave up after \(job.attempt) attempts: \(reason)"
        result = .dead(reason: text)
        rows = try await connection.query(
          """
          update charter.deadline_jobs
          set state = 'dead', last_error = $4, finished_at = clock_timestamp(), \(finishing)
          where \(ours) returning due_at
          """, [claim.tenant, claim.id, claim.leaseToken, text])
      } else {
        let delay = after ?? retryPolicy.delay(afterAttempt: job.attempt)
        rows = try await connection.query(
          """
          update charter.deadline_jobs
          set state = 'pending', last_error = $4,
              due_at = clock_timestamp() + make_interval(secs => $5::float8), \(finishing)
          where \(ours)
          returning due_at, pg_notify($6, extract(epoch from due_at)::text) is null
          """,
          [
            claim.tenant, claim.id, claim.leaseToken, reason, delay.schedulerSeconds,
            JobQueue.notificationChannel,
          ])
        guard let row = rows.rows.first else { throw LeaseLost() }
        return .retryScheduled(at: try row.decode(0, as: Date.self))
      }
    }
    // Under our row lock the lease cannot have changed; this guards the invariant anyway,
    // and throwing rolls the handler's writes back with the completion.
    guard rows.affectedRows == 1 else { throw LeaseLost() }
    return result
  }
}

extension JobWorker {
  /// A batch's jobs whose lease is still ours, under their row locks: $1 tenant, $2 ids,
  /// $3 lease tokens (pairwise), $4 instance. `id = any ($2)` gives the planner the primary key
  /// to look them up by (SQL/0009_claim_order.sql; a test plans it with stale statistics).
  static let batchLockSQL = """
    select j.id, j.kind, j.subject, j.unique_key, j.payload, j.due_at, j.attempts,
           j.max_attempts, extract(epoch from clock_timestamp() - j.due_at)::float8
    from charter.deadline_jobs j
    join unnest($2::uuid[], $3::uuid[]) as claimed(id, token)
      on j.id = claimed.id and j.lease_token = claimed.token
    where j.tenant_id = $1 and j.id = any ($2::uuid[]) and j.state = 'running'
      and j.lease_owner = $4
    for update of j
    """

  /// Marks a batch's done jobs done: $1 tenant, $2 ids, $3 lease tokens (pairwise).
  static let batchCompletionSQL = """
    update charter.deadline_jobs j
    set state = 'done', finished_at = clock_timestamp(), lease_owner = null,
        lease_expires_at = null, lease_token = null, updated_at = clock_timestamp()
    from unnest($2::uuid[], $3::uuid[]) as claimed(id, token)
    where j.tenant_id = $1 and j.id = any ($2::uuid[]) and j.id = claimed.id
      and j.lease_token = claimed.token and j.state = 'running'
    """
}

/// A handler threw (or left its transaction unable to commit): rolls the job's transaction
/// back, so that the retry is recorded in a clean one.
private struct HandlerFailure: Error {
  var error: any Error
}

/// The completion found the lease gone; the transaction rolls back.
struct LeaseLost: Error, CustomStringConvertible {
  var description: String { "the job's lease was no longer held by this instance" }
}
