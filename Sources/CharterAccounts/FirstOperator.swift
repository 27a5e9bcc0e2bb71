public import CharterCrypto
import CharterPostgres
public import CharterStore
public import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The first operator of a new installation (issue 3 item 5): at the first start, when no
/// operator exists, operator `admin` is created with a random one-time password, written to
/// `<data>/initial-operator-password` (mode 0600, the password and a newline). Logging in
/// with it allows nothing but ADMIN PASSWD, WHOAMI, HELP, PING, LOGOUT and QUIT until the
/// password is changed; once it is, the next start removes the file.
public enum FirstOperator {
  public static let login = "admin"
  public static let passwordFileName = "initial-operator-password"

  public struct FileError: Error, CustomStringConvertible {
    public let path: String
    public let errno: Int32
    public var description: String {
      "cannot write \(path): \(String(cString: strerror(errno)))"
    }
  }

  /// Creates the first operator if there is none and returns the password file's URL; nil
  /// when operators exist already. Safe when two daemons start at once (an advisory lock).
  public static func ensure(
    database: Database, dataDirectory: URL, passwordPolicy: PasswordPolicy = .current
  ) async throws -> URL? {
    let file = dataDirectory.appendingPathComponent(passwordFileName)
    let work = PasswordWork(hasher: PasswordHasher(policy: passwordPolicy), maxConcurrent: 1)
    let state = try await database.withInstallationScope { connection in
      let result = try await connection.query(
        """
        select count(*)::bigint,
               coalesce(bool_or(login = $1 and must_change_password), false)
        from charter.operators
        """, [login])
      guard let row = result.rows.first else { return (0, false) }
      return (try row.decode(0, as: Int.self), try row.decode(1, as: Bool.self))
    }
    if state.0 > 0 {
      // The one-time password was changed: the file is of no use any more.
      if !state.1 { try? FileManager.default.removeItem(at: file) }
      return nil
    }
    let password = try OneTimePassword.generate(groups: 4)
    let hash = try await work.hash(password)
    return try await database.withInstallationScope { connection in
      try await connection.query(
        "select pg_advisory_xact_lock(hashtext('charter.first-operator'))", [])
      let count = try await connection.query("select count(*)::bigint from charter.operators", [])
      guard try count.scalar(as: Int.self) == 0 else { return nil }
      try await connection.query(
        """
        insert into charter.operators (login, display_name, password_hash, must_change_password)
        values ($1, 'Installation operator', $2, true)
        """, [login, hash])
      try await AuditLog.append(
        AuditEntry(
          actor: "charterd", actorKind: .system, command: "FIRST OPERATOR \(login)",
          outcome: .succeeded, detail: ["note": "one-time password written to \(passwordFileName)"]),
        to: .installation(targetTenant: nil), on: connection)
      // Written before COMMIT: if the file cannot be written the operator is not created,
      // and the next start tries again.
      try writePrivately(password + "\n", to: file)
      return file
    }
  }

  /// Writes `text` to a file only its owner can read, created with mode 0600 (never wider,
  /// not even for a moment) and forced to 0600 if it existed.
  static func writePrivately(_ text: String, to file: URL) throws {
    let path = file.path
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard descriptor >= 0 else { throw FileError(path: path, errno: errno) }
    defer { close(descriptor) }
    guard fchmod(descriptor, 0o600) == 0 else { throw FileError(path: path, errno: errno) }
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
      let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      if result < 0 {
        if errno == EINTR { continue }
        throw FileError(path: path, errno: errno)
      }
      written += result
    }
    guard fsync(descriptor) == 0 else { throw FileError(path: path, errno: errno) }
  }
}
