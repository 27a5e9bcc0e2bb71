public import Foundation

/// An element type whose Swift array has a PostgreSQL counterpart: `[String]` is text[],
/// `[Int]` bigint[], `[UUID]` uuid[], and `[UInt8]` is bytea (not an array in PostgreSQL).
public protocol PostgresArrayElement: Sendable {
  static func encodeArray(_ elements: [Self], into bindings: inout PostgresBindings)
  static func decodeArray(from cell: PostgresCell) throws(PostgresDecodingError) -> [Self]
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
  public func encode(into bindings: inout PostgresBindings) {
    Element.encodeArray(self, into: &bindings)
  }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> [Element] {
    try Element.decodeArray(from: cell)
  }
}

extension UInt8: PostgresArrayElement {
  public static func encodeArray(_ elements: [UInt8], into bindings: inout PostgresBindings) {
    bindings.appendBinary(type: PostgresTypeOID.bytea) { $0.append(contentsOf: elements) }
  }

  public static func decodeArray(from cell: PostgresCell) throws(PostgresDecodingError) -> [UInt8] {
    try cell.require(PostgresTypeOID.bytea, decoding: [UInt8].self)
    return try cell.withBytes(as: [UInt8].self) { Array($0) }
  }
}

extension String: PostgresArrayElement {
  public static func encodeArray(_ elements: [String], into bindings: inout PostgresBindings) {
    PostgresArrayCoding.encode(
      elements, into: &bindings, arrayType: PostgresTypeOID.textArray,
      elementType: PostgresTypeOID.text
    ) {
      element, bytes in
      var text = element
      text.withUTF8 { bytes.append(contentsOf: $0) }
    }
  }

  public static func decodeArray(from cell: PostgresCell) throws(PostgresDecodingError) -> [String]
  {
    try cell.require(
      PostgresTypeOID.textArray, PostgresTypeOID.varcharArray, decoding: [String].self)
    return try PostgresArrayCoding.decode(cell, as: [String].self) {
      String(validating: $0, as: UTF8.self)
    }
  }
}

extension Int: PostgresArrayElement {
  public static func encodeArray(_ elements: [Int], into bindings: inout PostgresBindings) {
    PostgresArrayCoding.encode(
      elements, into: &bindings, arrayType: PostgresTypeOID.int8Array,
      elementType: PostgresTypeOID.int8
    ) {
      $1.appendBigEndian(Int64($0))
    }
  }

  public static func decodeArray(from cell: PostgresCell) throws(PostgresDecodingError) -> [Int] {
    try cell.require(PostgresTypeOID.int8Array, decoding: [Int].self)
    return try PostgresArrayCoding.decode(cell, as: [Int].self) { bytes in
      var reader = BinaryReader(bytes)
      return bytes.count == 8 ? reader.read(Int64.self).map(Int.init) : nil
    }
  }
}

extension UUID: PostgresArrayElement {
  public static func encodeArray(_ elements: [UUID], into bindings: inout PostgresBindings) {
    PostgresArrayCoding.encode(
      elements, into: &bindings, arrayType: PostgresTypeOID.uuidArray,
      elementType: PostgresTypeOID.uuid
    ) {
      element, bytes in withUnsafeBytes(of: element.uuid) { bytes.append(contentsOf: $0) }
    }
  }

  public static func decodeArray(from cell: PostgresCell) throws(PostgresDecodingError) -> [UUID] {
    try cell.require(PostgresTypeOID.uuidArray, decoding: [UUID].self)
    return try PostgresArrayCoding.decode(cell, as: [UUID].self) { UUID.decodeUUID($0) }
  }
}

/// PostgreSQL's binary array form: dimensions, a has-NULL flag, the element type, a size and
/// lower bound per dimension, then each element as a length (-1 for NULL) and its bytes.
/// Only one-dimensional arrays without NULL elements map to Swift arrays here.
enum PostgresArrayCoding {
  static func encode<Element>(
    _ elements: [Element], into bindings: inout PostgresBindings, arrayType: UInt32,
    elementType: UInt32,
    _ writeElement: (Element, inout [UInt8]) -> Void
  ) {
    bindings.appendBinary(type: arrayType) { bytes in
      bytes.appendBigEndian(Int32(elements.isEmpty ? 0 : 1))  // dimensions
      bytes.appendBigEndian(Int32(0))  // no NULL elements
      bytes.appendBigEndian(elementType)
      guard !elements.isEmpty else { return }
      bytes.appendBigEndian(Int32(truncatingIfNeeded: elements.count))
      bytes.appendBigEndian(Int32(1))  // lower bound
      for element in elements {
        let lengthOffset = bytes.count
        bytes.appendBigEndian(Int32(0))
        writeElement(element, &bytes)
        let length = Int32(truncatingIfNeeded: bytes.count - lengthOffset - 4)
        withUnsafeBytes(of: length.bigEndian) { lengthBytes in
          bytes.replaceSubrange(lengthOffset..<lengthOffset + 4, with: lengthBytes)
        }
      }
    }
  }

  static func decode<Element>(
    _ cell: PostgresCell, as type: [Element].Type,
    _ decodeElement: (UnsafeRawBufferPointer) -> Element?
  ) throws(PostgresDecodingError) -> [Element] {
    try cell.withBytes(as: type) { (bytes) throws(PostgresDecodingError) -> [Element] in
      var reader = BinaryReader(bytes)
      guard let dimensions = reader.read(Int32.self), reader.read(Int32.self) != nil,
        reader.read(UInt32.self) != nil
      else { throw cell.error(.malformed, decoding: type) }
      if dimensions == 0 { return [] }
      guard dimensions == 1, let count = reader.read(Int32.self), reader.read(Int32.self) != nil,
        count >= 0
      else { throw cell.error(.malformed, decoding: type) }
      var elements: [Element] = []
      elements.reserveCapacity(min(Int(count), reader.remaining / 4))
      for _ in 0..<count {
        guard let length = reader.read(Int32.self) else {
          throw cell.error(.malformed, decoding: type)
        }
        guard length >= 0 else { throw cell.error(.unexpectedNull, decoding: type) }
        guard let elementBytes = reader.readBytes(Int(length)),
          let element = decodeElement(elementBytes)
        else {
          throw cell.error(.malformed, decoding: type)
        }
        elements.append(element)
      }
      return elements
    }
  }
}
