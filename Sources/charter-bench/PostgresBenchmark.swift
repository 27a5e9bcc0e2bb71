// Parameterised single-row SELECT by primary key on one connection, the way pgbench -S runs it:
// round trips per second through CharterPostgres. Scripts/lib/bench-postgres.sh runs pgbench
// against the same server in the same run and prints the ratio.
import CharterPostgres
import Dispatch

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

private struct PostgresBenchmarkOptions {
  var url = ""
  var seconds = 5.0
  var accounts = 100_000
  /// `affinity` runs the loop on the connection's queue (as the pool does); `hop` awaits
  /// each query from Swift's pool, two thread hand-offs per round trip.
  var inline = true

  init(_ arguments: [String]) throws(BenchmarkUsageError) {
    var index = 0
    func value() throws(BenchmarkUsageError) -> String {
      index += 1
      guard index < arguments.count else { throw BenchmarkUsageError() }
      return arguments[index]
    }
    while index < arguments.count {
      switch arguments[index] {
      case "--url": url = try value()
      case "--seconds":
        guard let number = Double(try value()) else { throw BenchmarkUsageError() }
        seconds = number
      case "--mode":
        switch try value() {
        case "affinity": inline = true
        case "hop": inline = false
        default: throw BenchmarkUsageError()
        }
      case "--accounts":
        guard let number = Int(try value()) else { throw BenchmarkUsageError() }
        accounts = number
      default: throw BenchmarkUsageError()
      }
      index += 1
    }
    guard !url.isEmpty, seconds > 0, accounts > 0 else { throw BenchmarkUsageError() }
  }
}

private struct BenchmarkUsageError: Error {}

func runPostgresBenchmark(_ arguments: [String]) -> Int32 {
  let options: PostgresBenchmarkOptions
  do {
    options = try PostgresBenchmarkOptions(arguments)
  } catch {
    fputs(
      "usage: charter-bench postgres --url postgres://... [--seconds 5] [--accounts 100000] [--mode affinity|hop]\n",
      stderr)
    return 2
  }
  let done = DispatchSemaphore(value: 0)
  let outcome = BenchmarkOutcome()
  Task {
    do {
      outcome.rate = try await measureSelectRate(options)
    } catch {
      outcome.failure = "\(error)"
    }
    done.signal()
  }
  done.wait()
  if let failure = outcome.failure {
    fputs("postgres benchmark failed: \(failure)\n", stderr)
    return 1
  }
  print("charter select rate: \(Int(outcome.rate)) round trips/s")
  return 0
}

private final class BenchmarkOutcome: @unchecked Sendable {
  var rate = 0.0
  var failure: String?
}

private func measureSelectRate(_ options: PostgresBenchmarkOptions) async throws -> Double {
  let connection = try await PostgresConnection.connect(PostgresConfiguration(url: options.url))
  let rate =
    options.inline
    ? try await connection.withQueueAffinity { try await selectLoop($0, options) }
    : try await selectLoop(connection, options)
  await connection.close()
  return rate
}

private func selectLoop(_ connection: PostgresConnection, _ options: PostgresBenchmarkOptions)
  async throws -> Double
{
  let sql = "SELECT abalance FROM pgbench_accounts WHERE aid = $1"
  // SystemRandomNumberGenerator makes a getrandom system call per number; pgbench uses a
  // cheap generator too.
  var generator = SplitMix64(seed: DispatchTime.now().uptimeNanoseconds)
  var checksum = 0
  // Warm up caches and the server's plan for a second.
  let clock = ContinuousClock()
  let warmUpEnd = clock.now + .seconds(1)
  while clock.now < warmUpEnd {
    let aid = Int.random(in: 1...options.accounts, using: &generator)
    checksum &+= try await connection.query(sql, aid).scalar(as: Int.self)
  }
  var count = 0
  let cpuStart = processCPUSeconds()
  let start = clock.now
  let end = start + .milliseconds(Int(options.seconds * 1000))
  while true {
    // Check the clock every 64 queries: reading it is not free at this rate.
    for _ in 0..<64 {
      let aid = Int.random(in: 1...options.accounts, using: &generator)
      checksum &+= try await connection.query(sql, aid).scalar(as: Int.self)
    }
    count += 64
    if clock.now >= end { break }
  }
  let elapsed = clock.now - start
  let cpuPerQuery = (processCPUSeconds() - cpuStart) / Double(count)
  print("charter client CPU: \(Int((cpuPerQuery * 1e7).rounded()) / 10) µs/query")
  if checksum == Int.min { print("") }  // keeps the decoding from being optimised away
  return Double(count) / elapsed.seconds
}

extension Duration {
  fileprivate var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}

/// A fast non-cryptographic generator (Steele, Lea, Flood: SplitMix64).
private struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}

/// User plus system CPU time of this process so far.
private func processCPUSeconds() -> Double {
  var usage = rusage()
  getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
  func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
  return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
