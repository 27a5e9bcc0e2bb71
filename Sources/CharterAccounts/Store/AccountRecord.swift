import CharterPostgres
import Foundation

/// One row of `operators` or `tenant_administrators`, as login and the ADMIN commands read it.
struct AccountRecord: Sendable {
  var id: UUID
  var login: String
  var displayName: String
  /// `operator`, or the tenant role.
  var role: String
  var passwordHash: String?
  var disabled: Bool
  var mustChangePassword: Bool
  var lockedUntil: Date?
  var certificateSubject: String?
  var lastLoginAt: Date?

  func isLocked(at now: Date) -> Bool {
    guard let lockedUntil else { return false }
    return lockedUntil > now
  }

  init(row: PostgresRow) throws {
    id = try row.decode("id", as: UUID.self)
    login = try row.decode("login", as: String.self)
    displayName = try row.decode("display_name", as: String.self)
    role = try row.decode("role", as: String.self)
    passwordHash = try row.decode("password_hash", as: String?.self)
    disabled = try row.decode("disabled", as: Bool.self)
    mustChangePassword = try row.decode("must_change_password", as: Bool.self)
    lockedUntil = try row.decode("locked_until", as: Date?.self)
    certificateSubject = try row.decode("certificate_subject", as: String?.self)
    lastLoginAt = try row.decode("last_login_at", as: Date?.self)
  }
}
