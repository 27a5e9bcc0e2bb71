/// A value that can be bound to a `$n` parameter. Conforming here: String, Substring, Int,
/// Int32, Int64, Bool, Double, Decimal (numeric), Date (timestamptz), PostgresDate (date), UUID,
/// PostgresJSON (jsonb), PostgresBytes and [UInt8] (bytea), [String] (text[]), [Int] (bigint[]),
/// [UUID] (uuid[]), and Optional of any of them (nil binds NULL).
///
/// Another module's type conforms by delegating, e.g. `func encode(into b: inout PostgresBindings) { uuid.encode(into: &b) }`.
public protocol PostgresEncodable: Sendable {
  func encode(into bindings: inout PostgresBindings)
}

/// A value that can be read from a result column. The same set of types as `PostgresEncodable`.
/// Decoding a NULL into a non-Optional, or a column whose PostgreSQL type does not match,
/// throws `PostgresDecodingError`; it never traps.
public protocol PostgresDecodable: Sendable {
  static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> Self
}

public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
  public func encode(into bindings: inout PostgresBindings) {
    switch self {
    case .some(let value): value.encode(into: &bindings)
    case .none: bindings.appendNull(type: PostgresTypeOID.unspecified)
    }
  }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> Wrapped? {
    if cell.isNull { return nil }
    return try Wrapped.decode(from: cell)
  }
}
