/// The parameters of one statement, laid out the way `PQexecParams` wants them: one byte
/// buffer plus per-parameter offset, length, format and type. Filled by `PostgresEncodable`
/// values; its methods are internal, so a type of another module conforms by delegating to a
/// conforming value (for example an ID type encoding its `UUID`).
public struct PostgresBindings: Sendable {
  var bytes: [UInt8] = []
  var offsets: [Int] = []
  /// -1 binds NULL.
  var lengths: [Int32] = []
  /// 0 text, 1 binary.
  var formats: [Int32] = []
  var types: [UInt32] = []

  init(capacity: Int) {
    offsets.reserveCapacity(capacity)
    lengths.reserveCapacity(capacity)
    formats.reserveCapacity(capacity)
    types.reserveCapacity(capacity)
  }

  var count: Int { lengths.count }

  mutating func appendNull(type: UInt32) {
    offsets.append(bytes.count)
    lengths.append(-1)
    formats.append(0)
    types.append(type)
  }

  /// Text format: libpq reads text parameters up to a NUL, so one is appended.
  mutating func appendText(_ text: String, type: UInt32) {
    offsets.append(bytes.count)
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
    lengths.append(Int32(truncatingIfNeeded: bytes.count - offsets[offsets.count - 1]))
    bytes.append(0)
    formats.append(0)
    types.append(type)
  }

  mutating func appendBinary(type: UInt32, _ write: (inout [UInt8]) -> Void) {
    let start = bytes.count
    offsets.append(start)
    write(&bytes)
    lengths.append(Int32(truncatingIfNeeded: bytes.count - start))
    formats.append(1)
    types.append(type)
  }

  func withCParameters<Result>(
    _ body: (
      Int32, UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
      UnsafePointer<Int32>?
    ) -> Result
  ) -> Result {
    let count = lengths.count
    guard count > 0 else { return body(0, nil, nil, nil, nil) }
    return bytes.withUnsafeBytes { buffer in
      withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: count) { values in
        let base = buffer.baseAddress
        for index in 0..<count {
          if lengths[index] < 0 {
            values[index] = nil
          } else if let base {
            values[index] = (base + offsets[index]).assumingMemoryBound(to: CChar.self)
          } else {
            // Only empty binary values and no byte buffer: libpq still wants a pointer.
            values[index] = UnsafeRawPointer(("" as StaticString).utf8Start)
              .assumingMemoryBound(to: CChar.self)
          }
        }
        return types.withUnsafeBufferPointer { types in
          lengths.withUnsafeBufferPointer { lengths in
            formats.withUnsafeBufferPointer { formats in
              body(
                Int32(count), types.baseAddress, UnsafePointer(values.baseAddress),
                lengths.baseAddress,
                formats.baseAddress)
            }
          }
        }
      }
    }
  }
}
