/// A bytea value. `[UInt8]` works too; this type reads better where bytes are the point.
public struct PostgresBytes: Sendable, Hashable {
  public var bytes: [UInt8]

  public init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }
}

extension PostgresBytes: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    UInt8.encodeArray(bytes, into: &bindings)
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> PostgresBytes
  {
    PostgresBytes(try UInt8.decodeArray(from: cell))
  }
}
