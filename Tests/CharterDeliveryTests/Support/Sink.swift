import Foundation

#if canImport(Glibc)
  import Glibc
#endif

struct SinkStartFailed: Error, CustomStringConvertible {
  let description: String
}

/// A Python sink (Support/smtp_sink.py or Support/webhook_sink.py) run as a subprocess on
/// 127.0.0.1, saving what it receives as JSON files in a folder of its own.
final class Sink: @unchecked Sendable {
  let script: String
  /// The port the sink listens on; a retried start may move it (see `start`).
  private(set) var port: Int
  private let portWasChosen: Bool
  let folder: URL
  let arguments: [String]
  private var process: Process?

  init(script: String, port: Int? = nil, arguments: [String] = []) throws {
    self.script = script
    self.port = try port ?? Sink.freePort()
    portWasChosen = port != nil
    self.arguments = arguments
    folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "charter-sink-" + UUID().uuidString.lowercased())
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  static var supportDirectory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  }

  /// Starts the sink and waits until it listens. A port picked by `freePort` can be taken by
  /// another process before Python binds it (the suite runs in parallel): when the sink exits
  /// early, it is started again on a fresh port, three times at most. A loaded machine may
  /// take seconds to import aiosmtpd, hence the generous wait.
  func start() async throws {
    var lastOutput = ""
    for attempt in 1...3 {
      if attempt > 1 && !portWasChosen { port = try Sink.freePort() }
      try? FileManager.default.removeItem(at: folder.appendingPathComponent("READY"))
      let errors = folder.appendingPathComponent("stderr-\(attempt).txt")
      _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments =
        [
          "python3", Sink.supportDirectory.appendingPathComponent(script).path, String(port),
          folder.path,
        ]
        + arguments
      process.standardOutput = FileHandle.nullDevice
      process.standardError = try FileHandle(forWritingTo: errors)
      try process.run()
      self.process = process
      let deadline = ContinuousClock.now + .seconds(45)
      while ContinuousClock.now < deadline {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("READY").path) {
          return
        }
        if !process.isRunning { break }
        try await Task.sleep(for: .milliseconds(50))
      }
      let exitedEarly = !process.isRunning
      stop()
      lastOutput = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
      if !exitedEarly { break }
    }
    throw SinkStartFailed(
      description: "\(script) did not start on port \(port): \(lastOutput.suffix(800))")
  }

  /// Kills the subprocess (SIGKILL: a stopped mail server, not a polite one) and waits for it.
  func stop() {
    guard let process, process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    self.process = nil
  }

  /// The JSON records received so far, oldest first.
  func records() throws -> [[String: Any]] {
    let files = try FileManager.default.contentsOfDirectory(
      at: folder, includingPropertiesForKeys: [.contentModificationDateKey]
    ).filter { $0.pathExtension == "json" }
    let dated = try files.map {
      (
        try $0.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate
          ?? .distantPast, $0
      )
    }.sorted { $0.0 < $1.0 }
    return try dated.map { _, url in
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }
  }

  func setStatus(_ status: Int) throws {
    try String(status).write(
      to: folder.appendingPathComponent("STATUS"), atomically: true, encoding: .utf8)
  }

  deinit {
    stop()
    try? FileManager.default.removeItem(at: folder)
  }

  /// A port nobody listens on right now: bound to 0, read, closed.
  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SinkStartFailed(description: "socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0 else { throw SinkStartFailed(description: "bind failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
