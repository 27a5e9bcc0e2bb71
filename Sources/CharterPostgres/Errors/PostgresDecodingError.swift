/// Decoding a column into a Swift type failed: the column is NULL but the type is not
/// Optional, the column's PostgreSQL type does not match, or the bytes are malformed.
/// Never contains the value itself, so it is safe to log.
public struct PostgresDecodingError: Error, Sendable, CustomStringConvertible, Equatable {
  public enum Kind: String, Sendable, Equatable {
    case unexpectedNull
    case typeMismatch
    case malformed
    case columnNotFound
  }

  public var kind: Kind
  /// The column's name or index, as the caller asked for it.
  public var column: String
  /// The Swift type asked for.
  public var swiftType: String
  /// The column's PostgreSQL type OID.
  public var postgresTypeOID: UInt32

  public init(kind: Kind, column: String, swiftType: String, postgresTypeOID: UInt32) {
    self.kind = kind
    self.column = column
    self.swiftType = swiftType
    self.postgresTypeOID = postgresTypeOID
  }

  public var description: String {
    switch kind {
    case .unexpectedNull:
      "column \(column) is NULL; decode it as \(swiftType)? instead of \(swiftType)"
    case .typeMismatch:
      "column \(column) has PostgreSQL type \(PostgresTypeOID.name(of: postgresTypeOID)) "
        + "(oid \(postgresTypeOID)), which does not decode as \(swiftType)"
    case .malformed:
      "column \(column) of type \(PostgresTypeOID.name(of: postgresTypeOID)) holds bytes "
        + "that are not a valid \(swiftType)"
    case .columnNotFound:
      "no column \(column) in the result"
    }
  }
}
