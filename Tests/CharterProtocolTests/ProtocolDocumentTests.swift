import CharterProtocol
import Foundation
import Testing

/// docs/protocol.md and the command table describe the same commands (DESIGN: "a client
/// written from that document alone must work").
@Suite struct ProtocolDocumentTests {
  func document() throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/protocol.md")
    return try String(contentsOf: url, encoding: .utf8)
  }

  /// `### TENANT CREATE` headings of the command reference.
  func documentedCommands(_ text: String) -> [String] {
    text.split(separator: "\n").filter { $0.hasPrefix("### ") }.map { String($0.dropFirst(4)) }
  }

  @Test func everyCommandHasASectionWithItsUsageAndAnExample() throws {
    let text = try document()
    let documented = documentedCommands(text)
    for spec in CommandTable.admin.specs {
      #expect(documented.contains(spec.name), "docs/protocol.md has no section ### \(spec.name)")
      #expect(
        text.contains("`\(spec.usage)`"), "docs/protocol.md does not show the usage `\(spec.usage)`"
      )
    }
  }

  @Test func everyCommandSectionIsInTheTable() throws {
    let names = Set(CommandTable.admin.specs.map(\.name))
    for heading in documentedCommands(try document()) {
      #expect(
        names.contains(heading), "docs/protocol.md documents \(heading), which the table lacks")
    }
  }

  @Test func everyStatusCodeOfTheProtocolIsListed() throws {
    let text = try document()
    let codes: [StatusCode] = [
      .lineTooLong, .invalidUTF8, .controlCharacter, .badQuoting, .emptyRequest, .unknownCommand,
      .badArguments,
      .notLoggedIn, .forbidden, .authenticationFailed, .noTenantSelected, .notFound, .conflict,
      .unavailable,
      .internalError, .shuttingDown, .timeout, .tooManyErrors, .budgetExceeded,
    ]
    for code in codes {
      #expect(text.contains("| `\(code.rawValue)` |"), "status code \(code) missing from the table")
    }
  }

  /// The example exchanges are real: every `S:` line block of the document decodes as
  /// replies.
  @Test func exampleRepliesDecode() throws {
    var decoder = ReplyDecoder()
    var count = 0
    for line in try document().split(separator: "\n") where line.hasPrefix("S: ") {
      count += try decoder.feed(Array((line.dropFirst(3) + "\n").utf8)).count
    }
    #expect(count >= CommandTable.admin.specs.count)
    #expect(decoder.isIdle)
  }
}
