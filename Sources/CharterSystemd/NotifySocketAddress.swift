/// Where `$NOTIFY_SOCKET` says the service manager listens: a datagram socket at an absolute
/// path, or in the abstract namespace when the value starts with `@` (`sd_notify(3)`).
public enum NotifySocketAddress: Sendable, Equatable, CustomStringConvertible {
  case path(String)
  /// The name without the leading `@` (on the wire it starts with a NUL byte instead).
  case abstract(String)

  /// sun_path holds 108 bytes: a path needs its terminating NUL, an abstract name its leading one.
  static let maximumLength = 107

  public init(_ value: String) throws(SystemdError) {
    if value.hasPrefix("/") {
      guard value.utf8.count <= Self.maximumLength else { throw .addressTooLong(value) }
      guard !value.utf8.contains(0) else { throw .unsupportedAddress(value) }
      self = .path(value)
    } else if value.hasPrefix("@"), value.utf8.count > 1 {
      guard value.utf8.count <= Self.maximumLength + 1 else { throw .addressTooLong(value) }
      self = .abstract(String(value.dropFirst()))
    } else {
      // A relative path, or a vsock: address (virtual machines), which we do not speak.
      throw .unsupportedAddress(value)
    }
  }

  /// The bytes of sun_path, and how many of them the address length counts.
  var socketPathBytes: [UInt8] {
    switch self {
    case .path(let path): Array(path.utf8) + [0]
    case .abstract(let name): [0] + Array(name.utf8)
    }
  }

  public var description: String {
    switch self {
    case .path(let path): path
    case .abstract(let name): "@" + name
    }
  }
}
