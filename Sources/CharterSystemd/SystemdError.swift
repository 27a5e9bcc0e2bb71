/// Why a notification could not be sent or the environment not understood. Safe to log: it
/// holds the socket address and an errno text, nothing else.
public enum SystemdError: Error, Sendable, Equatable, CustomStringConvertible {
  case unsupportedAddress(String)
  case addressTooLong(String)
  case socketFailed(errno: Int32)
  case sendFailed(address: String, errno: Int32)
  case shortSend(address: String, sent: Int, expected: Int)

  public var description: String {
    switch self {
    case .unsupportedAddress(let value):
      "NOTIFY_SOCKET=\(value) is neither an absolute path nor an @abstract name"
    case .addressTooLong(let value): "NOTIFY_SOCKET=\(value) is longer than a unix socket address"
    case .socketFailed(let code): "cannot open a datagram socket: \(errnoText(code))"
    case .sendFailed(let address, let code):
      "cannot notify the service manager at \(address): \(errnoText(code))"
    case .shortSend(let address, let sent, let expected):
      "the service manager at \(address) took \(sent) of \(expected) bytes"
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif

func errnoText(_ code: Int32) -> String {
  guard let text = strerror(code) else { return "errno \(code)" }
  return String(cString: text)
}
