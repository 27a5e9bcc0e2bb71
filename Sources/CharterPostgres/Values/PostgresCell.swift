/// One value of one row, as handed to `PostgresDecodable.decode(from:)`. Its bytes are in
/// PostgreSQL's binary format and live as long as the result.
public struct PostgresCell: Sendable {
  let result: LibPQResult
  let row: Int
  let column: Int

  public var isNull: Bool { result.isNull(row: row, column: column) }

  /// The column's PostgreSQL type OID.
  public var typeOID: UInt32 { result.typeOID(column: column) }

  /// The column's name, or its index when unnamed.
  public var columnLabel: String {
    if let name = result.columnName(column), !name.isEmpty, name != "?column?" { return name }
    return "#\(column)"
  }

  /// The value's bytes, or an `unexpectedNull` error. Valid only inside `body`.
  func withBytes<T, Value>(
    as type: T.Type, _ body: (UnsafeRawBufferPointer) throws(PostgresDecodingError) -> Value
  ) throws(PostgresDecodingError) -> Value {
    guard !isNull else { throw error(.unexpectedNull, decoding: type) }
    let bytes = result.bytes(row: row, column: column)
    return try withExtendedLifetime(result) { () throws(PostgresDecodingError) -> Value in
      try body(bytes)
    }
  }

  /// Throws a type mismatch unless the column has one of `accepted` types.
  /// (Fixed arities instead of a variadic: decoding is on every query's path and a variadic
  /// allocates an array per call.)
  func require<T>(_ accepted: UInt32, decoding type: T.Type) throws(PostgresDecodingError) {
    guard typeOID == accepted else { throw error(.typeMismatch, decoding: type) }
  }

  func require<T>(_ first: UInt32, _ second: UInt32, decoding type: T.Type)
    throws(PostgresDecodingError)
  {
    let oid = typeOID
    guard oid == first || oid == second else { throw error(.typeMismatch, decoding: type) }
  }

  func error<T>(_ kind: PostgresDecodingError.Kind, decoding type: T.Type) -> PostgresDecodingError
  {
    PostgresDecodingError(
      kind: kind, column: columnLabel, swiftType: String(describing: type), postgresTypeOID: typeOID
    )
  }
}

/// Big-endian reads from a binary value, with bounds checks that throw instead of trapping.
struct BinaryReader {
  let bytes: UnsafeRawBufferPointer
  var offset = 0

  init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  var remaining: Int { bytes.count - offset }

  mutating func read<Integer: FixedWidthInteger>(_ type: Integer.Type) -> Integer? {
    let size = MemoryLayout<Integer>.size
    guard remaining >= size else { return nil }
    let value = Integer(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Integer.self))
    offset += size
    return value
  }

  mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer? {
    guard count >= 0, remaining >= count else { return nil }
    let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    offset += count
    return slice
  }
}

extension Array where Element == UInt8 {
  mutating func appendBigEndian<Integer: FixedWidthInteger>(_ value: Integer) {
    Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
  }
}
