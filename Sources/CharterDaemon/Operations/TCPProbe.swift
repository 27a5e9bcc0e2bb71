#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// One TCP connect with a time limit, for `charterd health`: does something accept on this
/// address? A wildcard listen address (0.0.0.0, ::) is probed on the loopback address.
enum TCPProbe {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func connect(to address: ListenAddress, timeout: Duration) -> Result<Void, Failure> {
    let host =
      switch address.host {
      case "0.0.0.0", "*": "127.0.0.1"
      case "::": "::1"
      default: address.host
      }
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_family = AF_UNSPEC
    var found: UnsafeMutablePointer<addrinfo>?
    let resolved = getaddrinfo(host, String(address.port), &hints, &found)
    guard resolved == 0, let first = found else {
      return .failure(
        Failure(description: "cannot resolve \(host): \(String(cString: gai_strerror(resolved)))"))
    }
    defer { freeaddrinfo(first) }
    var lastProblem = "no address"
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let candidate = entry {
      entry = candidate.pointee.ai_next
      switch attempt(candidate.pointee, timeout: timeout) {
      case .success: return .success(())
      case .failure(let failure): lastProblem = failure.description
      }
    }
    return .failure(Failure(description: lastProblem))
  }

  private static func attempt(_ info: addrinfo, timeout: Duration) -> Result<Void, Failure> {
    let descriptor = socket(
      info.ai_family,
      info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
      info.ai_protocol)
    guard descriptor >= 0 else { return .failure(Failure(description: errorText(errno))) }
    defer { close(descriptor) }
    if Glibc.connect(descriptor, info.ai_addr, info.ai_addrlen) == 0 { return .success(()) }
    guard errno == EINPROGRESS else { return .failure(Failure(description: errorText(errno))) }
    var waiting = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
    let milliseconds = Int32(clamping: timeout.components.seconds * 1000)
    guard poll(&waiting, 1, milliseconds) == 1 else {
      return .failure(Failure(description: "no answer within \(timeout)"))
    }
    var problem: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &problem, &length) == 0, problem == 0 else {
      return .failure(Failure(description: errorText(problem)))
    }
    return .success(())
  }

  private static func errorText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
  }
}
