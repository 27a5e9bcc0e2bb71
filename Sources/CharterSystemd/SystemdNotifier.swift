#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// Speaks the sd_notify protocol to the service manager (systemd's `Type=notify`), without
/// libsystemd: one datagram per call to the socket `$NOTIFY_SOCKET` names. With no socket
/// (not started by systemd, or a foreground run) every call does nothing.
public struct SystemdNotifier: Sendable {
  /// nil: not under a service manager that listens; `send` is a no-op.
  public let address: NotifySocketAddress?

  public init(address: NotifySocketAddress?) {
    self.address = address
  }

  /// A notifier that sends nothing.
  public static let disabled = SystemdNotifier(address: nil)

  public var isEnabled: Bool { address != nil }

  /// Sends `messages` as one datagram. Like sd_notify it opens a socket per call
  /// (SOCK_DGRAM | SOCK_CLOEXEC, so no child inherits it) and never raises SIGPIPE.
  public func send(_ messages: [NotifyMessage]) throws(SystemdError) {
    guard let address, !messages.isEmpty else { return }
    let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { throw .socketFailed(errno: errno) }
    defer { close(descriptor) }

    var socketAddress = sockaddr_un()
    socketAddress.sun_family = sa_family_t(AF_UNIX)
    let pathBytes = address.socketPathBytes
    withUnsafeMutableBytes(of: &socketAddress.sun_path) { raw in
      raw.copyBytes(from: pathBytes.prefix(raw.count))
    }
    // The abstract form has no terminating NUL: its length counts exactly the name's bytes.
    let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
    let length = socklen_t(pathOffset + pathBytes.count)

    let payload = Array(NotifyMessage.datagram(messages).utf8)
    let sent = withUnsafePointer(to: &socketAddress) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
        payload.withUnsafeBytes { bytes in
          sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), generic, length)
        }
      }
    }
    guard sent >= 0 else { throw .sendFailed(address: address.description, errno: errno) }
    guard sent == payload.count else {
      throw .shortSend(address: address.description, sent: sent, expected: payload.count)
    }
  }

  public func send(_ messages: NotifyMessage...) throws(SystemdError) {
    try send(messages)
  }
}
