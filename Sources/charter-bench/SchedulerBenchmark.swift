// `charter-bench scheduler [claim|memory|throughput|lateness|catch-up|idle] --url …`:
// Scripts/lib/bench-scheduler.sh runs each part on one throwaway server and prints the ratios.
//
// claim (the default): deadline jobs claimed and completed per second, the way
// CharterScheduler's JobWorker does it: `charter.claim_due_jobs` leasing `batch` jobs per
// statement, then each job completed in its own tenant transaction (lock by lease token, mark
// done, commit). Batch 100 against batch 1 on the same database in the same run; rounds
// alternate so that noise hits both. The SQL below mirrors JobWorker.claim and
// JobWorker.execute with a handler that does nothing. The other parts run the Scheduler itself
// (SchedulerFiringBenchmark.swift, SchedulerMemoryBenchmark.swift).
import CharterPostgres
import Dispatch
import Foundation

struct SchedulerBenchmarkOptions {
  /// A superuser URL of a throwaway server (Scripts/test and Scripts/bench start one).
  var url = ""
  /// Jobs per round or run; each part has its own default.
  var jobs: Int?
  var rounds = 3
  /// Tenants the jobs are spread over; each part has its own default.
  var tenants: Int?
  /// The repository root: roles come from Deploy/postgres/roles.sql, the schema from SQL/.
  var repository = "."
  /// `idle` only: the benchmark database to run on.
  var database: String?
  /// Handlers running at once (`SchedulerConfiguration.maxConcurrentJobs`; charterd's is 8).
  var concurrency = 8
  /// `lateness` only: the jobs fall due evenly within this many seconds.
  var window = 10.0
  /// `throughput` only: a handler that writes nothing instead of an outbox row.
  var noOp = false

  init(_ arguments: [String]) throws(SchedulerBenchmarkUsageError) {
    var index = 0
    func value() throws(SchedulerBenchmarkUsageError) -> String {
      index += 1
      guard index < arguments.count else { throw SchedulerBenchmarkUsageError() }
      return arguments[index]
    }
    func number() throws(SchedulerBenchmarkUsageError) -> Int {
      guard let number = Int(try value()), number > 0 else { throw SchedulerBenchmarkUsageError() }
      return number
    }
    while index < arguments.count {
      switch arguments[index] {
      case "--url": url = try value()
      case "--jobs": jobs = try number()
      case "--rounds": rounds = try number()
      case "--tenants": tenants = try number()
      case "--repository": repository = try value()
      case "--database": database = try value()
      case "--concurrency": concurrency = try number()
      case "--window": window = Double(try number())
      case "--no-op": noOp = true
      default: throw SchedulerBenchmarkUsageError()
      }
      index += 1
    }
    guard !url.isEmpty else { throw SchedulerBenchmarkUsageError() }
  }
}

struct SchedulerBenchmarkUsageError: Error {}

struct SchedulerBenchmarkFailure: Error, CustomStringConvertible {
  var description: String
}

func runSchedulerBenchmark(_ arguments: [String]) -> Int32 {
  let parts: [String: @Sendable (SchedulerBenchmarkOptions) async throws -> [String]] = [
    "claim": measureClaimRates, "memory": measureSchedulerMemory,
    "throughput": measureFiringThroughput, "lateness": measureLateness,
    "catch-up": measureCatchUp, "idle": runIdleScheduler,
  ]
  var arguments = arguments
  var part = "claim"
  if let first = arguments.first, !first.hasPrefix("--") {
    part = first
    arguments.removeFirst()
  }
  let options: SchedulerBenchmarkOptions
  guard let measure = parts[part], let parsed = try? SchedulerBenchmarkOptions(arguments) else {
    FileHandle.standardError.write(
      Data(
        ("usage: charter-bench scheduler [claim|memory|throughput|lateness|catch-up|idle] "
          + "--url postgres://superuser@.../postgres [--jobs N] [--rounds 3] [--tenants N] "
          + "[--concurrency 8] [--window 10] [--no-op] [--repository .] [--database NAME]\n").utf8))
    return 2
  }
  options = parsed
  let done = DispatchSemaphore(value: 0)
  let outcome = SchedulerBenchmarkOutcome()
  Task {
    do {
      outcome.lines = try await measure(options)
    } catch {
      outcome.failure = "\(error)"
    }
    done.signal()
  }
  done.wait()
  if let failure = outcome.failure {
    FileHandle.standardError.write(Data("scheduler benchmark (\(part)) failed: \(failure)\n".utf8))
    return 1
  }
  for line in outcome.lines { print(line) }
  return 0
}

private final class SchedulerBenchmarkOutcome: @unchecked Sendable {
  var lines: [String] = []
  var failure: String?
}

private func measureClaimRates(_ options: SchedulerBenchmarkOptions) async throws -> [String] {
  let root = URL(fileURLWithPath: options.repository)
  let rolesSQL = try String(
    contentsOf: root.appendingPathComponent("Deploy/postgres/roles.sql"), encoding: .utf8)
  let migrations = try FileManager.default.contentsOfDirectory(
    at: root.appendingPathComponent("SQL"), includingPropertiesForKeys: nil
  ).filter { $0.pathExtension == "sql" }.sorted { $0.lastPathComponent < $1.lastPathComponent }

  let superuserConfiguration = try PostgresConfiguration(url: options.url)
  let superuser = try await PostgresConnection.connect(superuserConfiguration)
  let name = "charter_bench_jobs_\(ProcessInfo.processInfo.processIdentifier)"
  try await superuser.executeScript(rolesSQL)
  try await superuser.executeScript("drop database if exists \(name) with (force)")
  try await superuser.executeScript("create database \(name) owner charter_owner")
  var lines: [String] = []
  do {
    var ownerConfiguration = superuserConfiguration
    ownerConfiguration.user = "charter_owner"
    ownerConfiguration.password = nil
    ownerConfiguration.database = name
    let owner = try await PostgresConnection.connect(ownerConfiguration)
    for file in migrations {
      let text = try String(contentsOf: file, encoding: .utf8)
      try await owner.transaction { connection in try await connection.executeScript(text) }
    }
    await owner.close()

    var appConfiguration = ownerConfiguration
    appConfiguration.user = "charter_app"
    let app = try await PostgresConnection.connect(appConfiguration)
    let tenants = try await createTenants(options.tenants ?? 10, on: app)
    let jobs = options.jobs ?? 5_000
    var best: [Int: Double] = [100: 0, 1: 0]
    var bestClaimOnly: [Int: Double] = [100: 0, 1: 0]
    for round in 1...options.rounds {
      // The claim statement alone (completion left out), to show what batching buys there.
      for batch in [100, 1] {
        try await insertDueJobs(jobs, tenants: tenants, on: app)
        let started = ContinuousClock.now
        var claimed = 0
        while true {
          let rows = try await app.query(
            "select job_id from charter.claim_due_jobs('bench', interval '5 minutes', $1::integer)",
            [batch]
          ).rows.count
          if rows == 0 { break }
          claimed += rows
        }
        let rate = Double(claimed) / (ContinuousClock.now - started).benchmarkSeconds
        bestClaimOnly[batch] = max(bestClaimOnly[batch] ?? 0, rate)
        lines.append("scheduler round \(round): batch \(batch): \(Int(rate)) jobs/s (claim only)")
        try await superuserDelete(name: name, superuser: superuserConfiguration)
      }
      for batch in [100, 1] {
        try await insertDueJobs(jobs, tenants: tenants, on: app)
        let started = ContinuousClock.now
        let completed = try await claimAndCompleteAll(batch: batch, on: app)
        let seconds = (ContinuousClock.now - started).benchmarkSeconds
        guard completed == jobs else {
          throw SchedulerBenchmarkFailure(
            description: "completed \(completed) of \(jobs) jobs with batch \(batch)")
        }
        let rate = Double(completed) / seconds
        best[batch] = max(best[batch] ?? 0, rate)
        lines.append(
          "scheduler round \(round): batch \(batch): \(Int(rate)) jobs/s (claim + complete)")
      }
    }
    await app.close()
    let claimBatched = bestClaimOnly[100] ?? 0
    let claimSingle = bestClaimOnly[1] ?? 0
    lines.append(
      "scheduler claim only: batch 100 \(Int(claimBatched)) jobs/s, batch 1 \(Int(claimSingle)) jobs/s, "
        + "ratio \(String(format: "%.1f", claimSingle > 0 ? claimBatched / claimSingle : 0))")
    let batched = best[100] ?? 0
    let single = best[1] ?? 0
    lines.append("scheduler best: batch 100 \(Int(batched)) jobs/s, batch 1 \(Int(single)) jobs/s")
    lines.append(
      "scheduler ratio batch 100 / batch 1: \(String(format: "%.2f", single > 0 ? batched / single : 0))"
    )
  } catch {
    try? await superuser.executeScript("drop database if exists \(name) with (force)")
    await superuser.close()
    throw error
  }
  try await superuser.executeScript("drop database if exists \(name) with (force)")
  await superuser.close()
  return lines
}

/// Empties the job table between rounds (the run-time role may not see across tenants).
private func superuserDelete(name: String, superuser: PostgresConfiguration) async throws {
  var configuration = superuser
  configuration.database = name
  let connection = try await PostgresConnection.connect(configuration)
  try await connection.executeScript("delete from charter.deadline_jobs")
  await connection.close()
}

private func createTenants(_ count: Int, on app: PostgresConnection) async throws -> [UUID] {
  var tenants: [UUID] = []
  for index in 0..<count {
    let tenant = UUID()
    try await app.transaction(settings: ["charter.scope": "installation"]) { connection in
      try await connection.query(
        "insert into charter.tenants (id, slug, name) values ($1, $2, $3)",
        [tenant, "bench-\(index)", "bench \(index)"])
    }
    tenants.append(tenant)
  }
  return tenants
}

private func insertDueJobs(_ count: Int, tenants: [UUID], on app: PostgresConnection) async throws {
  let perTenant = max(1, count / tenants.count)
  for (index, tenant) in tenants.enumerated() {
    let jobs = index == tenants.count - 1 ? count - perTenant * (tenants.count - 1) : perTenant
    try await app.transaction(settings: ["charter.tenant": tenant.uuidString.lowercased()]) {
      connection in
      try await connection.query(
        """
        insert into charter.deadline_jobs (tenant_id, kind, subject, due_at)
        select charter.current_tenant(), 'bench', 'job ' || g,
               now() - interval '1 minute' + g * interval '1 millisecond'
        from generate_series(1, $1::integer) g
        """, [jobs])
    }
  }
}

/// Claims `batch` at a time until nothing is due; completes each claimed job in its tenant's
/// transaction as JobWorker.execute does. Returns how many were completed.
private func claimAndCompleteAll(batch: Int, on app: PostgresConnection) async throws -> Int {
  var completed = 0
  while true {
    let claims = try await app.query(
      "select * from charter.claim_due_jobs('bench', interval '5 minutes', $1::integer)", [batch]
    ).rows.map { row in
      (
        try row.decode(0, as: UUID.self), try row.decode(1, as: UUID.self),
        try row.decode(4, as: UUID.self)
      )
    }
    if claims.isEmpty { return completed }
    for (tenant, job, token) in claims {
      try await app.transaction(settings: ["charter.tenant": tenant.uuidString.lowercased()]) {
        connection in
        let locked = try await connection.query(
          """
          select payload from charter.deadline_jobs
          where tenant_id = $1 and id = $2 and state = 'running' and lease_owner = 'bench'
            and lease_token = $3
          for update
          """, [tenant, job, token])
        guard locked.rows.count == 1 else {
          throw SchedulerBenchmarkFailure(description: "lease of \(job) lost")
        }
        try await connection.query(
          """
          update charter.deadline_jobs
          set state = 'done', finished_at = clock_timestamp(), lease_owner = null,
              lease_expires_at = null, lease_token = null, updated_at = clock_timestamp()
          where tenant_id = $1 and id = $2 and lease_token = $3 and state = 'running'
          """, [tenant, job, token])
      }
      completed += 1
    }
  }
}

extension Duration {
  var benchmarkSeconds: Double {
    let parts = components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
  }
}
