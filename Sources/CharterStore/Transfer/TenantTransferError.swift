/// Why a tenant export or import was refused. Every case names what the operator must fix.
public enum TenantTransferError: Error, Equatable, CustomStringConvertible {
  /// No tenant with this slug in the source database.
  case unknownTenant(slug: String)
  /// The target already has a tenant with this slug; nothing was imported.
  case tenantExists(slug: String)
  /// The file was written by a database with other applied migrations than the target's.
  case versionMismatch(file: String, database: String)
  /// The file is not a tenant export, or a line of it is damaged (1-based line number).
  case malformedFile(line: Int, reason: String)
  /// A row line names a table that is not a tenant table of this database.
  case unknownTable(line: Int, table: String)

  public var description: String {
    switch self {
    case .unknownTenant(let slug):
      "no tenant with slug '\(slug)'"
    case .tenantExists(let slug):
      "a tenant with slug '\(slug)' already exists in the target database; nothing imported"
    case .versionMismatch(let file, let database):
      "schema version mismatch: the file was exported at \(file), the target database is at "
        + "\(database); migrate both to the same version first. Nothing imported"
    case .malformedFile(let line, let reason):
      "not a usable tenant export (line \(line)): \(reason); nothing imported"
    case .unknownTable(let line, let table):
      "line \(line) names '\(table)', which is not a tenant table of the target database; "
        + "nothing imported"
    }
  }
}
