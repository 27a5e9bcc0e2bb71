import CharterPostgres
import Foundation

/// The SQL of accounts. Every function runs on a connection already inside a transaction of
/// the account's home (`Database.transaction(in:)`); tenant statements also name
/// `charter.current_tenant()` explicitly, so they would find nothing even if row-level
/// security were off. Table names come from `AccountHome`, never from input.
enum AccountStore {
  private static let columns = """
    id, login, display_name, password_hash, disabled, must_change_password, locked_until,
    certificate_subject, last_login_at
    """

  private static func table(_ home: AccountHome) -> String {
    switch home {
    case .installation: "charter.operators"
    case .tenant: "charter.tenant_administrators"
    }
  }

  /// `where` for the home: tenant rows of the transaction's tenant only.
  private static func scope(_ home: AccountHome) -> String {
    switch home {
    case .installation: "true"
    case .tenant: "tenant_id = charter.current_tenant()"
    }
  }

  private static func roleColumn(_ home: AccountHome) -> String {
    switch home {
    case .installation: "'operator'::text as role"
    case .tenant: "role"
    }
  }

  static func find(_ login: String, in home: AccountHome, on connection: PostgresConnection)
    async throws -> AccountRecord?
  {
    let result = try await connection.query(
      "select \(columns), \(roleColumn(home)) from \(table(home)) where \(scope(home)) and login = $1",
      [login])
    return try result.rows.first.map { try AccountRecord(row: $0) }
  }

  static func list(in home: AccountHome, on connection: PostgresConnection) async throws
    -> [AccountRecord]
  {
    let result = try await connection.query(
      "select \(columns), \(roleColumn(home)) from \(table(home)) where \(scope(home)) order by login",
      [])
    return try result.rows.map { try AccountRecord(row: $0) }
  }

  static func count(in home: AccountHome, on connection: PostgresConnection) async throws -> Int {
    let result = try await connection.query(
      "select count(*)::bigint from \(table(home)) where \(scope(home))", [])
    return try result.scalar(as: Int.self)
  }

  /// Inserts an account; throws the unique violation when the login exists in the home.
  static func create(
    login: String, displayName: String, role: String, passwordHash: String,
    mustChangePassword: Bool, certificateSubject: String?, in home: AccountHome,
    on connection: PostgresConnection
  ) async throws {
    switch home {
    case .installation:
      try await connection.query(
        """
        insert into charter.operators
            (login, display_name, password_hash, must_change_password, certificate_subject)
        values ($1, $2, $3, $4, $5)
        """, [login, displayName, passwordHash, mustChangePassword, certificateSubject])
    case .tenant(let tenant):
      try await connection.query(
        """
        insert into charter.tenant_administrators
            (tenant_id, login, display_name, role, password_hash, must_change_password,
             certificate_subject)
        values ($1, $2, $3, $4, $5, $6, $7)
        """,
        [
          tenant.id, login, displayName, role, passwordHash, mustChangePassword,
          certificateSubject,
        ])
    }
  }

  /// Counts a failed password login at `now` and locks the account when the failures within
  /// the window reach the threshold. Returns the lock's end when this failure started one.
  static func recordFailedLogin(
    id: UUID, at now: Date, policy: LockoutPolicy, in home: AccountHome,
    on connection: PostgresConnection
  ) async throws -> Date? {
    let result = try await connection.query(
      """
      with recent as (
          select array(
              select t from unnest(a.recent_failed_logins || $2::timestamptz) as t
              where t > $2::timestamptz - $3::bigint * interval '1 microsecond'
              order by t desc limit $4::bigint) as failures
          from \(table(home)) a where \(scope(home)) and a.id = $1
      )
      update \(table(home)) a set
          recent_failed_logins = recent.failures,
          failed_login_count = a.failed_login_count + 1,
          last_failed_login_at = $2,
          locked_until = case when cardinality(recent.failures) >= $4::bigint
                              then $2::timestamptz + $5::bigint * interval '1 microsecond'
                              else a.locked_until end,
          updated_at = now()
      from recent
      where \(scope(home)) and a.id = $1
      returning a.locked_until
      """,
      [
        id, now, policy.window.microseconds, policy.threshold, policy.duration.microseconds,
      ])
    guard let row = result.rows.first, let lockedUntil = try row.decode(0, as: Date?.self),
      lockedUntil > now
    else { return nil }
    return lockedUntil
  }

  /// A successful login: failures forgotten, lock lifted, the time kept, and a stronger
  /// hash stored when the old one was weak.
  static func recordSuccessfulLogin(
    id: UUID, at now: Date, newPasswordHash: String?, in home: AccountHome,
    on connection: PostgresConnection
  ) async throws {
    try await connection.query(
      """
      update \(table(home)) set
          failed_login_count = 0, recent_failed_logins = '{}', locked_until = null,
          last_login_at = $2, password_hash = coalesce($3::text, password_hash), updated_at = now()
      where \(scope(home)) and id = $1
      """, [id, now, newPasswordHash])
  }

  /// Sets a password; `mustChange` when someone else set it. Lifts a lockout too.
  static func setPassword(
    id: UUID, hash: String, mustChange: Bool, in home: AccountHome,
    on connection: PostgresConnection
  ) async throws {
    try await connection.query(
      """
      update \(table(home)) set
          password_hash = $2, must_change_password = $3, failed_login_count = 0,
          recent_failed_logins = '{}', locked_until = null, updated_at = now()
      where \(scope(home)) and id = $1
      """, [id, hash, mustChange])
  }

  /// Disables or enables; enabling also lifts a lockout.
  static func setDisabled(
    id: UUID, _ disabled: Bool, in home: AccountHome, on connection: PostgresConnection
  ) async throws {
    try await connection.query(
      """
      update \(table(home)) set
          disabled = $2,
          locked_until = case when $2 then locked_until else null end,
          recent_failed_logins = case when $2 then recent_failed_logins else '{}' end,
          updated_at = now()
      where \(scope(home)) and id = $1
      """, [id, disabled])
  }
}

extension Duration {
  var microseconds: Int {
    let parts = components
    return Int(parts.seconds) * 1_000_000 + Int(parts.attoseconds / 1_000_000_000_000)
  }
}
