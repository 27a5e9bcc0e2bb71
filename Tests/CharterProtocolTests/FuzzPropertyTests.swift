import CharterProtocol
import Testing

/// RELIABILITY P6/P7 in-process: random bytes through the decoder, parser and session
/// never crash, and every complete line gets exactly one reply (or the session closes).
@Suite struct FuzzPropertyTests {
  /// SplitMix64: seeded, so a failure reproduces.
  struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let seeds = [
    "PING", "HELP", "HELP TENANT CREATE", "LOGIN alice \"x y\"", "TENANT CREATE aitisa \"中关村 联盟\"",
    "AUDIT SEARCH from=2026-01-01 limit=5", "\"\\u4E2D\"", "MODE JSON",
    "ADMIN PASSWD bob \"\\uD83D\\uDE00\"",
  ]

  func randomInput(_ generator: inout SeededGenerator) -> [UInt8] {
    let length = Int.random(in: 0...120, using: &generator)
    var output: [UInt8] = []
    while output.count < length {
      switch Int.random(in: 0..<10, using: &generator) {
      case 0..<3:
        output += (0..<Int.random(in: 1...8, using: &generator)).map { _ in
          UInt8.random(in: 0...255, using: &generator)
        }
      case 3..<5:
        output += Self.seeds.randomElement(using: &generator).map { Array($0.utf8) } ?? []
      case 5:
        output += [UInt8(ascii: "\n")]
      case 6:
        output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
      case 7:
        output += Array("\"\\ =".utf8).shuffled(using: &generator).prefix(2)
      default:
        let pieces = ["中", "😀", " \u{301}", "\u{35D}", "é", "\u{200D}"]
        output += Array((pieces.randomElement(using: &generator) ?? "中").utf8)
      }
    }
    return output
  }

  @Test func tenThousandRandomInputsThroughDecoderAndParser() {
    var generator = SeededGenerator(state: 20_261_121)
    for _ in 0..<10_000 {
      let input = randomInput(&generator)
      var decoder = LineDecoder(maxLineLength: 64, hardCap: 256)
      for event in decoder.feed(input) {
        guard case .line(let line) = event else { continue }
        do {
          let request = try RequestParser.parse(line)
          if case .command(let spec, let start) = CommandTable.admin.lookUp(request) {
            _ = try? CommandTable.admin.arguments(of: spec, in: request, startingAt: start)
          }
        } catch {
          #expect(StatusCode(rawValue: error.code.rawValue) != nil)
        }
      }
      #expect(decoder.bufferedByteCount <= 65)
    }
  }

  /// Each input goes to a logged-in session in random chunks; every dispatched command is
  /// answered; the number of replies equals the number of complete lines, unless the
  /// session closed.
  @Test func tenThousandRandomSessionsAnswerEveryLineOnce() {
    var generator = SeededGenerator(state: 42)
    var limits = SessionLimits()
    limits.maxLineLength = 64
    limits.lineHardCap = 256
    limits.hardErrorLimit = 1_000_000
    limits.softErrorLimit = 1_000_000
    var closes = 0
    for _ in 0..<10_000 {
      // A valid command after the garbage must still work (RELIABILITY P7).
      let input = randomInput(&generator) + bytes("\nPING\n")
      var driver = SessionDriver(limits: limits)
      driver.login(as: operatorAlice)
      let repliesBefore = driver.replies.count
      var fed = 0
      while fed < input.count {
        let size = Int.random(in: 1...16, using: &generator)
        driver.apply(.bytesReceived(Array(input[fed..<min(input.count, fed + size)])))
        fed += size
        while driver.session.inFlight != nil {
          driver.complete(.ok("done"), change: nil)
        }
      }
      if driver.closeReason != nil {
        closes += 1
        #expect(driver.lastStatus?.code == .lineTooLong || driver.closeReason == .quit)
        continue
      }
      var lines = LineDecoder(maxLineLength: 64, hardCap: 256)
      let lineCount = lines.feed(input).count
      #expect(driver.replies.count - repliesBefore == lineCount)
      #expect(driver.lastStatus == .ok("PONG"))
      #expect(driver.replyDecoder.isIdle)
    }
    #expect(closes < 10_000)
  }
}
