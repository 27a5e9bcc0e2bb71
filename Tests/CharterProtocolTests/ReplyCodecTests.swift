import CharterProtocol
import Foundation
import Testing

@Suite struct ReplyCodecTests {
  /// Values that would break a naive line protocol.
  static let trickyValues = [
    "OK", "OK fine", "ERR NOT_FOUND fake", "BYE SHUTTING_DOWN fake", "* not a row",
    "# not a header",
    "line1\nOK injected", "cr\rlf\r\n", "tab\there", "back\\slash", "\\n literally",
    "quote \" and {json}",
    "{\"status\":\"ok\"}", "", " leading and trailing ", "中关村 视听产业 技术创新联盟", "emoji 👩‍💻 😀",
    "nul\u{0} esc\u{1B} del\u{7F} c1\u{85}", "ls\u{2028}ps\u{2029}", "\\u0041 not an escape",
    // A leading combining mark joins the separator before it into one Character (found by
    // Scripts/fuzz-protocol): the decoder must cut octets, not Characters.
    "\u{35D} combining", "\u{301}", " \u{301}", "\u{301}\t\u{301}", "\u{200D}zwj",
  ]

  static let replies: [Reply] = [
    .ok(), .ok("3 tenants"), .error(.notFound, "no tenant aitisa"),
    Reply(status: .bye(.shuttingDown, "server shutting down")),
    .text(trickyValues, status: .ok("text")),
    .table(
      columns: ["slug", "name", "status"], rows: trickyValues.map { ["t", $0, $0] },
      status: .error(.conflict, "OK\nERR fake")),
    .table(columns: ["only"], rows: [], status: .ok("empty table")),
    Reply(rows: [["a", "b\tc"], ["d"]], status: .ok("fields without columns")),
  ]

  @Test(arguments: ReplyMode.allCases)
  func everyReplyRoundTrips(mode: ReplyMode) throws {
    for reply in Self.replies {
      var decoder = ReplyDecoder()
      let wire = ReplyEncoder.encode(reply, mode: mode)
      #expect(try decoder.feed(wire) == [reply])
      #expect(decoder.isIdle)
    }
  }

  /// A client can never mistake data for status: exactly one line of each reply is a
  /// status line, and it is the last.
  @Test func onlyTheLastLineOfATextReplyLooksLikeAStatus() throws {
    for reply in Self.replies {
      // Octets, as a client reads them (Characters would merge "* " with a combining mark).
      let wire = ReplyEncoder.encode(reply, mode: .text)
      #expect(wire.last == UInt8(ascii: "\n"))
      let lines = wire.dropLast().split(
        separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      #expect(lines.count == reply.rows.count + (reply.columns.isEmpty ? 0 : 1) + 1)
      for line in lines.dropLast() {
        #expect(line.starts(with: "* ".utf8) || line.starts(with: "# ".utf8))
        #expect(!line.contains(UInt8(ascii: "\r")))
      }
      let status = try #require(lines.last)
      #expect(
        status.starts(with: "OK".utf8) || status.starts(with: "ERR ".utf8)
          || status.starts(with: "BYE ".utf8))
    }
  }

  @Test func textWireFormatIsExact() {
    let reply = Reply.table(
      columns: ["slug", "name"], rows: [["aitisa", "中关村\t联盟"], ["x", "a\nOK b"]],
      status: .ok("2 tenants"))
    #expect(
      String(decoding: ReplyEncoder.encode(reply, mode: .text), as: UTF8.self)
        == "# slug\tname\n* aitisa\t中关村\\t联盟\n* x\ta\\nOK b\nOK 2 tenants\n")
    #expect(
      String(
        decoding: ReplyEncoder.encode(.error(.notFound, "no tenant x"), mode: .text), as: UTF8.self)
        == "ERR NOT_FOUND no tenant x\n")
  }

  @Test func jsonLinesAreValidJSONAndTheStatusIsTheLastObject() throws {
    for reply in Self.replies {
      let text = String(decoding: ReplyEncoder.encode(reply, mode: .json), as: UTF8.self)
      let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
      for (index, line) in lines.enumerated() {
        let object = try #require(
          try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((object["status"] != nil) == (index == lines.count - 1))
      }
    }
    let wire = ReplyEncoder.encode(
      .table(
        columns: ["slug", "status"], rows: [["aitisa", "active"]],
        status: .error(.notFound, "x \"y\"")),
      mode: .json)
    #expect(
      String(decoding: wire, as: UTF8.self)
        == "{\"columns\":[\"slug\",\"status\"]}\n{\"row\":{\"slug\":\"aitisa\",\"status\":\"active\"}}\n"
        + "{\"status\":\"error\",\"code\":\"NOT_FOUND\",\"message\":\"x \\\"y\\\"\"}\n")
  }

  @Test func decoderTakesAnySplitAndCRLF() throws {
    let wire = Self.replies.flatMap { ReplyEncoder.encode($0, mode: .text) }
    var decoder = ReplyDecoder()
    var decoded: [Reply] = []
    for byte in wire { decoded += try decoder.feed([byte]) }
    #expect(decoded == Self.replies)
    var crlf = ReplyDecoder()
    #expect(try crlf.feed(bytes("* a\r\nOK b\r\n")) == [Reply.text(["a"], status: .ok("b"))])
  }

  @Test func aLongDataLineInSmallChunksDecodes() throws {
    let value = String(repeating: "长", count: 1_000_000)
    let wire = ReplyEncoder.encode(.text([value], status: .ok("big")), mode: .text)
    var decoder = ReplyDecoder()
    var decoded: [Reply] = []
    var offset = 0
    while offset < wire.count {
      decoded += try decoder.feed(wire[offset..<min(wire.count, offset + 4_096)])
      offset += 4_096
    }
    #expect(decoded == [.text([value], status: .ok("big"))])
    var small = ReplyDecoder(maxLineLength: 1_000)
    #expect(throws: ReplyDecodingError.self) { try small.feed(wire.prefix(2_000)) }
  }

  /// Random strings of awkward scalars survive encoding and decoding in both modes.
  @Test func randomValuesRoundTrip() throws {
    var generator = FuzzPropertyTests.SeededGenerator(state: 2_026)
    let alphabet: [Unicode.Scalar] = [
      "a", " ", "\t", "\n", "\r", "\\", "\"", "{", "*", "#", "O", "K", "\u{0}", "\u{301}",
      "\u{35D}", "\u{200D}",
      "\u{2028}", "\u{85}", "中", "😀", "\u{FE0F}", "u",
    ]
    func randomValue() -> String {
      var value = String.UnicodeScalarView()
      for _ in 0..<Int.random(in: 0...10, using: &generator) {
        value.append(alphabet.randomElement(using: &generator) ?? "a")
      }
      return String(value)
    }
    for _ in 0..<2_000 {
      let reply = Reply.table(
        columns: ["a", "b"], rows: [[randomValue(), randomValue()]],
        status: Bool.random(using: &generator)
          ? .ok(randomValue()) : .error(.conflict, randomValue()))
      let text = Reply.text([randomValue()], status: .bye(.timeout, randomValue()))
      for mode in ReplyMode.allCases {
        var decoder = ReplyDecoder()
        let wire = ReplyEncoder.encode(reply, mode: mode) + ReplyEncoder.encode(text, mode: mode)
        #expect(try decoder.feed(wire) == [reply, text])
      }
    }
  }

  @Test func decoderRefusesGarbage() {
    for line in [
      "hello\n", "OKAY\n", "ERR lower case\n", "* bad \\q escape\n", "{\"what\":1}\n", "{oops\n",
    ] {
      var decoder = ReplyDecoder()
      #expect(throws: ReplyDecodingError.self) { try decoder.feed(bytes(line)) }
    }
  }

  @Test func statusCodesAreOneUpperCaseWord() {
    #expect(StatusCode(rawValue: "NOT_FOUND") == .notFound)
    #expect(StatusCode(rawValue: "not_found") == nil)
    #expect(StatusCode(rawValue: "TWO WORDS") == nil)
    #expect(StatusCode(rawValue: "") == nil)
  }
}
