public import CharterPostgres

/// The run-time database: a pool of connections as the runtime role, and the only doors to the
/// data, each a transaction that states whose rows it works on. Row-level security
/// (SQL/0001_foundation.sql) shows a transaction nothing unless one of these set its context.
public final class Database: Sendable {
  public let pool: PostgresPool

  public init(pool: PostgresPool) {
    self.pool = pool
  }

  /// Runs `body` in a transaction that sees and writes only `tenant`'s rows (plus that
  /// tenant's own row in `charter.tenants`). Rolls back if `body` throws.
  public func withTenant<T: Sendable>(
    _ tenant: TenantID,
    isolation: PostgresIsolationLevel = .readCommitted,
    _ body: (PostgresConnection) async throws -> T
  ) async throws -> T {
    try await pool.transaction(
      isolation: isolation, settings: [TenancySettings.tenant: tenant.description], body)
  }

  /// Runs `body` in a transaction with installation scope: the installation-level tables
  /// (tenants, operators, the installation audit log) are open; tenant tables show nothing.
  /// An operator command that needs a tenant's data calls `withTenant` for that tenant.
  public func withInstallationScope<T: Sendable>(
    isolation: PostgresIsolationLevel = .readCommitted,
    _ body: (PostgresConnection) async throws -> T
  ) async throws -> T {
    try await pool.transaction(
      isolation: isolation,
      settings: [TenancySettings.scope: TenancySettings.installationScope], body)
  }
}
