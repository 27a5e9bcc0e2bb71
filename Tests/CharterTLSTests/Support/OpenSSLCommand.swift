import Foundation

/// Runs `openssl` (which does not daemonise, so Foundation.Process is safe) with stdin piped,
/// and returns its exit status and merged output. Killed after `timeout` seconds.
enum OpenSSLCommand {
  struct Outcome {
    let status: Int32
    let output: String

    /// The echo of the default input came back. s_client's stdout and stderr interleave
    /// (a session dump can be cut by the echo), so look for the word, not for a whole line.
    var echoed: Bool { output.contains("hello") }
  }

  /// `input` is a list of chunks written one `pause` apart; stdin closes after the last.
  static func run(_ arguments: [String], input: [String], pause: Double = 0, timeout: Double = 20)
    throws
    -> Outcome
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = arguments
    let stdin = Pipe()
    let output = Pipe()
    process.standardInput = stdin
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
    let writer = stdin.fileHandleForWriting
    let feeding = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      for chunk in input {
        try? writer.write(contentsOf: Data(chunk.utf8))
        if pause > 0 { usleep(UInt32(pause * 1_000_000)) }
      }
      try? writer.close()
      feeding.signal()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    feeding.wait()
    process.waitUntilExit()
    watchdog.cancel()
    return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
  }

  /// `openssl s_client` against 127.0.0.1:`port`, sending `input` and waiting for the
  /// server to close (-ign_eof).
  static func sClient(port: UInt16, _ extra: [String], input: String = "hello\nbye\n") throws
    -> Outcome
  {
    try run(
      ["s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost", "-ign_eof"] + extra,
      input: [input])
  }
}
