import CharterTLS
import Foundation

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// Requests per second of `PING` over TLS, as `redis-benchmark -t PING_INLINE -c C -P P -n R`
/// measures it: C connections, each on its own thread, each writing P lines at once and then
/// reading P replies, R requests in all. Connections are made (and answer one PING) before
/// the clock starts.
func measurePingRate(
  port: UInt16, configuration: TLSClientConfiguration, connections: Int, pipeline: Int,
  requests: Int
) throws -> Double {
  let run = PingRun()
  for index in 0..<connections {
    let share = requests / connections + (index < requests % connections ? 1 : 0)
    let thread = Thread {
      run.drive(
        port: port, configuration: configuration, pipeline: pipeline, requests: share)
    }
    thread.start()
  }
  for _ in 0..<connections { run.ready.wait() }
  let start = ContinuousClock.now
  for _ in 0..<connections { run.go.signal() }
  for _ in 0..<connections { run.finished.wait() }
  let (seconds, attoseconds) = (ContinuousClock.now - start).components
  if let failure = run.firstFailure {
    throw ProtocolBenchmarkFailure(description: failure)
  }
  return Double(requests) / (Double(seconds) + Double(attoseconds) / 1e18)
}

/// What the connection threads share: three gates and the first failure.
private final class PingRun: @unchecked Sendable {
  let ready = DispatchSemaphore(value: 0)
  let go = DispatchSemaphore(value: 0)
  let finished = DispatchSemaphore(value: 0)
  private let lock = NSLock()
  private var failure: String?

  var firstFailure: String? { lock.withLock { failure } }

  func drive(port: UInt16, configuration: TLSClientConfiguration, pipeline: Int, requests: Int) {
    var client: TLSClient?
    do {
      let connected = try TLSClient(host: "127.0.0.1", port: port, configuration: configuration)
      client = connected
      try exchange(connected, count: 1)
    } catch {
      record("connect: \(error)")
    }
    ready.signal()
    go.wait()
    defer {
      client?.close()
      finished.signal()
    }
    guard let client else { return }
    do {
      var remaining = requests
      while remaining > 0 {
        let batch = min(pipeline, remaining)
        try exchange(client, count: batch)
        remaining -= batch
      }
    } catch {
      record("\(error)")
    }
  }

  /// Writes `count` PING lines in one write, then reads as many replies.
  private func exchange(_ client: TLSClient, count: Int) throws {
    try client.write(Array(String(repeating: "PING\r\n", count: count).utf8))
    for _ in 0..<count {
      guard let reply = try client.readLine(), reply.contains("PONG") else {
        throw ProtocolBenchmarkFailure(description: "PING got no PONG")
      }
    }
  }

  private func record(_ message: String) {
    lock.withLock { if failure == nil { failure = message } }
  }
}
