import CharterProtocol
import CharterShell
import Testing

/// REGISTER EXPORT answers its CSV as text lines with a bare OK (issue 5): what the shell
/// prints for that reply, redirected to a file, must be the CSV file itself, byte for byte
/// (BOM, Chinese, quoted commas and quotes), with nothing else on standard output.
@Suite struct RegisterExportRenderingTests {
  @Test func aTextReplyWithABareOKPrintsExactlyItsLinesSoTheRedirectIsTheCSVFile() throws {
    let lines = [
      "\u{FEFF}name,kind,credit_code,tier,status",
      "\"北京示例科技有限公司, 第一分公司\",unit,91110000MA01000001,director,member",
      "\"张\"\"小\"\"三\",individual,,member,former",
    ]
    let reply = Reply.text(lines, status: .ok(""))
    // Over the wire and back, as the shell receives it.
    var decoder = ReplyDecoder()
    let received = try #require(try decoder.feed(ReplyEncoder.encode(reply, mode: .text)).first)
    let rendered = ReplyRenderer.human(received)
    #expect(rendered.standardOutput == lines.map { $0 + "\n" }.joined())
    #expect(rendered.standardError.isEmpty)
    #expect(Array(rendered.standardOutput.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
  }

  /// `\import-register FILE` sends the file in ROWS requests that each fit a request line and
  /// that, parsed as the server parses them, give back the file exactly.
  @Test func importRegisterSplitsAFileIntoRequestsThatCarryItExactly() throws {
    let row = "\"北京示例科技有限公司, 第一分公司\",unit,91110000MA01000001,\"张\"\"三\\\",director\r\n"
    let text =
      "\u{FEFF}name,kind,credit_code,contact_name,tier\n" + String(repeating: row, count: 900)
    let requests = RegisterImportUpload.rowRequests(
      batch: "7e1f0a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b", text: text)
    #expect(requests.count > 1)
    var carried = ""
    for request in requests {
      #expect(request.utf8.count < 65_536)
      let parsed = try RequestParser.parse(Array(request.utf8))
      #expect(parsed.words.prefix(3).map(\.text) == ["REGISTER", "IMPORT", "ROWS"])
      carried += try #require(parsed.words.last?.text)
    }
    #expect(carried == text)
    #expect(
      RegisterImportUpload.fileArgument(of: "\\import-register  /tmp/register.csv ")
        == "/tmp/register.csv")
    #expect(RegisterImportUpload.fileArgument(of: "REGISTER EXPORT") == nil)
  }
}
