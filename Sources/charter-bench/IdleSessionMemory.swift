import CharterTLS
import Foundation

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

struct IdleSessionMemory {
  let beforeKiB: Int
  let afterKiB: Int
  let sessions: Int
  var kibPerSession: Double { Double(afterKiB - beforeKiB) / Double(sessions) }
}

/// The resident memory of the server process `pid` before and after `sessions` idle sessions
/// are opened to it (TLS handshake done, one PING answered, then nothing). A few sessions
/// are opened and closed first so that one-time costs (thread pools, lazily built tables)
/// are not charged to the sessions. The clients live in this process, not the server's.
func measureIdleSessionMemory(
  port: UInt16, configuration: TLSClientConfiguration, pid: Int32, sessions: Int
) throws -> IdleSessionMemory {
  raiseOpenFileLimit()
  for _ in 0..<20 {
    let client = try openIdleSession(port: port, configuration: configuration)
    client.close()
  }
  usleep(300_000)
  let before = try residentKiB(of: pid)
  var clients: [TLSClient] = []
  clients.reserveCapacity(sessions)
  defer { for client in clients { client.close() } }
  for _ in 0..<sessions {
    clients.append(try openIdleSession(port: port, configuration: configuration))
  }
  usleep(300_000)
  let after = try residentKiB(of: pid)
  return IdleSessionMemory(beforeKiB: before, afterKiB: after, sessions: sessions)
}

private func openIdleSession(port: UInt16, configuration: TLSClientConfiguration) throws
  -> TLSClient
{
  let client = try TLSClient(host: "127.0.0.1", port: port, configuration: configuration)
  try client.writeLine("PING")
  guard let reply = try client.readLine(), reply.contains("PONG") else {
    throw ProtocolBenchmarkFailure(description: "PING got no PONG")
  }
  return client
}

/// VmRSS of /proc/PID/status, in KiB.
private func residentKiB(of pid: Int32) throws -> Int {
  let path = "/proc/\(pid)/status"
  guard let text = try? String(contentsOfFile: path, encoding: .utf8),
    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
    let value = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
      .flatMap({ Int($0) })
  else { throw ProtocolBenchmarkFailure(description: "cannot read VmRSS from \(path)") }
  return value
}

/// Each idle session holds a descriptor here too; the soft limit is often 1,024.
private func raiseOpenFileLimit() {
  let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
  var limit = rlimit()
  guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
  limit.rlim_cur = limit.rlim_max
  _ = setrlimit(resource, &limit)
}
