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

  /// The `### TENANT CREATE` headings of the section `## Commands`.
  func documentedCommands(_ text: String) -> [String] {
    let lines = text.split(separator: "\n")
    guard let start = lines.firstIndex(of: "## Commands") else { return [] }
    let section = lines[(start + 1)...].prefix { !$0.hasPrefix("## ") }
    return section.filter { $0.hasPrefix("### ") }.map { String($0.dropFirst(4)) }
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
      .refused, .unavailable,
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
      let wire = line.dropFirst(3).replacingOccurrences(of: "⇥", with: "\t") + "\n"
      count += try decoder.feed(Array(wire.utf8)).count
    }
    #expect(count >= CommandTable.admin.specs.count)
    #expect(decoder.isIdle)
  }

  /// Every example request is valid, or fails locally with exactly the error the example
  /// shows.
  @Test func exampleRequestsParseOrFailAsShown() throws {
    let lines = try document().split(separator: "\n").map(String.init)
    let table = CommandTable.admin
    var checked = 0
    for (index, line) in lines.enumerated() where line.hasPrefix("C: ") {
      let request = Array(line.dropFirst(3).utf8)
      let answer =
        lines[(index + 1)...].first { $0.hasPrefix("S: ") }.map { String($0.dropFirst(3)) } ?? ""
      var local: RequestError?
      do throws(RequestError) {
        let parsed = try RequestParser.parse(request)
        switch table.lookUp(parsed) {
        case .unknown(let error): throw error
        case .command(let spec, let start):
          if !spec.isAnsweredBySession || spec.name == "MODE" {
            _ = try table.arguments(of: spec, in: parsed, startingAt: start)
          }
        }
      } catch {
        local = error
      }
      let localCodes: [StatusCode] = [.badArguments, .badQuoting, .unknownCommand]
      if localCodes.contains(where: { answer.hasPrefix("ERR \($0.rawValue) ") }) {
        #expect(local.map { "ERR \($0.code) \($0.message)" } == answer, "\(line)")
      } else {
        #expect(local == nil, "\(line) fails locally: \(String(describing: local))")
      }
      checked += 1
    }
    #expect(checked >= 30)
  }

  /// The examples of commands the session answers itself are exactly what it sends.
  @Test func sessionAnsweredExamplesAreExact() throws {
    let lines = try document().split(separator: "\n").map(String.init)
    var compared = 0
    for (index, line) in lines.enumerated() where line.hasPrefix("C: ") {
      let request = String(line.dropFirst(3))
      let word = request.split(separator: " ").first?.uppercased() ?? ""
      guard ["PING", "HELP", "QUIT"].contains(word) || request == "MODE TEXT" else { continue }
      let expected = lines[(index + 1)...].prefix { $0.hasPrefix("S: ") }
        .map { $0.dropFirst(3).replacingOccurrences(of: "⇥", with: "\t") + "\n" }.joined()
      var driver = SessionDriver()
      if word == "MODE" {
        driver.login(as: operatorAlice)
        driver.send("MODE JSON\n")
      }
      let before = driver.sentBytes.count
      driver.send(request + "\n")
      #expect(
        String(decoding: driver.sentBytes[before...], as: UTF8.self) == expected, "\(request)")
      compared += 1
    }
    #expect(compared == 5)
  }
}
