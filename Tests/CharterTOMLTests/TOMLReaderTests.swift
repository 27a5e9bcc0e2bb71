import CharterTOML
import Foundation
import Testing

@Suite struct TOMLReaderTests {
  let document = """
    name = "工业互联网产业联盟"
    founded = 2016-02-01
    active = true

    [bodies.council]
    quorum = "2/3"
    term = 4
    tags = ["a", "b"]

    [[bodies.council.seat]]
    holder = "X"
    [[bodies.council.seat]]
    holder = "Y"
    """

  private func reader() throws -> TOMLReader {
    TOMLReader(try TOML.parse(document, file: "aii.toml"), file: "aii.toml")
  }

  private func thrown(_ body: () throws -> Void) -> TOMLError? {
    do {
      try body()
      return nil
    } catch {
      return error as? TOMLError
    }
  }

  @Test func typedAccessorsReadValues() throws {
    let root = try reader()
    #expect(try root.string("name") == "工业互联网产业联盟")
    #expect(try root.date("founded") == TOMLLocalDate(year: 2016, month: 2, day: 1))
    #expect(try root.bool("active"))
    #expect(try root.optionalString("missing") == nil)
    let council = try root.table("bodies").table("council")
    #expect(council.path == "bodies.council")
    #expect(try council.int("term") == 4)
    #expect(try council.stringArray("tags") == ["a", "b"])
    #expect(try council.tableArray("seat").map { try $0.string("holder") } == ["X", "Y"])
    #expect(root.tables().map(\.key) == ["bodies"])
    #expect(root.keys == ["name", "founded", "active", "bodies"])
  }

  @Test func wrongTypeNamesFileLineAndFullKeyPath() throws {
    let council = try reader().table("bodies").table("council")
    let error = try #require(thrown { _ = try council.int("quorum") })
    #expect(
      error.description
        == "aii.toml:6:10: bodies.council.quorum: expected an integer, found a string")
  }

  @Test func missingKeyPointsAtTheTable() throws {
    let council = try reader().table("bodies").table("council")
    let error = try #require(thrown { _ = try council.string("chair") })
    #expect(error.line == 5)
    #expect(error.key == "bodies.council.chair")
    #expect(error.message == "missing required key")
  }

  @Test func wrongArrayElementPointsAtTheElement() throws {
    let root = TOMLReader(try TOML.parse("tags = [\"a\",\n  3]"), file: "x.toml")
    let error = try #require(thrown { _ = try root.stringArray("tags") })
    #expect(error.line == 2)
    #expect(error.column == 3)
    #expect(error.key == "tags")
  }

  @Test func unknownKeyIsRejectedWithItsLocation() throws {
    let council = try reader().table("bodies").table("council")
    #expect(
      thrown { try council.rejectUnknownKeys(allowed: ["quorum", "term", "tags", "seat"]) } == nil)
    let error = try #require(
      thrown { try council.rejectUnknownKeys(allowed: ["quorum", "tags", "seat"]) })
    #expect(error.file == "aii.toml")
    #expect(error.line == 7)
    #expect(error.column == 1)
    #expect(error.key == "bodies.council.term")
    #expect(error.message.hasPrefix("unknown key 'term'"))
  }

  @Test func errorAtKeyOrTable() throws {
    let council = try reader().table("bodies").table("council")
    let atKey = council.error("term", "must be at most 3")
    #expect(atKey.description == "aii.toml:7:8: bodies.council.term: must be at most 3")
    let atTable = council.error(nil, "needs a chair")
    #expect(atTable.line == 5)
    #expect(atTable.key == "bodies.council")
  }
}
