import Foundation
import Synchronization

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// A failure to open the metrics port: the daemon refuses to start with it.
struct MetricsServerError: Error, CustomStringConvertible {
  let description: String
}

/// The smallest HTTP/1.1 server that Prometheus can scrape: one thread, blocking accept, one
/// request per connection (`Connection: close`), GET /metrics answered with `render()`,
/// 404 otherwise. Meant for a localhost port: no TLS, no authentication, nothing but counts.
final class MetricsHTTPServer: Sendable {
  /// Request head larger than this is refused: a scraper sends a few hundred bytes.
  static let maxRequestBytes = 8 * 1_024
  let port: UInt16
  private let fd: Int32
  private let stopped = Mutex(false)

  /// Binds host:port (0: a free port, see `port`) and serves on a thread of its own.
  init(host: String, port: UInt16, render: @escaping @Sendable () -> [UInt8]) throws {
    (fd, self.port) = try Self.listen(host: host, port: port)
    Thread.detachNewThread { [self] in self.acceptLoop(render: render) }
  }

  /// Stops accepting; a scrape in progress finishes on its own.
  func stop() {
    let first = stopped.withLock { done in
      defer { done = true }
      return !done
    }
    guard first else { return }
    Glibc.shutdown(fd, Int32(SHUT_RDWR))
    Glibc.close(fd)
  }

  private func acceptLoop(render: @Sendable () -> [UInt8]) {
    while true {
      let client = accept(fd, nil, nil)
      if client < 0 {
        if stopped.withLock({ $0 }) { return }
        if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE {
          if errno != EINTR { usleep(10_000) }
          continue
        }
        return
      }
      // Close-on-exec, as every descriptor of the daemon (initdb and pg_ctl are spawned).
      _ = fcntl(client, F_SETFD, FD_CLOEXEC)
      answer(client, render: render)
      Glibc.close(client)
    }
  }

  private func answer(_ client: Int32, render: @Sendable () -> [UInt8]) {
    // A silent client must not hold the only thread: 2 s to send its request line.
    var timeout = timeval(tv_sec: 2, tv_usec: 0)
    _ = setsockopt(
      client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = setsockopt(
      client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var request: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1_024)
    while request.count < Self.maxRequestBytes {
      let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
      if count <= 0 { break }
      request += chunk[0..<count]
      if request.count >= 4, Self.containsEndOfHead(request) { break }
    }
    let head = String(decoding: request, as: UTF8.self)
    // "\r\n" is one Character in Swift: split on isNewline, not on "\r" or "\n".
    let requestLine = (head.split(whereSeparator: \.isNewline).first ?? "").split(separator: " ")
    let response: [UInt8]
    if !Self.containsEndOfHead(request) {
      response = Self.response(status: "400 Bad Request", body: Array("bad request\n".utf8))
    } else if requestLine.count == 3, requestLine[0] == "GET",
      requestLine[1] == "/metrics" || requestLine[1].hasPrefix("/metrics?")
    {
      response = Self.response(
        status: "200 OK", contentType: "text/plain; version=0.0.4; charset=utf-8", body: render())
    } else {
      response = Self.response(status: "404 Not Found", body: Array("not found\n".utf8))
    }
    var sent = 0
    while sent < response.count {
      let count = response.withUnsafeBytes { bytes in
        guard let base = bytes.baseAddress else { return -1 }
        return send(client, base + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
      }
      if count <= 0 { return }
      sent += count
    }
  }

  private static func containsEndOfHead(_ bytes: [UInt8]) -> Bool {
    let end: [UInt8] = [13, 10, 13, 10]
    guard bytes.count >= 4 else { return false }
    for start in 0...(bytes.count - 4) where Array(bytes[start..<start + 4]) == end {
      return true
    }
    return bytes.count >= 2 && bytes.suffix(2) == [10, 10]
  }

  private static func response(
    status: String, contentType: String = "text/plain; charset=utf-8", body: [UInt8]
  ) -> [UInt8] {
    let head =
      "HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
      + "Connection: close\r\n\r\n"
    return Array(head.utf8) + body
  }

  /// Binds and listens, blocking and close-on-exec; the port actually bound.
  private static func listen(host: String, port: UInt16) throws -> (Int32, UInt16) {
    let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    func failure(_ operation: String) -> MetricsServerError {
      MetricsServerError(
        description: "metrics: \(operation) \(shown): \(String(cString: strerror(errno)))")
    }
    var hints = addrinfo()
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &list)
    guard status == 0, let first = list else {
      throw MetricsServerError(
        description: "metrics: cannot resolve \(shown): \(String(cString: gai_strerror(status)))")
    }
    defer { freeaddrinfo(list) }
    let fd = socket(
      first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw failure("socket") }
    var one: Int32 = 1
    _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0,
      Glibc.listen(fd, 64) == 0
    else {
      let error = failure("cannot listen on")
      Glibc.close(fd)
      throw error
    }
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let named = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else {
      let error = failure("getsockname")
      Glibc.close(fd)
      throw error
    }
    let family = Int32(storage.ss_family)
    let bound: UInt16 = withUnsafePointer(to: &storage) { pointer in
      if family == AF_INET6 {
        return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
          UInt16(bigEndian: $0.pointee.sin6_port)
        }
      }
      return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
        UInt16(bigEndian: $0.pointee.sin_port)
      }
    }
    return (fd, bound)
  }
}
