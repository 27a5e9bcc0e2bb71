import CharterProtocol
import Testing

/// RELIABILITY P1 (long lines), RFC 5321 §4.5.3.1.6, Postfix `line_length_limit`.
@Suite struct LineDecoderTests {
  let sample = bytes("PING\r\nTENANT CREATE aitisa \"中国 联盟\"\nHELP\n\r\nWHOAMI\r\n")
  let expected: [LineDecoderEvent] = [
    .line(bytes("PING")), .line(bytes("TENANT CREATE aitisa \"中国 联盟\"")), .line(bytes("HELP")),
    .line([]), .line(bytes("WHOAMI")),
  ]

  @Test func everySplitIntoTwoChunksGivesTheSameLines() {
    for cut in 0...sample.count {
      var decoder = LineDecoder(maxLineLength: 1_000, hardCap: 8_192)
      let events = decoder.feed(sample[..<cut]) + decoder.feed(sample[cut...])
      #expect(events == expected, "cut at \(cut)")
      #expect(!decoder.hasPartialLine)
    }
  }

  @Test func byteByByteGivesTheSameLines() {
    var decoder = LineDecoder(maxLineLength: 1_000, hardCap: 8_192)
    var events: [LineDecoderEvent] = []
    for byte in sample { events += decoder.feed([byte]) }
    #expect(events == expected)
  }

  @Test func everySplitIntoThreeChunksGivesTheSameLines() {
    for first in 0...sample.count {
      for second in first...sample.count {
        var decoder = LineDecoder(maxLineLength: 1_000, hardCap: 8_192)
        let events =
          decoder.feed(sample[..<first]) + decoder.feed(sample[first..<second])
          + decoder.feed(sample[second...])
        #expect(events == expected)
      }
    }
  }

  @Test func aPartialLineIsHeldUntilItsLF() {
    var decoder = LineDecoder(maxLineLength: 100, hardCap: 1_000)
    #expect(decoder.feed(bytes("PIN")) == [])
    #expect(decoder.hasPartialLine)
    #expect(decoder.feed(bytes("G\r")) == [])
    #expect(decoder.feed(bytes("\n")) == [.line(bytes("PING"))])
    #expect(!decoder.hasPartialLine)
  }

  @Test(arguments: ["\n", "\r\n"])
  func aLineExactlyAtTheLimitPassesAndOneOverIsRefused(terminator: String) {
    let limit = 1_000
    for split in [false, true] {
      var decoder = LineDecoder(maxLineLength: limit, hardCap: 8_192)
      let atLimit = bytes(String(repeating: "a", count: limit) + terminator)
      let overLimit = bytes(String(repeating: "b", count: limit + 1) + terminator)
      var events: [LineDecoderEvent] = []
      for chunk in [atLimit, overLimit, bytes("PING\n")] {
        if split {
          for byte in chunk { events += decoder.feed([byte]) }
        } else {
          events += decoder.feed(chunk)
        }
      }
      #expect(
        events == [
          .line(Array(repeating: UInt8(ascii: "a"), count: limit)), .lineTooLong,
          .line(bytes("PING")),
        ])
      #expect(!decoder.isClosed)
    }
  }

  @Test func aCRNotFollowedByLFCountsTowardsTheLength() {
    var decoder = LineDecoder(maxLineLength: 4, hardCap: 100)
    #expect(decoder.feed(bytes("abcd\r")) == [])
    #expect(decoder.feed(bytes("x\nok\n")) == [.lineTooLong, .line(bytes("ok"))])
  }

  /// P1: 10 MB without LF: one error, then close at the hard cap; the decoder never holds
  /// more than the limit.
  @Test func tenMegabytesWithoutNewlineStaysBoundedAndCloses() {
    var decoder = LineDecoder(maxLineLength: 65_536, hardCap: 1 << 20)
    let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 16_384)
    var events: [LineDecoderEvent] = []
    var maximumBuffered = 0
    var fed = 0
    while fed < 10_000_000 {
      events += decoder.feed(chunk)
      fed += chunk.count
      maximumBuffered = max(maximumBuffered, decoder.bufferedByteCount)
    }
    #expect(events == [.lineTooLong, .close])
    #expect(maximumBuffered <= 65_537)
    #expect(decoder.isClosed)
    #expect(decoder.feed(bytes("PING\n")) == [])
  }

  @Test func aLongLineUnderTheHardCapIsAnsweredAndTheNextLineWorks() {
    var decoder = LineDecoder(maxLineLength: 1_000, hardCap: 8_192)
    let events = decoder.feed(bytes(String(repeating: "x", count: 8_192) + "\nPING\n"))
    #expect(events == [.lineTooLong, .line(bytes("PING"))])
    var closing = LineDecoder(maxLineLength: 1_000, hardCap: 8_192)
    #expect(
      closing.feed(bytes(String(repeating: "x", count: 8_193) + "\nPING\n")) == [
        .lineTooLong, .close,
      ])
  }
}
