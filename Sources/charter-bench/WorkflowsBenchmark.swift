// The workflows benchmark (issue 5): a tenant with 100,000 members and 5 years of meetings;
// the register listing's first page, a member's history and the CSV export of all members
// through the real command handlers (an in-process protocol session, as the demo loader runs
// them), each against the same statement run with psql by Scripts/lib/bench-workflows.sh in
// the same run.
//
//   charter-bench workflows seed --url SUPERUSER_URL --repository . [--members 100000]
//       creates and seeds a database; prints `database`, `tenant`, `member` (the long
//       history) and writes the psql scripts of the baseline into --folder.
//   charter-bench workflows measure --url SUPERUSER_URL --repository . --database NAME
//       --case list|history|export --member ID [--repeat N]
//       one warm-up, then N commands; prints `ms_per_command X` and the reply's size.
import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterCrypto
import CharterPostgres
import CharterStore
import CharterWorkflows
import Dispatch
import Foundation

struct WorkflowsBenchmarkOptions: Sendable {
  var url = ""
  var repository = "."
  var database = ""
  var folder = ""
  var members = 100_000
  var measuredCase = ""
  var member = ""
  var repeats = 10

  init(_ arguments: [String]) throws(WorkflowsBenchmarkUsage) {
    var index = 0
    func value() throws(WorkflowsBenchmarkUsage) -> String {
      index += 1
      guard index < arguments.count else { throw WorkflowsBenchmarkUsage() }
      return arguments[index]
    }
    while index < arguments.count {
      switch arguments[index] {
      case "--url": url = try value()
      case "--repository": repository = try value()
      case "--database": database = try value()
      case "--folder": folder = try value()
      case "--case": measuredCase = try value()
      case "--member": member = try value()
      case "--members":
        guard let number = Int(try value()), number >= 1_000 else {
          throw WorkflowsBenchmarkUsage()
        }
        members = number
      case "--repeat":
        guard let number = Int(try value()), number >= 1 else { throw WorkflowsBenchmarkUsage() }
        repeats = number
      default: throw WorkflowsBenchmarkUsage()
      }
      index += 1
    }
    guard !url.isEmpty else { throw WorkflowsBenchmarkUsage() }
  }
}

struct WorkflowsBenchmarkUsage: Error {}

struct WorkflowsBenchmarkFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

private final class WorkflowsBenchmarkOutcome: @unchecked Sendable {
  var lines: [String] = []
  var failure: String?
}

func runWorkflowsBenchmark(_ arguments: [String]) -> Int32 {
  var arguments = arguments
  let part = arguments.isEmpty ? "" : arguments.removeFirst()
  let parts: [String: @Sendable (WorkflowsBenchmarkOptions) async throws -> [String]] = [
    "seed": seedWorkflowsBenchmark, "measure": measureWorkflowsCommand,
  ]
  guard let run = parts[part], let options = try? WorkflowsBenchmarkOptions(arguments) else {
    FileHandle.standardError.write(
      Data(
        ("usage: charter-bench workflows seed --url postgres://superuser@.../postgres "
          + "--repository . --folder DIR [--members 100000]\n"
          + "       charter-bench workflows measure --url ... --repository . --database NAME "
          + "--case list|history|export --member ID [--repeat 10]\n").utf8))
    return 2
  }
  let done = DispatchSemaphore(value: 0)
  let outcome = WorkflowsBenchmarkOutcome()
  Task {
    do {
      outcome.lines = try await run(options)
    } catch {
      outcome.failure = "\(error)"
    }
    done.signal()
  }
  done.wait()
  if let failure = outcome.failure {
    FileHandle.standardError.write(Data("workflows benchmark (\(part)) failed: \(failure)\n".utf8))
    return 1
  }
  for line in outcome.lines { print(line) }
  return 0
}

/// The accounts and workflows modules as charterd wires them (DaemonServices), over the
/// benchmark database as `charter_app`, with an operator session logged in.
struct WorkflowsBenchServices: Sendable {
  static let operatorName = "bench"
  static let operatorPassword = "bench operator password"
  // A cheap hash: the login is not what is measured.
  static let passwordPolicy = PasswordPolicy(algorithm: .scrypt(logN: 10, r: 8, p: 1))

  let pool: PostgresPool
  let database: Database
  let registry: AdminCommandRegistry
  let auditSink: any AdminAuditSink

  init(_ benchDatabase: SchedulerBenchDatabase, repository: String) throws {
    pool = PostgresPool(configuration: benchDatabase.app, maxConnections: 4)
    database = Database(pool: pool)
    let root = URL(fileURLWithPath: repository)
    let accounts = AccountsService(
      database: database,
      configuration: AccountsConfiguration(passwordPolicy: Self.passwordPolicy))
    let workflows = WorkflowService(
      accounts: accounts,
      configuration: WorkflowConfiguration(
        calendar: try WorkingCalendar.loadStatutory(
          from: root.appendingPathComponent("Config/calendar/cn-statutory.toml")),
        chartersDirectory: root.appendingPathComponent("Config/charters")))
    var registry = AdminCommandRegistry(table: .admin)
    accounts.register(into: &registry)
    workflows.register(into: &registry)
    self.registry = registry
    auditSink = accounts.auditSink
  }

  /// A session of the benchmark's operator; `tenant` is put in use when given.
  func session(tenant: String?) async throws -> InProcessSession {
    let session = InProcessSession(registry: registry, auditSink: auditSink)
    try await Self.expectOK(
      session, "LOGIN \(Self.operatorName) \"\(Self.operatorPassword)\"")
    if let tenant { try await Self.expectOK(session, "TENANT USE \(tenant)") }
    return session
  }

  @discardableResult
  static func expectOK(_ session: InProcessSession, _ line: String) async throws -> String {
    let reply = await session.send(line)
    guard status(of: reply).hasPrefix("OK") else {
      throw WorkflowsBenchmarkFailure("`\(line)` answered: \(reply.prefix(2_000))")
    }
    return reply
  }

  func shutdown() async { await pool.shutdown() }

  /// The status line of a reply, found from its end: `InProcessSession.status(of:)` splits
  /// the whole reply, which on a 2 MB export page would be the client's cost, not ours.
  static func status(of reply: String) -> String {
    let bytes = reply.utf8
    var end = bytes.endIndex
    if end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "\n") {
      end = bytes.index(before: end)
    }
    var start = end
    while start > bytes.startIndex, bytes[bytes.index(before: start)] != UInt8(ascii: "\n") {
      start = bytes.index(before: start)
    }
    return String(reply[start..<end])
  }
}

/// One measured command, through the handlers: one warm-up, then `repeats` runs; prints the
/// mean time per command and what one reply held.
@Sendable func measureWorkflowsCommand(_ options: WorkflowsBenchmarkOptions) async throws
  -> [String]
{
  guard !options.database.isEmpty else { throw WorkflowsBenchmarkUsage() }
  let benchDatabase = try SchedulerBenchDatabase(url: options.url, name: options.database)
  let services = try WorkflowsBenchServices(benchDatabase, repository: options.repository)
  do {
    let session = try await services.session(tenant: WorkflowsBenchSeed.tenantSlug)
    let command: @Sendable (InProcessSession) async throws -> (lines: Int, bytes: Int)
    switch options.measuredCase {
    case "list":
      command = { session in
        let reply = try await WorkflowsBenchServices.expectOK(session, "REGISTER LIST")
        return (reply.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }, reply.utf8.count)
      }
    case "history":
      let member = options.member
      command = { session in
        let reply = try await WorkflowsBenchServices.expectOK(session, "MEMBER HISTORY \(member)")
        return (reply.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }, reply.utf8.count)
      }
    case "export":
      command = { session in try await exportWholeRegister(session) }
    default:
      throw WorkflowsBenchmarkUsage()
    }
    let warmUp = try await command(session)
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<options.repeats { _ = try await command(session) }
    let elapsed = clock.now - start
    let milliseconds =
      (Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15)
      / Double(options.repeats)
    await services.shutdown()
    return [
      "reply_lines \(warmUp.lines)", "reply_bytes \(warmUp.bytes)",
      "ms_per_command \(String(format: "%.3f", milliseconds))",
    ]
  } catch {
    await services.shutdown()
    throw error
  }
}

/// REGISTER EXPORT of the whole register in the pages the shell's `\export-register` asks for
/// (a reply is capped at 16 MiB, SessionLimits.maxUnsentOutput): follows `more: after=` to the
/// end. Returns the CSV lines and bytes received.
func exportWholeRegister(_ session: InProcessSession) async throws -> (lines: Int, bytes: Int) {
  var lines = 0
  var bytes = 0
  var after: String?
  repeat {
    let command =
      "REGISTER EXPORT limit=\(WorkflowsBenchSeed.exportPageSize)"
      + (after.map { " after=\($0)" } ?? "")
    let reply = try await WorkflowsBenchServices.expectOK(session, command)
    let status = WorkflowsBenchServices.status(of: reply)
    // Every line but the status line is a CSV line.
    lines += reply.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } - 1
    bytes += reply.utf8.count
    after = status.range(of: "more: after=").map { String(status[$0.upperBound...]) }
  } while after != nil
  return (lines, bytes)
}
