public import CharterPostgres

/// Why migrations did not run. Each case names the file or version at fault; `description` is
/// the message the daemon prints before it stops.
public enum MigrationError: Error, Sendable, CustomStringConvertible {
  /// An applied file was changed afterwards. Applied files are immutable: add a new file.
  case checksumMismatch(file: String, recorded: String, current: String)
  /// The database records a version whose file is no longer in the directory.
  case missingFile(version: Int, name: String)
  /// The database records a version newer than every file here: a newer release migrated it.
  case unknownAppliedVersion(version: Int, name: String)
  /// A new file numbered below one already applied: it would run after later files.
  case outOfOrder(file: String, newestApplied: Int)
  case invalidFileName(file: String)
  case duplicateVersion(Int, files: [String])
  case unreadableDirectory(path: String, reason: String)
  case unreadableFile(file: String)
  case notUTF8(file: String)
  /// The file's SQL failed; its transaction was rolled back and nothing of it was applied.
  case fileFailed(file: String, error: PostgresError)

  public var description: String {
    switch self {
    case .checksumMismatch(let file, let recorded, let current):
      "migration \(file) was changed after it was applied (recorded sha256 \(recorded), "
        + "file now \(current)); applied migrations must not change: restore it and add a new file"
    case .missingFile(let version, let name):
      "migration \(version) (\(name)) is applied in the database but its file is missing"
    case .unknownAppliedVersion(let version, let name):
      "the database has migration \(version) (\(name)), newer than any file here: "
        + "it was migrated by a newer release"
    case .outOfOrder(let file, let newestApplied):
      "migration \(file) is not applied but numbered below the applied migration "
        + "\(newestApplied): renumber it after the newest"
    case .invalidFileName(let file):
      "\(file): migration files are named NNNN_lower_case_name.sql"
    case .duplicateVersion(let version, let files):
      "migration version \(version) is used by more than one file: \(files.joined(separator: ", "))"
    case .unreadableDirectory(let path, let reason):
      "cannot list the migrations directory \(path): \(reason)"
    case .unreadableFile(let file):
      "cannot read migration \(file)"
    case .notUTF8(let file):
      "migration \(file) is not UTF-8"
    case .fileFailed(let file, let error):
      "migration \(file) failed and was rolled back: \(error)"
    }
  }
}
