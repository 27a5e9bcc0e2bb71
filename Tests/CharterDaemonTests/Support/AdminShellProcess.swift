import Foundation

/// Runs the built `charter` with a private known_hosts and the daemon's fingerprint file.
struct AdminShellProcess {
  var data: URL
  var port: UInt16

  func run(password: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = DaemonProcess.productsDirectory.appendingPathComponent("charter")
    process.arguments =
      [
        "--known-hosts", data.appendingPathComponent("known_hosts").path,
        "--fingerprint-file", data.appendingPathComponent("tls/fingerprint.sha256").path,
        "--user", "admin", "--no-history",
      ] + arguments + ["127.0.0.1:\(port)"]
    process.environment = [
      "CHARTER_PASSWORD": password, "HOME": data.path, "PATH": "/usr/bin:/bin",
    ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let bytes = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: bytes, as: UTF8.self))
  }
}
