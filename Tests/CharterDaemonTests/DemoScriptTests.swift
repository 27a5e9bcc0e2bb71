import Foundation
import Testing

@testable import CharterDaemon

/// The demo script syntax (Config/demo/*.charter): captures, variables, expected refusals.
@Suite struct DemoScriptTests {
  @Test func aCaptureOfTwoNamesKeepsTheApplicationAndTheMemberOfMemberApply() throws {
    let script = DemoScript(
      name: "t.charter",
      text: """
        # comment
        a1, m1 := MEMBER APPLY unit "甲" credit=91110108MA01AC1001

        !MEMBER APPLY unit "乙"
        """)
    #expect(script.lines.count == 2)
    #expect(script.lines[0].captures == ["a1", "m1"])
    #expect(script.lines[0].number == 2)
    #expect(script.lines[1].expectsError && script.lines[1].captures.isEmpty)
    #expect(script.lines[1].command == "MEMBER APPLY unit \"乙\"")
    let reply = """
      * application: 0b7d5c1e-3f4a-4b6c-9d8e-1f2a3b4c5d6e
      * member: 5A0C2F7E-1B3D-4E6F-8A9B-0C1D2E3F4A5B 甲
      OK application 0b7d5c1e-3f4a-4b6c-9d8e-1f2a3b4c5d6e received
      """
    #expect(
      DemoScript.uuids(in: reply) == [
        "0b7d5c1e-3f4a-4b6c-9d8e-1f2a3b4c5d6e", "5a0c2f7e-1b3d-4e6f-8a9b-0c1d2e3f4a5b",
        "0b7d5c1e-3f4a-4b6c-9d8e-1f2a3b4c5d6e",
      ])
  }

  @Test func anIdAfterASpaceIsNotShiftedByOneCharacter() {
    #expect(
      DemoScript.uuids(in: "x 0b7d5c1e-3f4a-4b6c-9d8e-1f2a3b4c5d6e")
        == ["0b7d5c1e-3f4a-4b6c-9d8e-1f2a3b4c5d6e"])
    #expect(DemoScript.uuids(in: "0b7d5c1e-3f4a-4b6c-9d8e-1f2a3b4c5d6").isEmpty)
  }

  @Test func daysAndYearsAreRelativeToTodayInShanghai() throws {
    // 2026-12-31T20:00Z is already 2027-01-01 in Asia/Shanghai.
    let today = try #require(ISO8601DateFormatter().date(from: "2026-12-31T20:00:00Z"))
    let expanded = DemoScript.expand(
      "FEE SET ${year:+0} member 1 ${day:-1} ${year:-1} ${id}", variables: ["id": "abc"],
      today: today)
    #expect(try expanded.get() == "FEE SET 2027 member 1 2026-12-31 2026 abc")
    #expect(throws: DemoError.self) {
      try DemoScript.expand("${nosuch}", variables: [:], today: today).get()
    }
  }
}
