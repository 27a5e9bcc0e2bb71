/// What the line decoder found in the bytes fed to it, in stream order.
public enum LineDecoderEvent: Hashable, Sendable {
  /// A complete line, without its LF or CRLF. Not yet checked for UTF-8 or control
  /// characters: that is the request parser's job, so such a line still gets its own reply.
  case line([UInt8])
  /// A line passed `maxLineLength`. Reported once, as soon as the limit is passed, at the
  /// line's place in the stream; the rest of the line up to the next LF is discarded.
  case lineTooLong
  /// A line passed `hardCap`: the client is not speaking this protocol; close the
  /// connection. Nothing more is decoded.
  case close
}

/// Splits a byte stream into lines, fed chunks split anywhere (the redis
/// `processInlineBuffer` idea with Postfix's `line_length_limit`).
///
/// A line ends at LF; a CR just before the LF is dropped, so CRLF and LF both work. The
/// length of a line counts its octets without that LF or CRLF. The decoder never holds more
/// than `maxLineLength + 1` octets (the one extra octet is a CR that may be the start of a
/// CRLF): an over-long line is counted while it is discarded, not stored.
public struct LineDecoder: Sendable {
  /// The longest line accepted; the session raises it after login.
  public var maxLineLength: Int
  /// A line longer than this closes the connection instead of getting an error reply.
  public var hardCap: Int

  private var partial: [UInt8] = []
  /// Set while the rest of an over-long line is skipped; counts the line's octets so far.
  private var discardedLength: Int?
  public private(set) var isClosed = false

  public init(maxLineLength: Int, hardCap: Int) {
    self.maxLineLength = maxLineLength
    self.hardCap = max(hardCap, maxLineLength)
  }

  /// True while a line has started but its LF has not arrived (the partial-line timeout
  /// runs).
  public var hasPartialLine: Bool { !partial.isEmpty || discardedLength != nil }

  /// Octets held for the line in progress; never more than `maxLineLength + 1`.
  public var bufferedByteCount: Int { partial.count }

  public mutating func feed(_ chunk: some Collection<UInt8>) -> [LineDecoderEvent] {
    let bytes = Array(chunk)
    var events: [LineDecoderEvent] = []
    var index = 0
    while index < bytes.count, !isClosed {
      let newline = bytes[index...].firstIndex(of: LineDecoder.lf)
      let segment = bytes[index..<(newline ?? bytes.count)]
      index = (newline ?? bytes.count - 1) + 1
      if let discarded = discardedLength {
        let total = discarded + segment.count
        if total > hardCap {
          close(&events)
        } else {
          discardedLength = newline == nil ? total : nil
        }
        continue
      }
      let total = partial.count + segment.count
      let lastByte = segment.last ?? partial.last
      let endsWithCR = lastByte == LineDecoder.cr
      if newline != nil {
        let length = endsWithCR ? total - 1 : total
        if length <= maxLineLength {
          partial.append(contentsOf: segment)
          if endsWithCR { partial.removeLast() }
          events.append(.line(partial))
          partial = []
        } else {
          partial = []
          events.append(.lineTooLong)
          if length > hardCap { close(&events) }
        }
      } else if total <= maxLineLength || (total == maxLineLength + 1 && endsWithCR) {
        partial.append(contentsOf: segment)
      } else {
        partial = []
        events.append(.lineTooLong)
        discardedLength = total
        if total > hardCap { close(&events) }
      }
    }
    return events
  }

  private mutating func close(_ events: inout [LineDecoderEvent]) {
    isClosed = true
    partial = []
    discardedLength = nil
    events.append(.close)
  }

  static let lf = UInt8(ascii: "\n")
  static let cr = UInt8(ascii: "\r")
}
