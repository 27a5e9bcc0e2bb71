#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// A failure to set up the listening socket: the daemon refuses to start with it.
public struct AdminServerError: Error, CustomStringConvertible, Sendable {
  public let description: String

  init(_ operation: String, _ address: String, errno code: Int32) {
    description = "\(operation) \(address): \(String(cString: strerror(code)))"
  }

  public init(_ message: String) { description = message }
}

/// Socket calls of the listener, in C terms.
enum ListeningSocket {
  /// Binds and listens on host:port, non-blocking and close-on-exec. Returns the fd and
  /// the port actually bound (the one asked for, or the one the kernel chose for 0).
  static func open(host: String, port: UInt16, backlog: Int32 = 1_024) throws(AdminServerError)
    -> (fd: Int32, port: UInt16)
  {
    let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    var hints = addrinfo()
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &list)
    guard status == 0, let first = list else {
      throw AdminServerError("cannot resolve \(shown): \(String(cString: gai_strerror(status)))")
    }
    defer { freeaddrinfo(list) }
    let fd = socket(
      first.pointee.ai_family,
      Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
      0)
    guard fd >= 0 else { throw AdminServerError("socket", shown, errno: errno) }
    var one: Int32 = 1
    _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
      let code = errno
      Glibc.close(fd)
      throw AdminServerError("cannot listen on", shown, errno: code)
    }
    guard listen(fd, backlog) == 0 else {
      let code = errno
      Glibc.close(fd)
      throw AdminServerError("listen", shown, errno: code)
    }
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let named = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else {
      let code = errno
      Glibc.close(fd)
      throw AdminServerError("getsockname", shown, errno: code)
    }
    return (fd, endpoint(of: storage).port)
  }

  /// The printable address and port of a socket address; IPv4-mapped IPv6 addresses
  /// ("::ffff:127.0.0.1") are shown as IPv4 so per-address counting sees one client.
  static func endpoint(of storage: sockaddr_storage) -> (address: String, port: UInt16) {
    var storage = storage
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    switch Int32(storage.ss_family) {
    case AF_INET:
      return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
          var raw = address.pointee.sin_addr
          _ = inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
          return (cString(text), UInt16(bigEndian: address.pointee.sin_port))
        }
      }
    case AF_INET6:
      return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
          var raw = address.pointee.sin6_addr
          _ = inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
          var shown = cString(text)
          if shown.hasPrefix("::ffff:"), shown.contains(".") { shown.removeFirst(7) }
          return (shown, UInt16(bigEndian: address.pointee.sin6_port))
        }
      }
    default:
      return ("unknown", 0)
    }
  }

  private static func cString(_ text: [CChar]) -> String {
    String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Raises the soft limit of open files to the hard limit: 1,000 sessions need more than
  /// the usual soft limit of 1,024 descriptors once PostgreSQL connections and files count.
  /// Returns the soft limit in force afterwards.
  static func raiseOpenFileLimit() -> UInt64 {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
    if limit.rlim_cur < limit.rlim_max {
      var raised = limit
      raised.rlim_cur = limit.rlim_max
      if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_cur) }
    }
    return UInt64(limit.rlim_cur)
  }
}
