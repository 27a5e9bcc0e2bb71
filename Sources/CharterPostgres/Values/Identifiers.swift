public import Foundation

// uuid <-> UUID, 16 bytes in binary form.

extension UUID: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    bindings.appendBinary(type: PostgresTypeOID.uuid) { bytes in
      withUnsafeBytes(of: uuid) { bytes.append(contentsOf: $0) }
    }
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> UUID {
    try cell.require(PostgresTypeOID.uuid, decoding: UUID.self)
    return try cell.withBytes(as: UUID.self) { (bytes) throws(PostgresDecodingError) -> UUID in
      guard let value = decodeUUID(bytes) else { throw cell.error(.malformed, decoding: UUID.self) }
      return value
    }
  }

  static func decodeUUID(_ bytes: UnsafeRawBufferPointer) -> UUID? {
    guard bytes.count == 16 else { return nil }
    var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: bytes) }
    return UUID(uuid: value)
  }
}
