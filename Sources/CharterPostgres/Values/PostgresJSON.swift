/// A jsonb (or json) value as its raw JSON text. Encoding and parsing the JSON is the caller's
/// business; this type only carries it across unchanged.
public struct PostgresJSON: Sendable, Hashable, CustomStringConvertible {
  public var text: String

  public init(_ text: String) {
    self.text = text
  }

  public var description: String { text }
}

extension PostgresJSON: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    bindings.appendText(text, type: PostgresTypeOID.jsonb)
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> PostgresJSON {
    try cell.require(PostgresTypeOID.jsonb, PostgresTypeOID.json, decoding: PostgresJSON.self)
    let isBinaryJSONB = cell.typeOID == PostgresTypeOID.jsonb
    return try cell.withBytes(as: PostgresJSON.self) {
      (bytes) throws(PostgresDecodingError) -> PostgresJSON in
      var reader = BinaryReader(bytes)
      // jsonb's binary form is a version byte (1) and the text.
      if isBinaryJSONB {
        guard reader.read(UInt8.self) == 1 else {
          throw cell.error(.malformed, decoding: PostgresJSON.self)
        }
      }
      guard let body = reader.readBytes(reader.remaining),
        let text = String(validating: body, as: UTF8.self)
      else { throw cell.error(.malformed, decoding: PostgresJSON.self) }
      return PostgresJSON(text)
    }
  }
}
