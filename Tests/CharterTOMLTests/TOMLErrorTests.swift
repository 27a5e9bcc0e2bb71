import CharterTOML
import Testing

/// Each malformed document is refused with the line, column and key an operator needs.
@Suite struct TOMLErrorTests {
  private func parseError(_ text: String, file: String? = "test.toml") -> TOMLError? {
    do {
      _ = try TOML.parse(text, file: file)
      return nil
    } catch {
      return error
    }
  }

  @Test func duplicateKeyNamesLineColumnAndKey() throws {
    let error = try #require(parseError("[council]\nquorum = 1\n  quorum = 2\n"))
    #expect(error.file == "test.toml")
    #expect(error.line == 3)
    #expect(error.column == 3)
    #expect(error.key == "council.quorum")
    #expect(error.message.contains("duplicate key"))
    #expect(error.description.hasPrefix("test.toml:3:3: council.quorum: duplicate key"))
  }

  @Test func duplicateKeyThroughDottedKeys() throws {
    let error = try #require(parseError("a.b = 1\na.b = 2"))
    #expect(error.line == 2)
    #expect(error.column == 3)
    #expect(error.key == "a.b")
  }

  @Test func redefinedTable() throws {
    let error = try #require(parseError("[a]\nx = 1\n[b]\n[a]\ny = 2"))
    #expect(error.line == 4)
    #expect(error.column == 1)
    #expect(error.key == "a")
    #expect(error.message.contains("defined twice"))
  }

  @Test func tableHeaderOverDottedKeyTable() throws {
    let error = try #require(parseError("[fruit]\napple.color = \"red\"\n[fruit.apple]"))
    #expect(error.line == 3)
    #expect(error.key == "fruit.apple")
  }

  @Test func dottedKeysCannotExtendHeaderTable() throws {
    let error = try #require(parseError("[a.b]\nz = 1\n[a]\nb.y = 2"))
    #expect(error.line == 4)
    #expect(error.key == "a.b")
  }

  @Test func inlineTableCannotBeExtended() throws {
    let error = try #require(parseError("p = { x = 1 }\n[p]\ny = 2"))
    #expect(error.line == 2)
    #expect(error.key == "p")
    let dotted = try #require(parseError("p = { x = 1 }\np.y = 2"))
    #expect(dotted.line == 2)
  }

  @Test func arrayOfTablesOverStaticArray() throws {
    let error = try #require(parseError("a = [1]\n[[a]]"))
    #expect(error.line == 2)
    #expect(error.key == "a")
  }

  @Test func tableAndArrayOfTablesConflict() throws {
    let error = try #require(parseError("[[a]]\n[a]"))
    #expect(error.line == 2)
    #expect(error.key == "a")
  }

  @Test func badEscapePointsAtTheBackslash() throws {
    let error = try #require(parseError("[s]\nname = \"ab\\qc\""))
    #expect(error.line == 2)
    #expect(error.column == 11)
    #expect(error.key == "s.name")
    #expect(error.message.contains("invalid escape"))
  }

  @Test func badUnicodeEscape() throws {
    let short = try #require(parseError(#"x = "\u12""#))
    #expect(short.column == 6)
    #expect(short.message.contains("hex digits"))
    let surrogate = try #require(parseError(#"x = "\uD800""#))
    #expect(surrogate.message.contains("not a Unicode scalar"))
  }

  @Test func unterminatedStringPointsAtItsStart() throws {
    let error = try #require(parseError("a = 1\nb = \"open\nc = 2"))
    #expect(error.line == 2)
    #expect(error.column == 5)
    #expect(error.key == "b")
    #expect(error.message.contains("unterminated string"))
  }

  @Test func unterminatedMultiLineString() throws {
    let error = try #require(parseError("a = '''\nline\n"))
    #expect(error.line == 1)
    #expect(error.column == 5)
    #expect(error.message.contains("unterminated"))
  }

  @Test func badDateNamesTheKey() throws {
    let error = try #require(parseError("[holidays]\nfirst = 2025-02-30"))
    #expect(error.line == 2)
    #expect(error.column == 9)
    #expect(error.key == "holidays.first")
    #expect(error.message.contains("2025-02-30"))
    let malformed = try #require(parseError("d = 2025-1-05"))
    #expect(malformed.message.contains("invalid"))
    let february29 = try #require(parseError("d = 2023-02-29"))
    #expect(february29.message.contains("no such day"))
  }

  @Test func localDateTimeIsRefused() throws {
    let error = try #require(parseError("t = 2025-01-01T09:00:00"))
    #expect(error.message.contains("offset"))
  }

  @Test func malformedNumbers() throws {
    for text in [
      "x = 01", "x = 1__0", "x = _1", "x = 1_", "x = 0x", "x = 1.", "x = .5", "x = 1e", "x = +0x10",
    ] {
      let error = try #require(parseError(text), "\(text) was accepted")
      #expect(error.line == 1)
      #expect(error.key == "x")
    }
    let overflow = try #require(parseError("x = 9223372036854775808"))
    #expect(overflow.message.contains("out of range"))
  }

  @Test func missingValueAndGarbageAfterValue() throws {
    #expect(parseError("x =\n")?.message == "expected a value")
    let trailing = try #require(parseError("x = 1 2"))
    #expect(trailing.column == 7)
    #expect(trailing.message.contains("end of the line"))
    #expect(parseError("x = [1 2]")?.message.contains("','") == true)
    #expect(parseError("x = { a = 1,\n b = 2 }") != nil)
    #expect(parseError("x = { a = 1, }") != nil)
    #expect(parseError("名称 = 1")?.message == "expected a key")
  }

  @Test func columnsCountCharactersNotBytes() throws {
    let error = try #require(parseError("\"名称\" = \"联盟\" x"))
    #expect(error.column == 13)
  }

  @Test func descriptionWithoutFile() throws {
    let error = try #require(parseError("a = 1\na = 2", file: nil))
    #expect(error.description == "2:1: a: duplicate key (first defined at line 1)")
  }
}
