import Foundation

#if canImport(Glibc)
  import Glibc
#endif

struct SinkFailure: Error, CustomStringConvertible {
  let description: String
}

/// The delivery tests' aiosmtpd sink (Tests/CharterDeliveryTests/Support/smtp_sink.py) run on
/// 127.0.0.1: it saves a JSON summary per message it accepted (written before its 250 reply).
final class SMTPSinkProcess {
  private(set) var port = 0
  let folder: URL
  private var process: Process?

  init() throws {
    folder = URL(fileURLWithPath: "/tmp/charter-rsink-\(UUID().uuidString.prefix(8).lowercased())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  private static var script: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("CharterDeliveryTests/Support/smtp_sink.py")
  }

  /// Starts the sink on a free port and waits until it listens; a port taken between our
  /// probe and Python's bind is retried on another.
  func start() async throws {
    var errorText = ""
    for attempt in 1...3 {
      port = Int(try freePort())
      try? FileManager.default.removeItem(at: folder.appendingPathComponent("READY"))
      let errors = folder.appendingPathComponent("stderr-\(attempt).txt")
      _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["python3", Self.script.path, String(port), folder.path]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = try FileHandle(forWritingTo: errors)
      try process.run()
      self.process = process
      let deadline = ContinuousClock.now + .seconds(60)
      while ContinuousClock.now < deadline, process.isRunning {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("READY").path) {
          return
        }
        try await Task.sleep(for: .milliseconds(50))
      }
      stop()
      errorText = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
    }
    throw SinkFailure(description: "smtp_sink.py did not start: \(errorText.suffix(800))")
  }

  func stop() {
    guard let process, process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    self.process = nil
  }

  func remove() {
    stop()
    try? FileManager.default.removeItem(at: folder)
  }

  /// One accepted message: its Message-ID and envelope recipients.
  struct Receipt: Sendable {
    var messageID: String
    var recipients: [String]
  }

  /// Everything accepted so far.
  func receipts() throws -> [Receipt] {
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasSuffix(".json")
    }
    return try files.map { name in
      let data = try Data(contentsOf: folder.appendingPathComponent(name))
      let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
      return Receipt(
        messageID: object["message_id"] as? String ?? "",
        recipients: object["rcpt_tos"] as? [String] ?? [])
    }
  }

  /// How many messages were accepted so far (cheaper than reading them).
  func count() -> Int {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.count
  }
}
