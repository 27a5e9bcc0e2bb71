import CharterDelivery
import CharterPostgres
import CharterStore
import CharterTestSupport
import Foundation
import Testing

/// A migrated test database with one tenant, the run-time pool, and helpers to write
/// deliveries and settings in that tenant's transactions.
struct DeliveryFixture: Sendable {
  let database: TestDatabase
  let app: Database
  let tenant: TenantID

  static func with(_ body: (DeliveryFixture) async throws -> Void) async throws {
    try await TestDatabase.with { database in
      let pool = PostgresPool(
        configuration: try PostgresConfiguration(url: database.url(as: .app)), maxConnections: 6)
      let app = Database(pool: pool)
      do {
        let tenant = TenantID(UUID())
        try await app.withInstallationScope { connection in
          try await connection.query(
            "insert into charter.tenants (id, slug, name) values ($1, $2, $3)",
            [tenant, "t-\(tenant.description.prefix(8))", "人工智能产业联盟"])
        }
        try await body(DeliveryFixture(database: database, app: app, tenant: tenant))
      } catch {
        await pool.shutdown()
        throw error
      }
      await pool.shutdown()
    }
  }

  func save(_ settings: DeliverySettings) async throws {
    try await app.withTenant(tenant) { try await settings.save(on: $0) }
  }

  @discardableResult
  func enqueue(_ delivery: NewDelivery) async throws -> UUID {
    let result = try await app.withTenant(tenant) { try await Outbox.enqueue(delivery, on: $0) }
    guard case .created(let id) = result else {
      throw SinkStartFailed(description: "delivery \(delivery.noticeKey) was a duplicate")
    }
    return id
  }

  func smtpSettings(port: Int) -> DeliverySettings {
    DeliverySettings(
      smtpURL: "smtp://127.0.0.1:\(port)", smtpSecurity: .none,
      mailFrom: "secretariat@aitisa.example", mailFromName: "联盟秘书处",
      messageIDDomain: "aitisa.example")
  }

  /// A schedule for tests: retries after 0.3 s (doubling, capped at 1 s), no jitter.
  static let quickRetries = DeliveryRetrySchedule(
    firstDelay: .milliseconds(300), maximumDelay: .seconds(1), jitter: 0)

  func sender(allowLoopbackWebhooks: Bool = true) throws -> OutboxSender {
    let guardrail = WebhookTargetGuard(
      allowedNetworks: allowLoopbackWebhooks ? [try IPNetwork("127.0.0.1/32")] : [])
    return OutboxSender(
      database: app,
      configuration: OutboxSenderConfiguration(
        instanceID: "test-sender", lease: .seconds(60), retrySchedule: Self.quickRetries),
      smtp: SMTPTransport(connectTimeout: .seconds(5), replyTimeout: .seconds(20)),
      webhooks: WebhookTransport(guardrail: guardrail, timeout: .seconds(10)))
  }

  func state(of id: UUID) async throws -> String {
    try await app.withTenant(tenant) { connection in
      try await connection.query("select state from charter.notice_outbox where id = $1", [id])
        .scalar(as: String.self)
    }
  }
}
