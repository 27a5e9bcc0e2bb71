import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The built `charterd`, run as an operator would: its own process, arguments, stderr to a
/// file the test reads, signals to stop it.
final class DaemonProcess {
  let process = Process()
  let logFile: URL

  /// The build products folder: the test bundle sits there beside charterd.
  static var productsDirectory: URL {
    var url = Bundle.main.bundleURL
    if url.pathExtension == "xctest" { url = url.deletingLastPathComponent() }
    for candidate in [
      url, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
    ]
    where FileManager.default.isExecutableFile(
      atPath: candidate.appendingPathComponent("charterd").path)
    {
      return candidate
    }
    return url
  }

  static var executable: URL { productsDirectory.appendingPathComponent("charterd") }

  init(_ arguments: [String], environment: [String: String] = [:]) throws {
    logFile = URL(
      fileURLWithPath: NSTemporaryDirectory() + "charterd-test-\(UUID().uuidString).log")
    FileManager.default.createFile(atPath: logFile.path, contents: nil)
    process.executableURL = Self.executable
    process.arguments = arguments
    var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CHARTER_") }
    inherited.merge(environment) { $1 }
    // Daemons of parallel tests (and other worktrees) must not fight over port 7433.
    if inherited["CHARTER_LISTEN"] == nil, !arguments.contains("--listen") {
      // Port 0: the kernel picks a free port at bind time, so parallel tests never race
      // for one; `adminPort()` reads it from the log.
      inherited["CHARTER_LISTEN"] = "127.0.0.1:0"
    }
    process.environment = inherited
    let handle = try FileHandle(forWritingTo: logFile)
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
  }

  var output: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

  /// Waits until the output contains `text`, or the process exits, or `timeout` passes.
  func waitForOutput(_ text: String, timeout: Duration = .seconds(60)) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if output.contains(text) { return true }
      if !process.isRunning { return output.contains(text) }
      try? await Task.sleep(for: .milliseconds(50))
    }
    return false
  }

  /// Waits for the daemon's ready line (not a mere "ready" inside "already in use").
  func waitForReady(timeout: Duration = .seconds(60)) async -> Bool {
    await waitForOutput(" ready; database:", timeout: timeout)
  }

  /// The admin server's port, from the "admin server listening on HOST:PORT (TLS)" log line.
  func adminPort() -> UInt16? {
    let marker = "admin server listening on "
    guard let range = output.range(of: marker) else { return nil }
    let address = output[range.upperBound...].prefix { $0 != " " && $0 != "\n" }
    guard let colon = address.lastIndex(of: ":") else { return nil }
    return UInt16(address[address.index(after: colon)...])
  }

  /// Sends `signal` and waits for the exit; returns the exit status.
  func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(60)) async -> Int32 {
    if process.isRunning { kill(process.processIdentifier, signal) }
    return await waitForExit(timeout: timeout)
  }

  func waitForExit(timeout: Duration = .seconds(60)) async -> Int32 {
    let deadline = ContinuousClock.now + timeout
    while process.isRunning && ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(50))
    }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      return -1
    }
    return process.terminationStatus
  }

  /// Runs charterd to completion (for one-shot subcommands).
  static func runToEnd(_ arguments: [String], environment: [String: String] = [:]) async throws -> (
    status: Int32, output: String
  ) {
    let daemon = try DaemonProcess(arguments, environment: environment)
    let status = await daemon.waitForExit(timeout: .seconds(120))
    return (status, daemon.output)
  }
}

/// A short folder in /tmp (unix socket paths are limited to 107 bytes), removed by `remove`.
func temporaryDataDirectory() -> URL {
  URL(fileURLWithPath: "/tmp/charterd-t-\(UUID().uuidString.prefix(8).lowercased())")
}
