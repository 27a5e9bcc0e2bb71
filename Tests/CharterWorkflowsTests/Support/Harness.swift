import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterCrypto
import CharterGovernance
import CharterPostgres
import CharterProtocol
import CharterScheduler
import CharterStore
import CharterTestSupport
import Foundation
import Synchronization

@testable import CharterWorkflows

/// A clock the scenarios move by hand: the workflows read "now" from it instead of the
/// database, so a scenario walks through 30-day exits and annual cycles in milliseconds.
final class ScenarioClock: Sendable {
  private let current: Mutex<Date>

  init(_ start: Date) { current = Mutex(start) }

  var now: Date { current.withLock { $0 } }

  func set(_ date: Date) { current.withLock { $0 = date } }

  /// Noon of a civil day in Asia/Shanghai.
  func set(day: String) {
    guard let civil = CivilDate(iso: day) else { fatalError("test bug: bad day \(day)") }
    set(civil.startOfDay(in: Harness.shanghai).addingTimeInterval(12 * 3600))
  }
}

/// The accounts and workflow modules over a private migrated database, as the daemon runs
/// them, with an operator logged in and helpers to create tenants, drive sessions through the
/// protocol's own state machine, and fire the deadline jobs that have fallen due.
struct Harness: Sendable {
  static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
  static let operatorName = "op"
  static let operatorPassword = "correct horse battery staple"

  let testDatabase: TestDatabase
  let database: Database
  let accounts: AccountsService
  let workflows: WorkflowService
  let registry: AdminCommandRegistry
  let jobs: JobHandlerRegistry
  let clock: ScenarioClock

  static func with(
    start day: String = "2026-03-02", charters: URL? = nil,
    _ body: (Harness) async throws -> Void
  ) async throws {
    try await TestDatabase.with { testDatabase in
      let pool = PostgresPool(
        configuration: try PostgresConfiguration(url: testDatabase.url(as: .app)),
        maxConnections: 4)
      let database = Database(pool: pool)
      let clock = ScenarioClock(Date())
      clock.set(day: day)
      let accounts = AccountsService(
        database: database,
        configuration: AccountsConfiguration(
          passwordPolicy: PasswordPolicy(algorithm: .scrypt(logN: 10, r: 8, p: 1)),
          now: { clock.now }))
      let root = TestDatabase.repositoryRoot
      let calendar = try WorkingCalendar.loadStatutory(
        from: root.appendingPathComponent("Config/calendar/cn-statutory.toml"))
      let workflows = WorkflowService(
        accounts: accounts,
        configuration: WorkflowConfiguration(
          calendar: calendar,
          chartersDirectory: charters ?? root.appendingPathComponent("Config/charters"),
          now: { clock.now }))
      var registry = AdminCommandRegistry(table: .admin)
      accounts.register(into: &registry)
      workflows.register(into: &registry)
      var jobs = JobHandlerRegistry()
      workflows.registerJobs(into: &jobs)
      let harness = Harness(
        testDatabase: testDatabase, database: database, accounts: accounts,
        workflows: workflows, registry: registry, jobs: jobs, clock: clock)
      do {
        try await harness.seedOperator()
        try await body(harness)
      } catch {
        await pool.shutdown()
        throw error
      }
      await pool.shutdown()
    }
  }

  private func seedOperator() async throws {
    let hash = try PasswordHasher(policy: PasswordPolicy(algorithm: .scrypt(logN: 10, r: 8, p: 1)))
      .hash(Self.operatorPassword)
    _ = try await database.withInstallationScope { connection in
      try await connection.query(
        """
        insert into charter.operators (login, display_name, password_hash)
        values ($1, $1, $2)
        """, [Self.operatorName, hash])
    }
  }

  /// A session logged in as the operator.
  func operatorSession() async throws -> ScenarioSession {
    let session = ScenarioSession(harness: self)
    try await session.expectOK("LOGIN \(Self.operatorName) \"\(Self.operatorPassword)\"")
    return session
  }

  /// A tenant with the charter profile `profile` loaded (effective from its own date), used
  /// by the returned operator session.
  func tenant(_ slug: String, profile: String? = nil, name: String? = nil) async throws
    -> ScenarioSession
  {
    let session = try await operatorSession()
    try await session.expectOK("TENANT CREATE \(slug) \"\(name ?? "联盟 \(slug)")\"")
    try await session.expectOK("TENANT USE \(slug)")
    try await session.expectOK("CHARTER LOAD \(profile ?? slug) effective=2020-01-01")
    return session
  }

  func tenantID(_ slug: String) async throws -> TenantID {
    try await database.withInstallationScope { connection in
      TenantID(
        try await connection.query("select id from charter.tenants where slug = $1", [slug])
          .scalar(as: UUID.self))
    }
  }

  /// Runs `body` in a transaction of tenant `slug` (for assertions on stored rows).
  func inTenant<T: Sendable>(
    _ slug: String, _ body: @Sendable (PostgresConnection) async throws -> T
  ) async throws -> T {
    let id = try await tenantID(slug)
    return try await database.withTenant(id, body)
  }

  /// Fires, oldest first, every pending deadline job of `slug` due by the clock's now, through
  /// the daemon's own handlers, each in its tenant transaction with its completion, the way
  /// the scheduler runs them (the scheduler itself is tested in CharterSchedulerTests; here
  /// the clock is the scenario's). Jobs written by a fired job fire too when due. Returns the
  /// kinds fired.
  @discardableResult
  func fireDueJobs(_ slug: String) async throws -> [String] {
    let tenant = try await tenantID(slug)
    var fired: [String] = []
    while true {
      let now = clock.now
      let next = try await database.withTenant(tenant) { connection in
        try await connection.query(
          """
          select id, kind, subject, unique_key, payload, due_at, attempts, max_attempts
          from charter.deadline_jobs
          where state = 'pending' and due_at <= $1 order by due_at, id limit 1
          """, [now]
        ).rows.first.map { row in
          JobContext(
            tenant: tenant, id: try row.decode(0, as: UUID.self),
            kind: try row.decode(1, as: String.self), subject: try row.decode(2, as: String.self),
            uniqueKey: try row.decode(3, as: String?.self),
            payload: try row.decode(4, as: PostgresJSON.self),
            dueAt: try row.decode(5, as: Date.self), attempt: try row.decode(6, as: Int.self) + 1,
            maxAttempts: try row.decode(7, as: Int.self))
        }
      }
      guard let job = next else { return fired }
      guard let handler = jobs.handler(for: job.kind) else {
        throw HarnessError("no handler for job kind \(job.kind)")
      }
      try await database.withTenant(tenant) { connection in
        let outcome = try await handler.run(job, on: connection)
        let state: String
        var reason: String? = nil
        switch outcome {
        case .done: state = "done"
        case .retry(_, let why), .fail(let why):
          state = "dead"
          reason = why
        }
        try await connection.query(
          """
          update charter.deadline_jobs
          set state = $2, attempts = attempts + 1, last_error = $3, finished_at = now()
          where id = $1 and state = 'pending'
          """, [job.id, state, reason])
        if let reason { throw HarnessError("job \(job.kind) \(job.subject) failed: \(reason)") }
      }
      fired.append(job.kind)
    }
  }
}

struct HarnessError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// One admin session driven in memory through the protocol's own state machine
/// (`InProcessSession`: the command table's argument and access checks run exactly as in the
/// daemon), with the harness's handlers, and no network.
final class ScenarioSession: Sendable {
  let harness: Harness
  private let session: InProcessSession

  init(harness: Harness) {
    self.harness = harness
    var limits = SessionLimits()
    limits.softErrorLimit = 100_000
    limits.hardErrorLimit = 100_001
    session = InProcessSession(
      registry: harness.registry, auditSink: harness.accounts.auditSink,
      peer: PeerInfo(address: "192.0.2.10", port: 40_000), limits: limits)
  }

  /// Sends one request line; returns the reply as it would go on the wire.
  @discardableResult
  func send(_ line: String) async -> String {
    await session.send(line)
  }

  /// The status line of a reply (its last line).
  static func status(of reply: String) -> String {
    reply.split(separator: "\n").last.map(String.init) ?? ""
  }

  /// Sends `line` and throws unless the reply's status is OK; returns the whole reply.
  @discardableResult
  func expectOK(_ line: String) async throws -> String {
    let reply = await send(line)
    guard Self.status(of: reply).hasPrefix("OK") else {
      throw HarnessError("expected OK for `\(line)`, got:\n\(reply)")
    }
    return reply
  }

  /// Sends `line` and throws unless the reply is the error `code` (e.g. "REFUSED");
  /// returns the status line.
  @discardableResult
  func expectError(_ code: String, _ line: String) async throws -> String {
    let reply = await send(line)
    let status = Self.status(of: reply)
    guard status.hasPrefix("ERR \(code)") else {
      throw HarnessError("expected \(code) for `\(line)`, got:\n\(reply)")
    }
    return status
  }
}

extension Harness {
  /// An admitted member of `slug`, written as the membership workflow leaves one (row, state,
  /// register entry), for scenarios that start from an existing register.
  @discardableResult
  func seedMember(
    _ slug: String, name: String, tier: String, kind: MemberKind = .unit,
    email: String? = nil, since: String = "2024-01-02", seats: Set<String> = []
  ) async throws -> UUID {
    let id = UUID()
    guard let day = CivilDate(iso: since) else { throw HarnessError("bad day \(since)") }
    let record = MemberRecord(
      id: MemberID(id.uuidString.lowercased()), kind: kind, tier: tier, status: .active,
      since: day, seats: seats, lastActivity: day)
    let state = try EngineState.encode(record)
    let contact = email ?? "m\(id.uuidString.prefix(8).lowercased())@example.com"
    try await inTenant(slug) { connection in
      try await connection.query(
        """
        insert into charter.members
            (tenant_id, id, kind, name, contact_email, status, tier, joined_on, state, revision)
        values (charter.current_tenant(), $1, $2, $3, $4, 'member', $5, $6::date, $7, 1)
        """, [id, kind.rawValue, name, contact, tier, since, state])
      try await connection.query(
        """
        insert into charter.member_register
            (tenant_id, member_id, event, effective_on, tier, status, cause, recorded_by)
        values (charter.current_tenant(), $1, 'admitted', $2::date, $3, 'member', 'seeded', 'test')
        """, [id, since, tier])
    }
    return id
  }

  /// The stored member (state decoded), read in its own transaction.
  func member(_ slug: String, _ id: UUID) async throws -> StoredMember? {
    try await inTenant(slug) { connection in try await MemberStore.load(id, on: connection) }
  }
}

extension Harness {
  /// The jobs CHARTER LOAD schedules for every tenant (the charter's periodic obligations:
  /// minimum-meeting checks, the fund-use publication), which fire whenever a scenario moves
  /// the clock far enough; scenarios about something else leave them out of their assertions.
  static let periodicJobKinds: Set<String> = [
    "governance.minimumMeetings", "governance.fundUsePublication",
  ]

  static func notPeriodic(_ kind: String) -> Bool { !periodicJobKinds.contains(kind) }
}
