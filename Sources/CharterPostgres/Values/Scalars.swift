// Text, integers, booleans and floating point.

extension String: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    // Unspecified type: the server infers it from context, so a String also binds to
    // varchar, enum or citext columns.
    bindings.appendText(self, type: PostgresTypeOID.unspecified)
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> String {
    let oid = cell.typeOID
    switch oid {
    case PostgresTypeOID.text, PostgresTypeOID.varchar, PostgresTypeOID.bpchar,
      PostgresTypeOID.name,
      PostgresTypeOID.unknown, PostgresTypeOID.char:
      break
    default:
      // Enums and text-like extension types send their text as binary form.
      guard oid >= PostgresTypeOID.firstUserDefined else {
        throw cell.error(.typeMismatch, decoding: String.self)
      }
    }
    return try cell.withBytes(as: String.self) { (bytes) throws(PostgresDecodingError) -> String in
      guard let text = String(validating: bytes, as: UTF8.self) else {
        throw cell.error(.malformed, decoding: String.self)
      }
      return text
    }
  }
}

extension Substring: PostgresEncodable {
  public func encode(into bindings: inout PostgresBindings) {
    String(self).encode(into: &bindings)
  }
}

extension FixedWidthInteger {
  /// Reads int2, int4 or int8 and narrows to `Self`, throwing when the value does not fit.
  static func decodePostgresInteger(from cell: PostgresCell, allowingInt8 allowsInt8: Bool)
    throws(PostgresDecodingError)
    -> Self
  {
    let oid = cell.typeOID
    guard
      oid == PostgresTypeOID.int2 || oid == PostgresTypeOID.int4
        || (allowsInt8 && oid == PostgresTypeOID.int8)
    else {
      throw cell.error(.typeMismatch, decoding: Self.self)
    }
    return try cell.withBytes(as: Self.self) { (bytes) throws(PostgresDecodingError) -> Self in
      var reader = BinaryReader(bytes)
      let wide: Int64?
      switch bytes.count {
      case 2: wide = reader.read(Int16.self).map(Int64.init)
      case 4: wide = reader.read(Int32.self).map(Int64.init)
      case 8: wide = reader.read(Int64.self)
      default: wide = nil
      }
      guard let wide, let value = Self(exactly: wide) else {
        throw cell.error(.malformed, decoding: Self.self)
      }
      return value
    }
  }
}

extension Int: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    bindings.appendBinary(type: PostgresTypeOID.int8) { $0.appendBigEndian(Int64(self)) }
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> Int {
    try decodePostgresInteger(
      from: cell, allowingInt8: true)
  }
}

extension Int64: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    bindings.appendBinary(type: PostgresTypeOID.int8) { $0.appendBigEndian(self) }
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> Int64 {
    try decodePostgresInteger(
      from: cell, allowingInt8: true)
  }
}

extension Int32: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    bindings.appendBinary(type: PostgresTypeOID.int4) { $0.appendBigEndian(self) }
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> Int32 {
    try decodePostgresInteger(from: cell, allowingInt8: false)
  }
}

extension Bool: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    bindings.appendBinary(type: PostgresTypeOID.bool) { $0.append(self ? 1 : 0) }
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> Bool {
    try cell.require(PostgresTypeOID.bool, decoding: Bool.self)
    return try cell.withBytes(as: Bool.self) { (bytes) throws(PostgresDecodingError) -> Bool in
      guard bytes.count == 1 else { throw cell.error(.malformed, decoding: Bool.self) }
      return bytes[0] != 0
    }
  }
}

extension Double: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    bindings.appendBinary(type: PostgresTypeOID.float8) { $0.appendBigEndian(self.bitPattern) }
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> Double {
    try cell.require(PostgresTypeOID.float8, PostgresTypeOID.float4, decoding: Double.self)
    return try cell.withBytes(as: Double.self) { (bytes) throws(PostgresDecodingError) -> Double in
      var reader = BinaryReader(bytes)
      switch bytes.count {
      case 8: if let bits = reader.read(UInt64.self) { return Double(bitPattern: bits) }
      case 4: if let bits = reader.read(UInt32.self) { return Double(Float(bitPattern: bits)) }
      default: break
      }
      throw cell.error(.malformed, decoding: Double.self)
    }
  }
}
