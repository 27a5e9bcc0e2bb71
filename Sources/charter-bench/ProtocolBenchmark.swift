import CharterTLS
import Foundation

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// `charter-bench protocol serve|ping|idle`: the parts of the admin protocol benchmark that
/// Scripts/lib/bench-protocol.sh puts side by side with redis-server (issue 3). The script
/// runs the servers and the baseline tools; these commands are our server and our clients.
///
/// - `serve --folder DIR`: an in-process AdminServer on 127.0.0.1:0 with the self-signed
///   identity of DIR (made when missing); prints `port N` and runs until stdin closes.
/// - `ping --port N --folder DIR --connections C --pipeline P --requests R`: PING over TLS,
///   one thread per connection, P lines written then P replies read; prints `requests/s X`.
///   Speaks to any server that answers a `PING` line with a line holding `PONG` (Redis too).
/// - `idle --port N --folder DIR --pid PID --sessions S`: the resident memory of process PID
///   before and after S idle sessions (handshake done, PING answered once).
func runProtocolBenchmark(_ arguments: [String]) -> Int32 {
  let usage = """
    usage: charter-bench protocol serve --folder DIR
           charter-bench protocol ping --port N --folder DIR --connections C --pipeline P --requests R
           charter-bench protocol idle --port N --folder DIR --pid PID --sessions S

    """
  guard let mode = arguments.first, let options = parseOptions(Array(arguments.dropFirst())),
    let folder = options["folder"]
  else {
    FileHandle.standardError.write(Data(usage.utf8))
    return 2
  }
  signal(SIGPIPE, SIG_IGN)
  do {
    switch mode {
    case "serve":
      try serveAdminServerForBenchmark(folder: folder)
      return 0
    case "ping":
      guard let port = options["port"].flatMap({ UInt16($0) }),
        let connections = positive(options["connections"]),
        let pipeline = positive(options["pipeline"]), let requests = positive(options["requests"])
      else { break }
      let rate = try measurePingRate(
        port: port, configuration: try benchmarkClientConfiguration(folder: folder),
        connections: connections, pipeline: pipeline, requests: requests)
      print("requests/s \(String(format: "%.0f", rate))")
      return 0
    case "idle":
      guard let port = options["port"].flatMap({ UInt16($0) }),
        let pid = options["pid"].flatMap({ Int32($0) }),
        let sessions = positive(options["sessions"])
      else { break }
      let memory = try measureIdleSessionMemory(
        port: port, configuration: try benchmarkClientConfiguration(folder: folder), pid: pid,
        sessions: sessions)
      print(
        "rss before \(memory.beforeKiB) KiB, after \(memory.afterKiB) KiB, "
          + "per session \(String(format: "%.1f", memory.kibPerSession)) KiB")
      return 0
    default: break
    }
  } catch {
    FileHandle.standardError.write(Data("charter-bench protocol \(mode): \(error)\n".utf8))
    return 1
  }
  FileHandle.standardError.write(Data(usage.utf8))
  return 2
}

struct ProtocolBenchmarkFailure: Error, CustomStringConvertible {
  let description: String
}

/// The clients pin the certificate of DIR: the same one our server and redis-server present.
private func benchmarkClientConfiguration(folder: String) throws -> TLSClientConfiguration {
  let identity = try SelfSignedServerIdentity.loadOrCreate(in: folder)
  return TLSClientConfiguration(verification: .pinnedFingerprint(identity.fingerprint))
}

/// `--name value` pairs; nil when one is malformed.
private func parseOptions(_ arguments: [String]) -> [String: String]? {
  guard arguments.count % 2 == 0 else { return nil }
  var options: [String: String] = [:]
  for index in stride(from: 0, to: arguments.count, by: 2) {
    guard arguments[index].hasPrefix("--") else { return nil }
    options[String(arguments[index].dropFirst(2))] = arguments[index + 1]
  }
  return options
}

private func positive(_ text: String?) -> Int? {
  guard let value = text.flatMap({ Int($0) }), value > 0 else { return nil }
  return value
}
