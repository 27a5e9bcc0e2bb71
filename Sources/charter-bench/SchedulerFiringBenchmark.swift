// The Charter scheduler itself (CharterScheduler.Scheduler, as charterd runs it) firing jobs
// whose handler writes one outbox row (a `NewDelivery` left in the job's deferred writes, as
// `notice.deliver` does), the way the daemon gives notice. Three measures (Scripts/lib/bench-scheduler.sh runs them):
//
// - throughput: `jobs` due jobs written before the scheduler starts; jobs completed per second
//   from `start()` until the last completion. Compared in the script with pgqueuer and
//   procrastinate running no-op jobs on the same server; `--no-op` runs the scheduler with a
//   handler that writes nothing, to tell its own cost from the outbox's.
// - lateness: the scheduler idle and armed; `jobs` jobs due evenly over the next `window`
//   seconds written in one transaction (with the NOTIFY an enqueue sends); per job, by the
//   database clock, start (the handler's transaction start: the outbox row's `created_at`)
//   and completion (`finished_at`) minus `due_at`.
// - catch-up: `jobs` jobs overdue by up to an hour when the scheduler starts; the time until
//   all have fired.
import CharterDelivery
import CharterPostgres
import CharterScheduler
import CharterStore
import Foundation

let benchmarkJobKind = "bench.notice"

/// The handler of every firing benchmark: one outbox row per job, as a notice handler does
/// (`notice.deliver` leaves its rows in `deferredWrites` the same way).
/// With `noOp`, the handler writes nothing: the scheduler's own cost, for comparison.
func outboxWritingHandlers(noOp: Bool = false) -> JobHandlerRegistry {
  var handlers = JobHandlerRegistry()
  if noOp {
    handlers.register(benchmarkJobKind) { _, _ in .done }
    return handlers
  }
  handlers.register(benchmarkJobKind) { job, _ in
    job.deferredWrites.append(
      NewDelivery(
        noticeKey: "bench/\(job.id)", target: .webhook, subject: "bench notice",
        textBody: "bench notice \(job.subject)", noticeKind: "information", jobID: job.id))
    return .done
  }
  return handlers
}

/// A scheduler configured as charterd configures it (pool of `concurrency + 2`, so
/// `Scheduler.concurrency` is `concurrency`), with the given safety poll.
struct BenchScheduler {
  let pool: PostgresPool
  let scheduler: Scheduler

  init(
    database: SchedulerBenchDatabase, concurrency: Int, handlers: JobHandlerRegistry,
    safetyPoll: Duration = .seconds(30)
  ) {
    pool = PostgresPool(configuration: database.app, maxConnections: concurrency + 2)
    scheduler = Scheduler(
      database: Database(pool: pool), handlers: handlers,
      configuration: SchedulerConfiguration(
        instanceID: "charter-bench-\(ProcessInfo.processInfo.processIdentifier)",
        maxConcurrentJobs: concurrency, safetyPollInterval: safetyPoll))
  }

  /// Waits until `count` jobs are done; fails on the first job that is not done cleanly, or
  /// when nothing completes for `stall`.
  func waitUntilDone(_ count: Int, stall: Duration = .seconds(60)) async throws {
    var last = scheduler.statistics.done
    var lastProgress = ContinuousClock.now
    while true {
      let statistics = scheduler.statistics
      if statistics.done >= count { return }
      if statistics.retried + statistics.dead + statistics.errors + statistics.leaseLost > 0 {
        throw SchedulerBenchmarkFailure(
          description: "jobs did not complete cleanly: \(statistics)")
      }
      if statistics.done != last {
        last = statistics.done
        lastProgress = .now
      } else if ContinuousClock.now - lastProgress > stall {
        throw SchedulerBenchmarkFailure(
          description: "stalled at \(statistics.done) of \(count) jobs: \(statistics)")
      }
      try await Task.sleep(for: .milliseconds(2))
    }
  }

  func stop() async {
    await scheduler.stop()
    await pool.shutdown()
  }
}

/// Checks that `count` jobs are done and that each wrote its outbox row (none with `noOp`).
private func expectOutboxRows(
  _ count: Int, in database: SchedulerBenchDatabase, noOp: Bool = false
) async throws {
  let (done, notices) = try await database.asSuperuser { connection in
    let row = try await connection.query(
      """
      select (select count(*) from charter.deadline_jobs where state = 'done'),
             (select count(*) from charter.notice_outbox)
      """, []
    ).rows[0]
    return (try row.decode(0, as: Int64.self), try row.decode(1, as: Int64.self))
  }
  guard done == count, notices == (noOp ? 0 : count) else {
    throw SchedulerBenchmarkFailure(
      description: "expected \(count) done jobs and outbox rows, found \(done) and \(notices)")
  }
}

/// Writes `jobs` jobs due at `dueSQL` (see `SchedulerBenchDatabase.insertJobs`) over the
/// tenants of a fresh database, starts the scheduler, and returns the seconds from its start
/// until the last job is done, after checking every job wrote its outbox row.
private func secondsToFire(
  _ jobs: Int, dueSQL: String, label: String, noOp: Bool = false,
  _ options: SchedulerBenchmarkOptions
) async throws -> Double {
  let database = try await SchedulerBenchDatabase.create(
    url: options.url, repository: options.repository, label: label)
  do {
    try await database.createTenants(options.tenants ?? 100)
    try await database.insertJobs(jobs, kind: benchmarkJobKind, dueSQL: dueSQL)
    let bench = BenchScheduler(
      database: database, concurrency: options.concurrency,
      handlers: outboxWritingHandlers(noOp: noOp))
    let started = ContinuousClock.now
    try await bench.scheduler.start()
    do {
      try await bench.waitUntilDone(jobs)
    } catch {
      await bench.stop()
      throw error
    }
    let seconds = (ContinuousClock.now - started).benchmarkSeconds
    await bench.stop()
    try await expectOutboxRows(jobs, in: database, noOp: noOp)
    await database.drop()
    return seconds
  } catch {
    await database.drop()
    throw error
  }
}

/// `charter jobs N seconds S jobs/s R` (the format of Scripts/bench-support/queue_baselines.py).
func measureFiringThroughput(_ options: SchedulerBenchmarkOptions) async throws -> [String] {
  let jobs = options.jobs ?? 20_000
  let seconds = try await secondsToFire(
    jobs, dueSQL: "now() - interval '1 minute' + g * interval '1 microsecond'", label: "firing",
    noOp: options.noOp, options)
  return [
    "charter\(options.noOp ? " (no-op)" : "") jobs \(jobs) seconds \(String(format: "%.3f", seconds)) "
      + "jobs/s \(Int(Double(jobs) / seconds))"
  ]
}

func measureLateness(_ options: SchedulerBenchmarkOptions) async throws -> [String] {
  let jobs = options.jobs ?? 10_000
  let window = options.window
  let lead = 2.0
  let database = try await SchedulerBenchDatabase.create(
    url: options.url, repository: options.repository, label: "lateness")
  do {
    try await database.createTenants(options.tenants ?? 100)
    let bench = BenchScheduler(
      database: database, concurrency: options.concurrency,
      handlers: outboxWritingHandlers())
    try await bench.scheduler.start()
    let figures: [Double]
    do {
      // Idle: the first round (nothing due) has re-armed the timer at the safety poll.
      try await Task.sleep(for: .seconds(1))
      try await database.asSuperuser { connection in
        try await connection.transaction { connection in
          try await connection.query(
            """
            insert into charter.deadline_jobs (tenant_id, kind, subject, due_at)
            select t.ids[1 + g % t.n], $1, 'bench job ' || g,
                   now() + make_interval(secs => $2::float8 + g * $3::float8 / $4::integer)
            from generate_series(0, $4::integer - 1) g,
                 (select array_agg(id order by slug) as ids, count(*)::integer as n
                  from charter.tenants) t
            """, [benchmarkJobKind, lead, window, jobs])
          try await connection.query(
            "select pg_notify($1, extract(epoch from now() + make_interval(secs => $2::float8))::text)",
            [JobQueue.notificationChannel, lead])
        }
      }
      try await bench.waitUntilDone(jobs)
      figures = try await database.asSuperuser { connection in
        let row = try await connection.query(
          """
          with lateness as (
              select extract(epoch from o.created_at - j.due_at) * 1000 as started,
                     extract(epoch from j.finished_at - j.due_at) * 1000 as finished
              from charter.deadline_jobs j
              join charter.notice_outbox o on o.tenant_id = j.tenant_id and o.job_id = j.id
          )
          select percentile_cont(0.5) within group (order by started)::float8,
                 percentile_cont(0.99) within group (order by started)::float8,
                 max(started)::float8, min(started)::float8,
                 percentile_cont(0.5) within group (order by finished)::float8,
                 percentile_cont(0.99) within group (order by finished)::float8,
                 max(finished)::float8, count(*)::float8
          from lateness
          """, []
        ).rows[0]
        return try (0..<8).map { try row.decode($0, as: Double.self) }
      }
    } catch {
      await bench.stop()
      throw error
    }
    await bench.stop()
    await database.drop()
    guard Int(figures[7]) == jobs else {
      throw SchedulerBenchmarkFailure(
        description: "lateness measured on \(Int(figures[7])) of \(jobs) jobs")
    }
    // A job started before it was due would be a bug (RELIABILITY R8), not a good figure.
    guard figures[3] >= 0 else {
      throw SchedulerBenchmarkFailure(
        description: "a job started \(-figures[3]) ms before it was due")
    }
    func ms(_ value: Double) -> String { String(format: "%.1f", value) }
    return [
      "scheduler lateness (\(jobs) jobs due within \(Int(window)) s, concurrency "
        + "\(options.concurrency), handler writes an outbox row; database clock): "
        + "start p50 \(ms(figures[0])) ms, p99 \(ms(figures[1])) ms, max \(ms(figures[2])) ms; "
        + "completion p50 \(ms(figures[4])) ms, p99 \(ms(figures[5])) ms, max \(ms(figures[6])) ms "
        + "(target p99 < 100 ms)"
    ]
  } catch {
    await database.drop()
    throw error
  }
}

func measureCatchUp(_ options: SchedulerBenchmarkOptions) async throws -> [String] {
  let jobs = options.jobs ?? 100_000
  let seconds = try await secondsToFire(
    jobs, dueSQL: "now() - interval '1 hour' + g * (interval '1 hour' / \(jobs))",
    label: "catchup", options)
  return [
    "scheduler catch-up: \(jobs) overdue jobs at start all fired in "
      + "\(String(format: "%.1f", seconds)) s, \(Int(Double(jobs) / seconds)) jobs/s "
      + "(concurrency \(options.concurrency), handler writes an outbox row)"
  ]
}
