import Foundation
import Testing

/// `openssl s_client`, a client we did not write, against the in-process server
/// (issue 3 tests; RELIABILITY T1).
@Suite("Admin server and openssl s_client", .serialized)
struct OpenSSLClientTests {
  @Test func opensslClientGetsPingAnswered() async throws {
    let server = try TestServer()
    let outcome = try sClient(port: server.port, [], input: "PING\nQUIT\n")
    #expect(outcome.output.contains("OK PONG"), "\(outcome.output)")
    await server.stop()
  }

  @Test(arguments: [["-tls1"], ["-tls1_1"]])
  func oldProtocolVersionsAreRefused(_ version: [String]) async throws {
    let server = try TestServer()
    // SECLEVEL=0 lets this OpenSSL offer the old versions at all: the refusal is the server's.
    let outcome = try sClient(
      port: server.port, version + ["-cipher", "DEFAULT@SECLEVEL=0"], input: "PING\nQUIT\n")
    #expect(!outcome.output.contains("OK PONG"), "\(outcome.output)")
    #expect(outcome.status != 0)
    #expect(
      outcome.output.contains("protocol version") || outcome.output.contains("no protocols"),
      "\(outcome.output)")
    await server.stop()
  }

  @Test func aNonAEADSuiteIsRefused() async throws {
    let server = try TestServer()
    let outcome = try sClient(
      port: server.port,
      ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA"],
      input: "PING\nQUIT\n")
    #expect(!outcome.output.contains("OK PONG"), "\(outcome.output)")
    #expect(outcome.status != 0)
    #expect(outcome.output.contains("handshake failure"), "\(outcome.output)")
    await server.stop()
  }

  struct Outcome {
    let status: Int32
    let output: String
  }

  /// Runs `openssl s_client` with `input` on stdin, waiting for the server to close.
  private func sClient(port: UInt16, _ extra: [String], input: String) throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments =
      ["s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost", "-ign_eof"] + extra
    let stdin = Pipe()
    let output = Pipe()
    process.standardInput = stdin
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: watchdog)
    try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
    try? stdin.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    watchdog.cancel()
    return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
  }
}
