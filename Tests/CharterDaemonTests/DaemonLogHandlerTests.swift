import CharterDaemon
import Foundation
import Logging
import Synchronization
import Testing

/// The daemon's log lines (issue 7: text on a terminal, JSON lines otherwise, with tenant and
/// request ids as metadata).
@Suite("charterd log lines")
struct DaemonLogHandlerTests {
  /// Lines written by a logger with our handler, collected instead of going to stderr.
  final class Capture: Sendable {
    let lines = Mutex<[String]>([])
    func logger(_ format: DaemonLogHandler.Format, level: Logger.Level) -> Logger {
      Logger(label: "charterd") { label in
        DaemonLogHandler(label: label, format: format, level: level) { line in
          self.lines.withLock { $0.append(line) }
        }
      }
    }
    var all: [String] { lines.withLock { $0 } }
  }

  @Test func jsonLineParsesWithLevelMessageAndMetadata() throws {
    let capture = Capture()
    var logger = capture.logger(.json, level: .info)
    logger[metadataKey: "tenant"] = "zgc-alliance"
    logger.warning(
      "login refused: \"bad\" password\nsecond line", metadata: ["request": "r-42", "session": "7"])
    let lines = capture.all
    try #require(lines.count == 1)
    #expect(lines[0].hasSuffix("\n"))
    #expect(lines[0].dropLast().contains("\n") == false, "one event, one line")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    #expect(object["level"] as? String == "warning")
    #expect(object["message"] as? String == "login refused: \"bad\" password\nsecond line")
    #expect(object["time"] is String)
    let metadata = try #require(object["metadata"] as? [String: Any])
    #expect(metadata["tenant"] as? String == "zgc-alliance")
    #expect(metadata["request"] as? String == "r-42")
    #expect(metadata["session"] as? String == "7")
  }

  @Test func textLineHasTimestampLevelMessageAndMetadata() throws {
    let capture = Capture()
    let logger = capture.logger(.text, level: .info)
    logger.info("admin server listening on 127.0.0.1:7433 (TLS)", metadata: ["tenant": "t 1"])
    let line = try #require(capture.all.first)
    let fields = line.split(separator: " ", maxSplits: 2)
    #expect(fields.count == 3)
    #expect(ISO8601DateFormatter().date(from: String(fields[0])) != nil, "\(line)")
    #expect(fields[1] == "info")
    #expect(
      fields[2] == "admin server listening on 127.0.0.1:7433 (TLS) tenant=\"t 1\"\n", "\(line)")
  }

  @Test func levelBelowTheConfiguredOneIsDropped() {
    let capture = Capture()
    let logger = capture.logger(.text, level: .warning)
    logger.debug("debug")
    logger.info("info")
    logger.warning("warning")
    logger.error("error")
    #expect(capture.all.map { $0.split(separator: " ")[1] } == ["warning", "error"])
  }

  @Test func autoIsTextOnATerminalAndJSONOtherwise() {
    #expect(DaemonLogHandler.Format.resolve("auto", standardErrorIsTerminal: true) == .text)
    #expect(DaemonLogHandler.Format.resolve("auto", standardErrorIsTerminal: false) == .json)
    #expect(DaemonLogHandler.Format.resolve("json", standardErrorIsTerminal: true) == .json)
    #expect(DaemonLogHandler.Format.resolve("text", standardErrorIsTerminal: false) == .text)
  }
}
