public import CharterPostgres
public import CharterStore
public import Foundation

/// A delivery as the operator and the tenant's secretariat see it (never a secret: those live
/// in the settings, not in the outbox).
public struct OutboxEntry: Sendable, Equatable {
  public let id: UUID
  public let noticeKey: String
  public let channel: String
  public let recipient: String
  public let subject: String
  public let state: String
  public let attempts: Int
  public let nextAttemptAt: Date
  public let lastError: String?
  public let createdAt: Date
  public let sentAt: Date?
  public let deadAt: Date?
}

/// One row of charter.notice_attempts.
public struct DeliveryAttempt: Sendable, Equatable {
  public let attempt: Int
  public let attemptedAt: Date
  public let channel: String
  /// `sent`, `retry` or `dead`.
  public let outcome: String
  /// The server's answer (SMTP code and text, HTTP status and body), or why nothing was sent.
  public let reply: String
}

/// The queries behind the operator's and the secretariat's view of deliveries, each scoped to
/// one tenant (like JobAdministration: no cross-tenant listing).
public struct DeliveryAdministration: Sendable {
  public let database: Database

  public init(database: Database) { self.database = database }

  /// Deliveries of `tenant` in `states` (all when empty), newest first.
  public func list(tenant: TenantID, states: [String] = [], limit: Int = 100) async throws
    -> [OutboxEntry]
  {
    try await database.withTenant(tenant) { connection in
      let result = try await connection.query(
        """
        select id, notice_key, channel, recipient, subject, state, attempts, next_attempt_at,
               last_error, created_at, sent_at, dead_at
        from charter.notice_outbox
        where cardinality($1::text[]) = 0 or state = any ($1::text[])
        order by created_at desc, id
        limit $2
        """, [states, min(max(limit, 1), 1000)])
      return try result.rows.map { row in
        OutboxEntry(
          id: try row.decode(0), noticeKey: try row.decode(1), channel: try row.decode(2),
          recipient: try row.decode(3), subject: try row.decode(4), state: try row.decode(5),
          attempts: try row.decode(6), nextAttemptAt: try row.decode(7),
          lastError: try row.decode(8), createdAt: try row.decode(9), sentAt: try row.decode(10),
          deadAt: try row.decode(11))
      }
    }
  }

  /// Deliveries given up on: what the secretariat must see and act upon.
  public func dead(tenant: TenantID, limit: Int = 100) async throws -> [OutboxEntry] {
    try await list(tenant: tenant, states: ["dead"], limit: limit)
  }

  /// Every attempt of one delivery, oldest first.
  public func attempts(tenant: TenantID, outboxID: UUID) async throws -> [DeliveryAttempt] {
    try await database.withTenant(tenant) { connection in
      let result = try await connection.query(
        """
        select attempt, attempted_at, channel, outcome, reply from charter.notice_attempts
        where outbox_id = $1 order by id
        """, [outboxID])
      return try result.rows.map { row in
        DeliveryAttempt(
          attempt: try row.decode(0), attemptedAt: try row.decode(1), channel: try row.decode(2),
          outcome: try row.decode(3), reply: try row.decode(4))
      }
    }
  }

  /// A dead delivery is sent again now (after the settings were fixed): its lifetime counts
  /// from now. Returns false when the delivery is not dead.
  public func retry(tenant: TenantID, id: UUID) async throws -> Bool {
    try await database.withTenant(tenant) { try await Self.retry(id: id, on: $0) }
  }

  /// `retry(tenant:id:)` inside a tenant transaction the caller holds, so that the caller's
  /// audit record commits with the change (or neither does).
  public static func retry(id: UUID, on connection: PostgresConnection) async throws -> Bool {
    try await connection.query(
      """
      update charter.notice_outbox
      set state = 'pending', next_attempt_at = now(), created_at = now(), dead_at = null,
          updated_at = now()
      where id = $1 and state = 'dead'
      """, [id]
    ).affectedRows == 1
  }
}
