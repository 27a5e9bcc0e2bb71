public import CharterPostgres
public import Foundation

/// A migration recorded in `charter.schema_migrations`.
public struct AppliedMigration: Sendable, Equatable {
  public var version: Int
  public var name: String
  public var checksum: String
  public var appliedAt: Date
}

/// What `charterd migrate --status` lists.
public struct MigrationStatus: Sendable {
  public var applied: [AppliedMigration]
  public var pending: [MigrationFile]

  /// One line per migration, applied ones first, e.g.
  /// `applied  0001_foundation  2026-11-21T06:20:52Z` and `pending  0002_meetings`.
  public var lines: [String] {
    applied.map {
      "applied  \(Self.label($0.version, $0.name))  \($0.appliedAt.formatted(.iso8601))"
    }
      + pending.map { "pending  \(Self.label($0.version, $0.name))" }
  }

  static func label(_ version: Int, _ name: String) -> String {
    let digits = String(version)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name
  }
}

/// Applies the numbered SQL files of a directory in order, each in its own transaction, and
/// records each with the sha256 of its text. Runs as the owner role (a migration URL whose user
/// is charter_owner). Two daemons starting at once never migrate together: every transaction
/// takes the same transaction-scoped advisory lock and re-reads what is applied under it.
public struct MigrationRunner: Sendable {
  public let directory: URL
  public let connection: PostgresConnection

  public init(directory: URL, connection: PostgresConnection) {
    self.directory = directory
    self.connection = connection
  }

  /// Applied and pending migrations. Verifies the files first: throws the first problem
  /// (a changed, missing or unknown file) that `apply()` would stop on. Writes nothing.
  public func status() async throws -> MigrationStatus {
    let files = try MigrationFile.load(from: directory)
    let applied = try await Self.appliedMigrations(on: connection)
    let checksums = try await checksums(of: files)
    let pending = try Self.pendingFiles(files, checksums: checksums, applied: applied)
    return MigrationStatus(applied: applied, pending: pending)
  }

  /// The files `apply()` would run, in order (`--dry-run`).
  public func pending() async throws -> [MigrationFile] {
    try await status().pending
  }

  /// Applies every pending file, each in its own transaction; returns the files it ran (none
  /// when the database is current). A file that fails rolls back alone: the files before it
  /// stay applied, and the error names it.
  @discardableResult
  public func apply() async throws -> [MigrationFile] {
    let files = try MigrationFile.load(from: directory)
    let checksums = try await checksums(of: files)
    try await connection.transaction { connection in
      try await Self.lock(connection)
      try await connection.executeScript(Self.bookkeepingDDL)
    }
    var ran: [MigrationFile] = []
    while true {
      let next: MigrationFile? = try await connection.transaction { connection in
        try await Self.lock(connection)
        let applied = try await Self.appliedMigrations(on: connection)
        let pending = try Self.pendingFiles(files, checksums: checksums, applied: applied)
        guard let file = pending.first else { return nil }
        do {
          try await connection.executeScript(file.sql)
        } catch let error as PostgresError {
          throw MigrationError.fileFailed(file: file.fileName, error: error)
        }
        try await connection.query(
          """
          insert into charter.schema_migrations (version, name, checksum)
          values ($1::integer, $2, $3)
          """,
          [file.version, file.name, checksums[file.version] ?? ""])
        return file
      }
      guard let next else { return ran }
      ran.append(next)
    }
  }

  // MARK: - Pieces

  /// Key of the advisory lock: "CHAR" in ASCII, and 1 for migrations.
  static let lockKey: (Int32, Int32) = (0x4348_4152, 1)

  static let bookkeepingDDL = """
    create schema if not exists charter;
    create table if not exists charter.schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now(),
        applied_by text not null default current_user
    );
    """

  static func lock(_ connection: PostgresConnection) async throws {
    try await connection.query(
      "select pg_advisory_xact_lock($1::integer, $2::integer)",
      [Int(lockKey.0), Int(lockKey.1)])
  }

  static func appliedMigrations(on connection: PostgresConnection) async throws
    -> [AppliedMigration]
  {
    let exists = try await connection.query(
      "select to_regclass('charter.schema_migrations') is not null", [])
    guard let row = exists.rows.first, try row.decode(0, as: Bool.self) else { return [] }
    let result = try await connection.query(
      "select version::bigint, name, checksum, applied_at from charter.schema_migrations order by version",
      [])
    return try result.rows.map { row in
      AppliedMigration(
        version: try row.decode(0, as: Int.self), name: try row.decode(1, as: String.self),
        checksum: try row.decode(2, as: String.self),
        appliedAt: try row.decode(3, as: Date.self))
    }
  }

  /// sha256 of each file's text, computed by PostgreSQL (no hashing dependency in Swift).
  func checksums(of files: [MigrationFile]) async throws -> [Int: String] {
    var checksums: [Int: String] = [:]
    for file in files {
      let result = try await connection.query(
        "select encode(sha256(convert_to($1, 'UTF8')), 'hex')", [file.sql])
      guard let row = result.rows.first else { continue }
      checksums[file.version] = try row.decode(0, as: String.self)
    }
    return checksums
  }

  /// Checks what is applied against the files, then returns the files not yet applied.
  static func pendingFiles(
    _ files: [MigrationFile], checksums: [Int: String], applied: [AppliedMigration]
  ) throws(MigrationError) -> [MigrationFile] {
    let newestFile = files.last?.version ?? 0
    for record in applied {
      guard let file = files.first(where: { $0.version == record.version }) else {
        if record.version > newestFile {
          throw .unknownAppliedVersion(version: record.version, name: record.name)
        }
        throw .missingFile(version: record.version, name: record.name)
      }
      let current = checksums[file.version] ?? ""
      if current != record.checksum {
        throw .checksumMismatch(file: file.fileName, recorded: record.checksum, current: current)
      }
    }
    let appliedVersions = Set(applied.map(\.version))
    let pending = files.filter { !appliedVersions.contains($0.version) }
    if let newestApplied = appliedVersions.max(),
      let early = pending.first(where: { $0.version < newestApplied })
    {
      throw .outOfOrder(file: early.fileName, newestApplied: newestApplied)
    }
    return pending
  }
}
