import CharterTLS
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `charter-bench tls [--seconds N]`: new TLS sessions per second (full handshakes, no
/// resumption) that our server session completes, versus `openssl s_server` with the same
/// certificate, key, suites and groups, both measured with `openssl s_time -new` in the same
/// run, for TLS 1.3 and TLS 1.2. Both servers are single-threaded. Exit 1 when a run fails.
func runTLSBenchmark(_ arguments: [String]) -> Int32 {
  var seconds = 5
  var index = 0
  while index < arguments.count {
    let value = index + 1 < arguments.count ? arguments[index + 1] : nil
    switch (arguments[index], value) {
    case ("--seconds", let value?) where (Int(value) ?? 0) > 0: seconds = Int(value) ?? seconds
    default:
      FileHandle.standardError.write(Data("usage: charter-bench tls [--seconds N]\n".utf8))
      return 2
    }
    index += 2
  }
  signal(SIGPIPE, SIG_IGN)

  let folder = FileManager.default.temporaryDirectory.path + "/charter-bench-tls-\(getpid())"
  defer { try? FileManager.default.removeItem(atPath: folder) }
  do {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let identity = try SelfSignedServerIdentity.loadOrCreate(in: folder)
    let context = try TLSServerContext(TLSServerConfiguration(identity))
    let ours = try BenchmarkTLSServer(context: context)
    defer { ours.stop() }
    let reference = try OpenSSLReferenceServer(identity: identity)
    defer { reference.stop() }

    print(
      "tls: new sessions per second (openssl s_time -new, \(seconds) s per run, one server thread each)"
    )
    for version in ["-tls1_3", "-tls1_2"] {
      let oursRate = try measureNewSessions(port: ours.port, version: version, seconds: seconds)
      let referenceRate = try measureNewSessions(
        port: reference.port, version: version, seconds: seconds)
      let name = version == "-tls1_3" ? "TLS 1.3" : "TLS 1.2"
      print(
        """
          \(name) TLSServerSession:          \(String(format: "%.0f", oursRate)) sessions/s
          \(name) openssl s_server (same cert): \(String(format: "%.0f", referenceRate)) sessions/s
          \(name) ratio: \(String(format: "%.2f", oursRate / referenceRate))
        """)
    }
    return 0
  } catch {
    FileHandle.standardError.write(Data("charter-bench tls: \(error)\n".utf8))
    return 1
  }
}

private struct BenchmarkFailure: Error, CustomStringConvertible {
  let description: String
}

/// Runs `openssl s_time -new` and divides the connections it reports by the wall time.
private func measureNewSessions(port: UInt16, version: String, seconds: Int) throws -> Double {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
  process.arguments = [
    "s_time", "-connect", "127.0.0.1:\(port)", "-new", version, "-time", String(seconds),
  ]
  let output = Pipe()
  process.standardOutput = output
  process.standardError = output
  process.standardInput = FileHandle.nullDevice
  let start = ContinuousClock.now
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let elapsed = ContinuousClock.now - start
  let text = String(decoding: data, as: UTF8.self)
  // "1234 connections in 4.56s; 270.61 connections/user sec, bytes read 0"
  guard
    let line = text.split(separator: "\n").first(where: {
      $0.contains("connections in") && $0.contains("user sec")
    }),
    let count = line.split(separator: " ").first.flatMap({ Double($0) }), count > 0
  else {
    throw BenchmarkFailure(
      description: "s_time \(version) on port \(port) reported no connections:\n\(text)")
  }
  let (whole, fraction) = elapsed.components
  return count / (Double(whole) + Double(fraction) / 1e18)
}

/// Our side: a blocking accept loop on one thread, each connection driven by
/// TLSServerSession on a non-blocking fd with poll(2), the way the network layer will.
private final class BenchmarkTLSServer: @unchecked Sendable {
  let port: UInt16
  private let listener: Int32
  private let lock = NSLock()
  private var stopping = false
  private let finished = DispatchSemaphore(value: 0)

  init(context: TLSServerContext) throws {
    (listener, port) = try listenOnLoopback()
    let thread = Thread { [self] in run(context: context) }
    thread.start()
  }

  func stop() {
    lock.withLock { stopping = true }
    finished.wait()
    close(listener)
  }

  private func run(context: TLSServerContext) {
    defer { finished.signal() }
    while !lock.withLock({ stopping }) {
      var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
      guard poll(&entry, 1, 50) > 0 else { continue }
      let fd = accept(listener, nil, nil)
      guard fd >= 0 else { continue }
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      serve(fd, context: context)
      close(fd)
    }
  }

  private func serve(_ fd: Int32, context: TLSServerContext) {
    guard let session = try? context.makeSession(fileDescriptor: fd) else { return }
    defer { session.close() }
    while true {
      switch session.handshake() {
      case .done:
        // Like s_server: read until the client goes away.
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
          switch buffer.withUnsafeMutableBytes({ session.read(into: $0) }) {
          case .bytes: continue
          case .wantRead: if !wait(fd, events: POLLIN) { return }
          case .wantWrite: if !wait(fd, events: POLLOUT) { return }
          case .closed, .failed: return
          }
        }
      case .wantRead: if !wait(fd, events: POLLIN) { return }
      case .wantWrite: if !wait(fd, events: POLLOUT) { return }
      case .failed: return
      }
    }
  }

  private func wait(_ fd: Int32, events: Int32) -> Bool {
    var entry = pollfd(fd: fd, events: Int16(events), revents: 0)
    return poll(&entry, 1, 2_000) > 0
  }
}

/// The baseline: `openssl s_server` with our certificate, key, suites and groups.
private final class OpenSSLReferenceServer {
  let port: UInt16
  private let process = Process()
  private let input = Pipe()

  init(identity: SelfSignedServerIdentity) throws {
    // Find a free port, then let s_server bind it.
    let (probe, free) = try listenOnLoopback()
    close(probe)
    port = free
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = [
      "s_server", "-accept", "127.0.0.1:\(port)", "-cert", identity.certificateFile, "-key",
      identity.privateKeyFile,
      "-cipher",
      "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305",
      "-ciphersuites", "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
      "-groups", "X25519:prime256v1:secp384r1", "-quiet", "-no_dhe",
    ]
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Wait until it accepts connections.
    for _ in 0..<200 {
      if canConnect(port: port) { return }
      usleep(25_000)
    }
    stop()
    throw BenchmarkFailure(description: "openssl s_server did not start on port \(port)")
  }

  func stop() {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
  }
}

private func listenOnLoopback() throws -> (Int32, UInt16) {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
  guard fd >= 0 else { throw BenchmarkFailure(description: "socket: errno \(errno)") }
  var reuse: Int32 = 1
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  let bound = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  guard bound == 0, listen(fd, 128) == 0 else {
    close(fd)
    throw BenchmarkFailure(description: "bind/listen: errno \(errno)")
  }
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  _ = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
  }
  return (fd, UInt16(bigEndian: address.sin_port))
}

private func canConnect(port: UInt16) -> Bool {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
  guard fd >= 0 else { return false }
  defer { close(fd) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  address.sin_port = port.bigEndian
  return withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  } == 0
}
