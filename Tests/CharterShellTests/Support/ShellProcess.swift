import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The built `charter`, run as a user would, with its own HOME (so known_hosts and history
/// go to a private folder) and no CHARTER_ variables from the test's environment.
struct ShellProcess {
  struct Result {
    var status: Int32
    var standardOutput: String
    var standardError: String
  }

  /// The build products folder: the test bundle sits there beside charter.
  static var productsDirectory: URL {
    var url = Bundle.main.bundleURL
    if url.pathExtension == "xctest" { url = url.deletingLastPathComponent() }
    for candidate in [
      url, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
    ]
    where FileManager.default.isExecutableFile(
      atPath: candidate.appendingPathComponent("charter").path)
    {
      return candidate
    }
    return url
  }

  static var executable: String { productsDirectory.appendingPathComponent("charter").path }

  /// Runs charter to its end (killed after `timeout`), standard input from `input`
  /// (nil: /dev/null).
  static func run(
    _ arguments: [String], home: String, input: String? = nil,
    environment: [String: String] = [:], timeout: Duration = .seconds(60)
  ) async throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var inherited = ProcessInfo.processInfo.environment.filter {
      !$0.key.hasPrefix("CHARTER_") && $0.key != "XDG_CONFIG_HOME"
    }
    inherited["HOME"] = home
    inherited.merge(environment) { $1 }
    process.environment = inherited
    let outputFile = home + "/stdout-\(UUID().uuidString.prefix(8))"
    let errorFile = home + "/stderr-\(UUID().uuidString.prefix(8))"
    _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
    _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
    let inputPipe = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
    try process.run()
    if let input {
      inputPipe.fileHandleForWriting.write(Data(input.utf8))
      try inputPipe.fileHandleForWriting.close()
    }
    let deadline = ContinuousClock.now + timeout
    while process.isRunning && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(20))
    }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    return Result(
      status: process.terminationStatus,
      // Decoded byte for byte: String(contentsOfFile:encoding:) would drop a leading BOM,
      // which REGISTER EXPORT writes on purpose.
      standardOutput: String(
        decoding: (try? Data(contentsOf: URL(fileURLWithPath: outputFile))) ?? Data(),
        as: UTF8.self),
      standardError: String(
        decoding: (try? Data(contentsOf: URL(fileURLWithPath: errorFile))) ?? Data(),
        as: UTF8.self))
  }
}

/// A fresh folder standing in for the user's HOME, removed by `remove()`.
struct TemporaryHome {
  let path: String

  init() throws {
    path = "/tmp/charter-shell-home-" + UUID().uuidString.prefix(8).lowercased()
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  var knownHostsFile: String { path + "/.config/charter/known_hosts" }
  var historyFile: String { path + "/.config/charter/history" }

  func remove() { try? FileManager.default.removeItem(atPath: path) }
}
