import CharterProtocol
import Foundation
import Testing

@testable import CharterShell

@Suite struct ReplyRenderingTests {
  let tenants = Reply.table(
    columns: ["slug", "name", "status"],
    rows: [
      ["aitisa", "中关村视听产业技术创新联盟", "active"],
      ["cesa", "中国电子 工业标准化技术协会", "active"],
      ["ab", "Open Alliance", "disabled"],
    ], status: .ok("3 tenants"))

  @Test func tableColumnsLineUpInTerminalColumnsWithChineseNames() throws {
    let lines = TableRenderer.lines(columns: tenants.columns, rows: tenants.rows)
    #expect(lines.count == 5)
    // The widest name, 中国电子 工业标准化技术协会, is 12 wide characters and a space: 27.
    #expect(lines[0] == "slug    name                         status")
    #expect(lines[1] == "------  ---------------------------  --------")
    #expect(lines[2] == "aitisa  中关村视听产业技术创新联盟   active")
    #expect(lines[3] == "cesa    中国电子 工业标准化技术协会  active")
    #expect(lines[4] == "ab      Open Alliance                disabled")
    // The third column starts at the same terminal column on every line.
    let starts = lines.map { line -> Int in
      let lastGap = line.range(of: "  ", options: .backwards)?.upperBound ?? line.startIndex
      return DisplayWidth.of(line[..<lastGap])
    }
    #expect(Set(starts).count == 1)
  }

  @Test func noLineEndsInSpaces() {
    let lines = TableRenderer.lines(columns: ["a", "b"], rows: [["x", ""], ["", "y"]])
    #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
  }

  @Test func humanOutputIsTableThenMessage() {
    let rendered = ReplyRenderer.human(tenants)
    #expect(rendered.standardOutput.hasSuffix("3 tenants\n"))
    #expect(rendered.standardOutput.contains("aitisa  中关村视听产业技术创新联盟   active\n"))
    #expect(rendered.standardError.isEmpty)
  }

  @Test func errorsGoToStandardErrorWithTheirCode() {
    let rendered = ReplyRenderer.human(.error(.notFound, "no tenant nope"))
    #expect(rendered.standardOutput.isEmpty)
    #expect(rendered.standardError == "ERR NOT_FOUND no tenant nope\n")
  }

  @Test func byeSaysTheServerClosed() {
    let rendered = ReplyRenderer.human(Reply(status: .bye(.timeout, "idle for 600 s")))
    #expect(rendered.standardError.contains("BYE TIMEOUT idle for 600 s"))
    #expect(rendered.standardError.contains("closed the connection"))
  }

  @Test func freeTextRepliesPrintTheirLines() {
    let help = Reply.text(["TENANT USE <slug>", "access: operators"], status: .ok("TENANT USE"))
    #expect(
      ReplyRenderer.human(help).standardOutput
        == "TENANT USE <slug>\naccess: operators\nTENANT USE\n")
    #expect(ReplyRenderer.human(.ok("PONG")).standardOutput == "PONG\n")
    #expect(ReplyRenderer.human(.ok()).standardOutput == "OK\n")
  }

  @Test func controlCharactersInValuesAreShownNotObeyed() {
    let hostile = Reply.table(
      columns: ["name"], rows: [["evil\u{1B}[2Jname\nnext\u{202E}"]], status: .ok(""))
    let output = ReplyRenderer.human(hostile).standardOutput
    #expect(!output.contains("\u{1B}"))
    #expect(!output.contains("\u{202E}"))
    #expect(output.contains("evil\\u001B[2Jname\\nnext\\u202E"))
  }

  @Test func jsonOutputIsTheProtocolsJSONLines() throws {
    let output = ReplyRenderer.json(tenants).standardOutput
    let lines = output.split(separator: "\n").map(String.init)
    #expect(lines.count == 5)
    #expect(lines[0] == #"{"columns":["slug","name","status"]}"#)
    #expect(lines[1] == #"{"row":{"slug":"aitisa","name":"中关村视听产业技术创新联盟","status":"active"}}"#)
    #expect(lines[4] == #"{"status":"ok","message":"3 tenants"}"#)
    for line in lines {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
      #expect(object is [String: Any])
    }
    let error = ReplyRenderer.json(.error(.notFound, "no tenant nope")).standardOutput
    #expect(error == #"{"status":"error","code":"NOT_FOUND","message":"no tenant nope"}"# + "\n")
  }

  @Test func jsonRoundTripsThroughTheProtocolDecoder() throws {
    var decoder = ReplyDecoder()
    let replies = try decoder.feed(Array(ReplyRenderer.json(tenants).standardOutput.utf8))
    #expect(replies == [tenants])
  }
}
