// Resident memory of a running scheduler with no pending jobs and with a million, over a
// thousand tenants. The scheduler keeps deadlines in the table, not in memory (one timer
// whatever the number of jobs), so the two should differ by little.
//
// Each figure comes from a fresh process (`charter-bench scheduler idle`), so that the first
// measurement's heap does not count in the second: it starts the Scheduler as charterd does
// (pool of 10, 8 workers) with a 1 s safety poll, waits until the timer has fired twice (armed,
// a safety-poll round done, armed again) and reports its VmRSS. The jobs are due tomorrow, so
// none fires.
import CharterScheduler
import Foundation

func measureSchedulerMemory(_ options: SchedulerBenchmarkOptions) async throws -> [String] {
  let jobs = options.jobs ?? 1_000_000
  let tenants = options.tenants ?? 1_000
  let database = try await SchedulerBenchDatabase.create(
    url: options.url, repository: options.repository, label: "memory")
  do {
    try await database.createTenants(tenants)
    let empty = try idleSchedulerResidentKiB(url: options.url, database: database.name)
    let inserting = ContinuousClock.now
    try await database.insertJobs(
      jobs, kind: benchmarkJobKind,
      dueSQL: "now() + interval '1 day' + g * interval '10 milliseconds'")
    let insertSeconds = (ContinuousClock.now - inserting).benchmarkSeconds
    let full = try idleSchedulerResidentKiB(url: options.url, database: database.name)
    await database.drop()
    func mib(_ kib: Int) -> String { String(format: "%.1f MiB", Double(kib) / 1024) }
    return [
      "scheduler memory: \(jobs) pending jobs over \(tenants) tenants written in "
        + "\(String(format: "%.1f", insertSeconds)) s (one INSERT … SELECT)",
      "scheduler memory (resident, idle scheduler after a safety poll): no jobs \(mib(empty)), "
        + "\(jobs) pending jobs \(mib(full)), difference \(mib(full - empty)) (target < 20 MB)",
    ]
  } catch {
    await database.drop()
    throw error
  }
}

/// Runs `charter-bench scheduler idle` on `database` and returns the resident KiB it reports.
private func idleSchedulerResidentKiB(url: String, database: String) throws -> Int {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
  process.arguments = ["scheduler", "idle", "--url", url, "--database", database]
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let text = String(decoding: data, as: UTF8.self)
  guard process.terminationStatus == 0,
    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("resident-kib ") }),
    let kib = Int(line.dropFirst("resident-kib ".count))
  else {
    throw SchedulerBenchmarkFailure(
      description: "the idle scheduler failed (status \(process.terminationStatus)): \(text)")
  }
  return kib
}

/// The child: an idle scheduler on an existing benchmark database; prints `resident-kib N`.
func runIdleScheduler(_ options: SchedulerBenchmarkOptions) async throws -> [String] {
  guard let name = options.database else {
    throw SchedulerBenchmarkFailure(description: "scheduler idle needs --database")
  }
  let database = try SchedulerBenchDatabase(url: options.url, name: name)
  let bench = BenchScheduler(
    database: database, concurrency: options.concurrency, handlers: outboxWritingHandlers(),
    safetyPoll: .seconds(1))
  try await bench.scheduler.start()
  let deadline = ContinuousClock.now + .seconds(60)
  while bench.scheduler.statistics.timerFires < 2, ContinuousClock.now < deadline {
    try await Task.sleep(for: .milliseconds(20))
  }
  let statistics = bench.scheduler.statistics
  let resident = try ownResidentKiB()
  await bench.stop()
  guard statistics.timerFires >= 2, statistics.claimed == 0, statistics.errors == 0 else {
    throw SchedulerBenchmarkFailure(
      description: "the idle scheduler did not poll quietly: \(statistics)")
  }
  return ["resident-kib \(resident)"]
}

/// VmRSS of this process, in KiB.
private func ownResidentKiB() throws -> Int {
  guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
    let value = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
      .flatMap({ Int($0) })
  else { throw SchedulerBenchmarkFailure(description: "cannot read VmRSS of this process") }
  return value
}
