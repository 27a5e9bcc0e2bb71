#if canImport(Glibc)
  import Glibc
#endif

/// A blocking TCP connect with a timeout, for the client side.
enum TCPConnection {
  /// Resolves `host` and connects to the first address that answers. Returns the fd, in
  /// blocking mode with send and receive timeouts set.
  static func connect(host: String, port: UInt16, timeoutSeconds: Int) throws(TLSError) -> Int32 {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>? = nil
    let status = getaddrinfo(host, String(port), &hints, &list)
    guard status == 0, let list else {
      let text = gai_strerror(status).map { String(cString: $0) } ?? "unknown"
      throw TLSError(.connect, operation: "getaddrinfo", reason: "cannot resolve \(host): \(text)")
    }
    defer { freeaddrinfo(list) }
    var lastErrno: Int32 = 0
    var entry: UnsafeMutablePointer<addrinfo>? = list
    while let current = entry {
      entry = current.pointee.ai_next
      let fd = socket(
        current.pointee.ai_family, current.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
      if fd < 0 {
        lastErrno = errno
        continue
      }
      var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
      // On Linux SO_SNDTIMEO also bounds connect().
      _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      var noDelay: Int32 = 1
      _ = setsockopt(
        fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
      if Glibc.connect(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 { return fd }
      lastErrno = errno
      close(fd)
    }
    let code: TLSError.Code = lastErrno == EINPROGRESS || lastErrno == EAGAIN ? .timeout : .connect
    throw TLSError(
      code, operation: "connect", reason: "cannot connect to \(host) port \(port)",
      systemErrno: lastErrno)
  }
}
