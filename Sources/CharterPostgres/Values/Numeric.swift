public import Foundation

// numeric <-> Decimal. Sent as text (Decimal's description is locale-independent), read in
// numeric's binary form: base-10000 digits with a weight, a sign and a display scale.

extension Decimal: PostgresCodable {
  public func encode(into bindings: inout PostgresBindings) {
    bindings.appendText(self.isNaN ? "NaN" : self.description, type: PostgresTypeOID.numeric)
  }

  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> Decimal {
    switch cell.typeOID {
    case PostgresTypeOID.int2, PostgresTypeOID.int4, PostgresTypeOID.int8:
      return Decimal(try Int64.decode(from: cell))
    case PostgresTypeOID.numeric:
      return try cell.withBytes(as: Decimal.self) {
        (bytes) throws(PostgresDecodingError) -> Decimal in
        guard let value = decodeNumeric(bytes) else {
          throw cell.error(.malformed, decoding: Decimal.self)
        }
        return value
      }
    default:
      throw cell.error(.typeMismatch, decoding: Decimal.self)
    }
  }

  private static func decodeNumeric(_ bytes: UnsafeRawBufferPointer) -> Decimal? {
    var reader = BinaryReader(bytes)
    guard let digitCount = reader.read(Int16.self), let weight = reader.read(Int16.self),
      let sign = reader.read(UInt16.self), reader.read(Int16.self) != nil, digitCount >= 0
    else { return nil }
    switch sign {
    case 0x0000, 0x4000: break
    case 0xC000: return .nan
    default: return nil  // ±Infinity have no Decimal.
    }
    var significand = Decimal(0)
    for _ in 0..<digitCount {
      guard let digit = reader.read(Int16.self), (0..<10000).contains(digit) else { return nil }
      significand = significand * 10000 + Decimal(Int(digit))
    }
    let exponent = 4 * (Int(weight) - Int(digitCount) + 1)
    return Decimal(
      sign: sign == 0x4000 ? .minus : .plus, exponent: exponent, significand: significand)
  }
}
