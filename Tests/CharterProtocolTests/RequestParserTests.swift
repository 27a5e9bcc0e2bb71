import CharterProtocol
import Testing

@Suite struct RequestParserTests {
  func words(_ line: String) throws -> [String] {
    try RequestParser.parse(bytes(line)).words.map(\.text)
  }

  func failure(_ line: [UInt8]) -> RequestError? {
    do {
      _ = try RequestParser.parse(line)
      return nil
    } catch {
      return error
    }
  }

  @Test func wordsAreSeparatedBySpacesAndTabs() throws {
    #expect(try words("TENANT  CREATE\taitisa   x") == ["TENANT", "CREATE", "aitisa", "x"])
    #expect(try words("  PING  ") == ["PING"])
  }

  @Test func chineseNamesWithSpacesPassWhenQuoted() throws {
    #expect(
      try words("TENANT CREATE aitisa \"中关村 视听产业 技术创新联盟\"")
        == ["TENANT", "CREATE", "aitisa", "中关村 视听产业 技术创新联盟"])
    #expect(try words("ADMIN CREATE 张三 viewer display=\"张 三 👩‍💻\"").last == "display=张 三 👩‍💻")
    #expect(try words("ADMIN CREATE 李四 viewer") == ["ADMIN", "CREATE", "李四", "viewer"])
  }

  @Test func escapesInsideQuotes() throws {
    #expect(
      try words(#"X "a\"b" "c\\d" "e\nf" "g\th" "\u4E2D\u6587" "\uD83D\uDE00" "r\r""#)
        == ["X", "a\"b", "c\\d", "e\nf", "g\th", "中文", "😀", "r\r"])
    // Outside quotes a backslash is an ordinary character.
    #expect(try words(#"X a\nb"#) == ["X", #"a\nb"#])
    // Quoted parts join the word they touch.
    #expect(try words(#"X ab"c d"ef"#) == ["X", "abc def"])
    #expect(try words(#"X """#) == ["X", ""])
  }

  @Test func badEscapesAndUnterminatedQuotesNameTheColumn() {
    #expect(
      failure(bytes(#"TENANT CREATE x "abc"#))
        == RequestError(.badQuoting, "unterminated quote starting at column 17"))
    #expect(
      failure(bytes(#"X "a\qb""#))?.message.hasPrefix(#"unknown escape \q at column 5"#) == true)
    #expect(failure(bytes(#"X "\u12"#))?.code == .badQuoting)
    #expect(failure(bytes(#"X "\uD83D""#))?.code == .badQuoting)  // lone surrogate
    #expect(failure(bytes(#"X "\uDE00\uD83D""#))?.code == .badQuoting)
    #expect(failure(bytes(#"X "abc\"#))?.code == .badQuoting)
  }

  @Test func invalidUTF8IsAnErrorWithItsOffset() {
    #expect(
      failure([0x50, 0x49, 0xFF, 0x4E]) == RequestError(.invalidUTF8, "invalid UTF-8 at octet 3"))
    #expect(
      failure(bytes("X ") + [0xE4, 0xB8]) == RequestError(.invalidUTF8, "invalid UTF-8 at octet 3"))
    #expect(failure([0xED, 0xA0, 0x80])?.code == .invalidUTF8)  // an encoded surrogate
    #expect(failure([0xC0, 0x80])?.code == .invalidUTF8)  // overlong NUL
  }

  @Test func controlCharactersAreRefused() {
    #expect(
      failure(bytes("PI\u{0}NG"))
        == RequestError(.controlCharacter, "control character \\u0000 at column 3"))
    #expect(failure(bytes("X \"a\rb\""))?.code == .controlCharacter)
    #expect(failure(bytes("X \u{1B}[31m"))?.code == .controlCharacter)
    #expect(failure(bytes("X \u{7F}"))?.code == .controlCharacter)
    #expect(failure(bytes("X \u{85}"))?.code == .controlCharacter)
  }

  @Test func emptyLinesAreEmptyRequests() {
    #expect(failure([])?.code == .emptyRequest)
    #expect(failure(bytes("   \t "))?.code == .emptyRequest)
  }

  @Test func keyValueWordsAreOptionsUnlessTheKeyIsQuoted() throws {
    let request = try RequestParser.parse(
      bytes(#"AUDIT SEARCH LIMIT=5 from="2026-01-01" "admin=x" a=b=c =x 1a=2"#))
    #expect(request.words.count == 8)
    #expect(request.words[2].optionKey == "limit")
    #expect(request.words[2].optionValue == "5")
    #expect(request.words[3].optionKey == "from")
    #expect(request.words[3].optionValue == "2026-01-01")
    #expect(request.words[4].optionKey == nil)
    #expect(request.words[4].text == "admin=x")
    #expect(request.words[5].optionKey == "a")
    #expect(request.words[5].optionValue == "b=c")
    #expect(request.words[6].optionKey == nil)
    #expect(request.words[7].optionKey == nil)
  }
}

@Suite struct RequestEncoderTests {
  @Test func quotedArgumentsParseBackToThemselves() throws {
    let values = [
      "aitisa", "", "中关村 视听产业 技术创新联盟", "a\"b", "back\\slash", "line\nbreak", "tab\tx", "nul\u{0}",
      "key=value", "👩‍💻 😀", "\u{85}\u{7F}\u{1B}", "OK", "\"", "\\u0041", "C:\\path",
    ]
    let line = RequestEncoder.line(
      command: ["ADMIN", "CREATE"], arguments: values, options: [("display", "张 三")])
    let words = try RequestParser.parse(Array(line.dropLast())).words
    #expect(words.map(\.text).dropFirst(2).dropLast() == ArraySlice(values))
    #expect(words.dropFirst(2).dropLast().allSatisfy { $0.optionKey == nil })
    #expect(words.last?.optionKey == "display")
    #expect(words.last?.optionValue == "张 三")
    #expect(RequestEncoder.quote("aitisa") == "aitisa")
    #expect(RequestEncoder.quote("中关村 联盟") == "\"中关村 联盟\"")
  }

  @Test func randomStringsRoundTrip() throws {
    var generator = FuzzPropertyTests.SeededGenerator(state: 7)
    let alphabet: [Unicode.Scalar] = [
      "a", " ", "\"", "\\", "=", "\n", "\u{0}", "中", "😀", "\t", "u", "\u{2028}",
    ]
    for _ in 0..<2_000 {
      var value = String.UnicodeScalarView()
      for _ in 0..<Int.random(in: 0...12, using: &generator) {
        value.append(alphabet.randomElement(using: &generator) ?? "a")
      }
      let text = String(value)
      let words = try RequestParser.parse(
        RequestEncoder.line(command: ["X"], arguments: [text]).dropLast().map { $0 }
      )
      .words
      #expect(words.count == 2)
      #expect(words.last?.text == text)
    }
  }
}
