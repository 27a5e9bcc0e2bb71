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
}
