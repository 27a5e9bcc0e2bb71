import CharterAdminServer
import CharterCrypto
import CharterDelivery
import CharterPostgres
import CharterProtocol
import CharterStore
import CharterTestSupport
import Foundation

@testable import CharterAccounts

/// A clock the tests move by hand (lockout windows, address delays).
final class TestClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current = Date(timeIntervalSince1970: 1_795_000_000)

  var now: Date { lock.withLock { current } }

  func advance(by seconds: TimeInterval) {
    lock.withLock { current = current.addingTimeInterval(seconds) }
  }
}

/// Cheap scrypt for most tests (the real policy costs ~0.3 s and 128 MiB per verification);
/// `RealPolicyTests` uses the real one.
let testPasswordPolicy = PasswordPolicy(algorithm: .scrypt(logN: 10, r: 8, p: 1))

/// The accounts module over a private migrated database, as the daemon would run it, with
/// helpers to seed accounts and drive sessions.
struct AccountsHarness: Sendable {
  let testDatabase: TestDatabase
  let database: Database
  let service: AccountsService
  let registry: AdminCommandRegistry
  let auditSink: any AdminAuditSink
  let clock: TestClock
  let logLines: LogLines

  static func with(
    policy: PasswordPolicy = testPasswordPolicy,
    throttle: ThrottlePolicy = ThrottlePolicy(base: .milliseconds(1), maximum: .milliseconds(4)),
    allowLoopbackWebhooks: Bool = false,
    _ body: (AccountsHarness) async throws -> Void
  ) async throws {
    try await TestDatabase.with { testDatabase in
      let pool = PostgresPool(
        configuration: try PostgresConfiguration(url: testDatabase.url(as: .app)),
        maxConnections: 4)
      let clock = TestClock()
      let logLines = LogLines()
      let configuration = AccountsConfiguration(
        passwordPolicy: policy, throttle: throttle, now: { clock.now },
        log: { logLines.append($0) },
        webhookGuard: WebhookTargetGuard(
          allowedNetworks: allowLoopbackWebhooks ? [try IPNetwork("127.0.0.1/32")] : []))
      let database = Database(pool: pool)
      let service = AccountsService(database: database, configuration: configuration)
      var registry = AdminCommandRegistry(table: .admin)
      service.register(into: &registry)
      let harness = AccountsHarness(
        testDatabase: testDatabase, database: database, service: service, registry: registry,
        auditSink: service.auditSink, clock: clock, logLines: logLines)
      do {
        try await body(harness)
      } catch {
        await pool.shutdown()
        throw error
      }
      await pool.shutdown()
    }
  }

  func session(address: String = "192.0.2.7", certificateSubject: String? = nil) -> TestSession {
    TestSession(
      harness: self,
      peer: PeerInfo(address: address, port: 40_000, clientCertificateSubject: certificateSubject))
  }

  // MARK: Seeding (as the run-time role, the way the daemon writes)

  func hash(_ password: String, policy: PasswordPolicy? = nil) throws -> String {
    try PasswordHasher(policy: policy ?? service.configuration.passwordPolicy).hash(password)
  }

  func seedOperator(_ login: String, password: String, mustChange: Bool = false) async throws {
    let hash = try hash(password)
    try await database.withInstallationScope { connection in
      try await connection.query(
        """
        insert into charter.operators (login, display_name, password_hash, must_change_password)
        values ($1, $1, $2, $3)
        """, [login, hash, mustChange])
    }
  }

  @discardableResult
  func seedTenant(_ slug: String) async throws -> TenantID {
    let id = TenantID(UUID())
    try await database.withInstallationScope { connection in
      try await connection.query(
        "insert into charter.tenants (id, slug, name) values ($1, $2, $3)",
        [id, slug, "联盟 \(slug)"])
    }
    return id
  }

  func seedAdministrator(
    _ login: String, in tenant: TenantID, role: String = "secretariat", password: String,
    passwordHash: String? = nil, disabled: Bool = false, certificate: String? = nil
  ) async throws {
    let hash = try passwordHash ?? hash(password)
    try await database.withTenant(tenant) { connection in
      try await connection.query(
        """
        insert into charter.tenant_administrators
            (tenant_id, login, display_name, role, password_hash, disabled, certificate_subject)
        values ($1, $2, $2, $3, $4, $5, $6)
        """, [tenant, login, role, hash, disabled, certificate])
    }
  }

  // MARK: Reading back

  struct AuditRow: Sendable {
    var actor: String
    var command: String
    var outcome: String
    var detail: String
  }

  func tenantAudit(_ tenant: TenantID) async throws -> [AuditRow] {
    try await database.withTenant(tenant) { connection in
      try await Self.auditRows(
        connection,
        "select actor, command, outcome, detail::text from charter.audit_log order by id")
    }
  }

  func installationAudit() async throws -> [AuditRow] {
    try await database.withInstallationScope { connection in
      try await Self.auditRows(
        connection,
        "select actor, command, outcome, detail::text from charter.installation_audit_log order by id"
      )
    }
  }

  private static func auditRows(_ connection: PostgresConnection, _ sql: String) async throws
    -> [AuditRow]
  {
    try await connection.query(sql, []).rows.map { row in
      AuditRow(
        actor: try row.decode(0, as: String.self), command: try row.decode(1, as: String.self),
        outcome: try row.decode(2, as: String.self), detail: try row.decode(3, as: String.self))
    }
  }

  func administratorHash(_ login: String, in tenant: TenantID) async throws -> String? {
    try await database.withTenant(tenant) { connection in
      try await connection.query(
        "select password_hash from charter.tenant_administrators where login = $1", [login]
      ).rows.first?.decode(0, as: String?.self)
    }
  }

  func operatorHash(_ login: String) async throws -> String? {
    try await database.withInstallationScope { connection in
      try await connection.query(
        "select password_hash from charter.operators where login = $1", [login]
      ).rows.first?.decode(0, as: String?.self)
    }
  }
}

final class LogLines: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []

  func append(_ line: String) { lock.withLock { lines.append(line) } }
  var all: [String] { lock.withLock { lines } }
}

/// One admin session driven in memory through `InProcessSession`, the protocol's own state
/// machine (so the command table's access checks and the denials it reports run exactly as in
/// the daemon), with the handlers and audit sink of the harness, and no network.
final class TestSession {
  let harness: AccountsHarness
  let peer: PeerInfo
  private let session: InProcessSession

  init(harness: AccountsHarness, peer: PeerInfo) {
    self.harness = harness
    self.peer = peer
    var limits = SessionLimits()
    // The tests make many failed attempts on purpose; the error limits are the server's
    // business and tested there.
    limits.softErrorLimit = 100_000
    limits.hardErrorLimit = 100_001
    session = InProcessSession(
      registry: harness.registry, auditSink: harness.auditSink, peer: peer, limits: limits)
  }

  var principal: Principal? { session.principal }
  var tenant: String? { session.tenant }

  /// Sends one request line; returns the reply as it would go on the wire.
  @discardableResult
  func send(_ line: String) async -> String {
    await session.send(line)
  }

  /// The status line of the reply (its last line).
  func status(_ line: String) async -> String {
    let reply = await send(line)
    return reply.split(separator: "\n").last.map(String.init) ?? ""
  }
}
