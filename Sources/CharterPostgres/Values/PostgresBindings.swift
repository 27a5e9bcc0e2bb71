/// The parameters of one statement: one byte buffer plus, per parameter, where its bytes are,
/// its format and its type; `withCParameters` lays them out the way `PQexecParams` wants.
/// Filled by `PostgresEncodable` values; its methods are internal, so a type of another module
/// conforms by delegating to a conforming value (for example an ID type encoding its `UUID`).
public struct PostgresBindings: Sendable {
  struct Parameter: Sendable {
    var offset: Int
    /// -1 binds NULL.
    var length: Int32
    /// 0 text, 1 binary.
    var format: Int32
    var type: UInt32
  }

  var bytes: [UInt8] = []
  var parameters: [Parameter] = []

  init(capacity: Int) {
    parameters.reserveCapacity(capacity)
    bytes.reserveCapacity(capacity * 16)
  }

  var count: Int { parameters.count }

  /// The parameters' type OIDs (0 where the server infers the type).
  var types: [UInt32] { parameters.map(\.type) }

  mutating func appendNull(type: UInt32) {
    parameters.append(Parameter(offset: bytes.count, length: -1, format: 0, type: type))
  }

  /// Text format: libpq reads text parameters up to a NUL, so one is appended.
  mutating func appendText(_ text: String, type: UInt32) {
    let start = bytes.count
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
    parameters.append(
      Parameter(
        offset: start, length: Int32(truncatingIfNeeded: bytes.count - start), format: 0, type: type
      ))
    bytes.append(0)
  }

  mutating func appendBinary(type: UInt32, _ write: (inout [UInt8]) -> Void) {
    let start = bytes.count
    write(&bytes)
    parameters.append(
      Parameter(
        offset: start, length: Int32(truncatingIfNeeded: bytes.count - start), format: 1, type: type
      ))
  }

  /// The arrays `PQexecParams` takes, in temporary (stack) storage valid inside `body`.
  func withCParameters<Result>(
    _ body: (
      Int32, UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
      UnsafePointer<Int32>?
    ) -> Result
  ) -> Result {
    let count = parameters.count
    guard count > 0 else { return body(0, nil, nil, nil, nil) }
    return bytes.withUnsafeBytes { buffer in
      withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: count) { values in
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { types in
          withUnsafeTemporaryAllocation(of: Int32.self, capacity: count * 2) { lengthsAndFormats in
            let base = buffer.baseAddress
            for (index, parameter) in parameters.enumerated() {
              types[index] = parameter.type
              lengthsAndFormats[index] = parameter.length
              lengthsAndFormats[count + index] = parameter.format
              if parameter.length < 0 {
                values[index] = nil
              } else if let base {
                values[index] = (base + parameter.offset).assumingMemoryBound(to: CChar.self)
              } else {
                // Only empty binary values and no byte buffer: libpq still wants a pointer.
                values[index] = UnsafeRawPointer(("" as StaticString).utf8Start)
                  .assumingMemoryBound(to: CChar.self)
              }
            }
            let lengths = UnsafePointer(lengthsAndFormats.baseAddress)
            return body(
              Int32(count), UnsafePointer(types.baseAddress), UnsafePointer(values.baseAddress),
              lengths,
              lengths.map { $0 + count })
          }
        }
      }
    }
  }
}
