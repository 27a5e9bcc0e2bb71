import CharterTOML
import Foundation
import Testing

@Suite struct TOMLValidDocumentTests {
  @Test func commentsAndBareQuotedDottedKeys() throws {
    let table = try TOML.parse(
      """
      # leading comment
      title = "Charter" # trailing comment
      "quoted key" = 1
      'literal key' = 2
      site."google.com" = true
      physical.color = "orange"
      physical.shape = "round"
      bare-key_1 = 3
      """)
    #expect(table.keys == ["title", "quoted key", "literal key", "site", "physical", "bare-key_1"])
    #expect(table["title"]?.value == .string("Charter"))
    #expect(table["quoted key"]?.value == .integer(1))
    #expect(table["literal key"]?.value == .integer(2))
    guard case .table(let site)? = table["site"]?.value else {
      throw Failure("site is not a table")
    }
    #expect(site["google.com"]?.value == .bool(true))
    guard case .table(let physical)? = table["physical"]?.value else { throw Failure("physical") }
    #expect(physical.keys == ["color", "shape"])
    #expect(table["bare-key_1"]?.line == 8)
  }

  @Test func tablesAndArraysOfTables() throws {
    let table = try TOML.parse(
      """
      [bodies.council]
      quorum = "2/3"

      [bodies.council.chair]
      term = 4

      [bodies]
      count = 2

      [[members]]
      name = "A"

      [[members]]
      name = "B"
      [members.contact]
      email = "b@example.org"
      """)
    guard case .table(let bodies)? = table["bodies"]?.value else { throw Failure("bodies") }
    #expect(bodies.keys == ["council", "count"])
    #expect(bodies.line == 7)
    guard case .table(let council)? = bodies["council"]?.value else { throw Failure("council") }
    #expect(council.line == 1)
    #expect(council["quorum"]?.value == .string("2/3"))
    guard case .array(let members)? = table["members"]?.value else { throw Failure("members") }
    #expect(members.count == 2)
    guard case .table(let second) = members[1].value else { throw Failure("second member") }
    #expect(second["name"]?.value == .string("B"))
    guard case .table(let contact)? = second["contact"]?.value else { throw Failure("contact") }
    #expect(contact["email"]?.value == .string("b@example.org"))
  }

  @Test func basicStringEscapes() throws {
    let table = try TOML.parse(#"s = "tab\there \"q\" back\\slash \u00E9 \U0001F600 nl\n""#)
    #expect(table["s"]?.value == .string("tab\there \"q\" back\\slash é 😀 nl\n"))
  }

  @Test func multiLineStrings() throws {
    let table = try TOML.parse(
      """
      basic = \"\"\"
      Roses are red
      Violets are \\
          blue\"\"\"
      literal = '''
      C:\\path\\no escapes
      '''
      quotes = \"\"\"two "" inside and one at the end\"\"\"\"
      """)
    #expect(table["basic"]?.value == .string("Roses are red\nViolets are blue"))
    #expect(table["literal"]?.value == .string("C:\\path\\no escapes\n"))
    #expect(table["quotes"]?.value == .string("two \"\" inside and one at the end\""))
    #expect(table["literal"]?.line == 5)
  }

  @Test func literalStringKeepsBackslashes() throws {
    let table = try TOML.parse(#"path = 'C:\Users\charter'"#)
    #expect(table["path"]?.value == .string(#"C:\Users\charter"#))
  }

  @Test func integersInEveryBase() throws {
    let table = try TOML.parse(
      """
      a = 42
      b = -17
      c = 1_000_000
      d = 0xDEAD_beef
      e = 0o755
      f = 0b1101
      g = +0
      h = 9223372036854775807
      """)
    #expect(table["a"]?.value == .integer(42))
    #expect(table["b"]?.value == .integer(-17))
    #expect(table["c"]?.value == .integer(1_000_000))
    #expect(table["d"]?.value == .integer(0xDEAD_BEEF))
    #expect(table["e"]?.value == .integer(0o755))
    #expect(table["f"]?.value == .integer(13))
    #expect(table["g"]?.value == .integer(0))
    #expect(table["h"]?.value == .integer(Int64.max))
  }

  @Test func floatsAndBooleans() throws {
    let table = try TOML.parse(
      """
      a = 3.1415
      b = -0.01
      c = 5e+22
      d = 6.626e-34
      e = 1_000.5
      f = inf
      g = -inf
      h = nan
      t = true
      u = false
      """)
    #expect(table["a"]?.value == .float(3.1415))
    #expect(table["b"]?.value == .float(-0.01))
    #expect(table["c"]?.value == .float(5e22))
    #expect(table["d"]?.value == .float(6.626e-34))
    #expect(table["e"]?.value == .float(1000.5))
    #expect(table["f"]?.value == .float(.infinity))
    #expect(table["g"]?.value == .float(-.infinity))
    guard case .float(let nan)? = table["h"]?.value else { throw Failure("nan") }
    #expect(nan.isNaN)
    #expect(table["t"]?.value == .bool(true))
    #expect(table["u"]?.value == .bool(false))
  }

  @Test func localDatesAndOffsetDateTimes() throws {
    let table = try TOML.parse(
      """
      day = 2024-02-29
      utc = 1979-05-27T07:32:00Z
      shanghai = 1979-05-27 15:32:00.5+08:00
      """)
    #expect(table["day"]?.value == .localDate(TOMLLocalDate(year: 2024, month: 2, day: 29)))
    #expect(table["utc"]?.value == .dateTime(Date(timeIntervalSince1970: 296_638_320)))
    #expect(table["shanghai"]?.value == .dateTime(Date(timeIntervalSince1970: 296_638_320.5)))
  }

  @Test func arraysOverSeveralLinesWithCommentsAndTrailingComma() throws {
    let table = try TOML.parse(
      """
      days = [
        2026-10-01, # National Day
        2026-10-02,
      ]
      mixed = [1, "two", [3.0], {four = 4}]
      empty = []
      """)
    #expect(
      table["days"]?.value
        == .array([
          TOMLNode(
            value: .localDate(TOMLLocalDate(year: 2026, month: 10, day: 1)), line: 2, column: 3),
          TOMLNode(
            value: .localDate(TOMLLocalDate(year: 2026, month: 10, day: 2)), line: 3, column: 3),
        ]))
    guard case .array(let mixed)? = table["mixed"]?.value else { throw Failure("mixed") }
    #expect(mixed.count == 4)
    guard case .table(let four) = mixed[3].value else { throw Failure("inline table in array") }
    #expect(four["four"]?.value == .integer(4))
    #expect(table["empty"]?.value == .array([]))
  }

  @Test func inlineTablesWithDottedKeys() throws {
    let table = try TOML.parse(#"point = { x = 1, y.z = 2, name = "p" }"#)
    guard case .table(let point)? = table["point"]?.value else { throw Failure("point") }
    #expect(point.keys == ["x", "y", "name"])
    guard case .table(let y)? = point["y"]?.value else { throw Failure("y") }
    #expect(y["z"]?.value == .integer(2))
  }

  @Test func subTableOfDottedKeyTableIsAllowed() throws {
    let table = try TOML.parse(
      """
      [fruit]
      apple.color = "red"
      [fruit.apple.texture]
      smooth = true
      """)
    guard case .table(let fruit)? = table["fruit"]?.value,
      case .table(let apple)? = fruit["apple"]?.value
    else { throw Failure("fruit.apple") }
    #expect(apple.keys == ["color", "texture"])
  }

  @Test func crlfLineEndingsAndUnicodeColumns() throws {
    let table = try TOML.parse("# 注释\r\n\"名称\" = \"联盟\"\r\nx = 2")
    #expect(table["名称"]?.value == .string("联盟"))
    #expect(table["名称"]?.column == 8)
    #expect(table["x"]?.line == 3)
  }
}

struct Failure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

@Suite struct TOMLKeyPositionTests {
  @Test func keyPositionsPointAtTheKeyNotTheValue() throws {
    let table = try TOML.parse("  name = \"x\"\n[a.b]\nc.d = 1")
    #expect(table.keyPosition("name") == TOMLKeyPosition(line: 1, column: 3))
    #expect(table["name"]?.column == 10)
    #expect(table.keyPosition("a") == TOMLKeyPosition(line: 2, column: 2))
    guard case .table(let a)? = table["a"]?.value, case .table(let b)? = a["b"]?.value else {
      throw Failure("a.b")
    }
    #expect(a.keyPosition("b") == TOMLKeyPosition(line: 2, column: 4))
    #expect(b.keyPosition("c") == TOMLKeyPosition(line: 3, column: 1))
  }
}
