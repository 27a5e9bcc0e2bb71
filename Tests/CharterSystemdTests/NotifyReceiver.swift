import Foundation

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// The service manager's side for tests: a datagram socket bound where `NOTIFY_SOCKET` will
/// point (a file in a fresh temporary folder, or an abstract name), from which the test reads
/// exactly what was sent.
final class NotifyReceiver {
  let descriptor: Int32
  /// The value to put in NOTIFY_SOCKET.
  let notifySocket: String
  private let folder: String?

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// `abstract`: bind in the abstract namespace instead of the file system.
  init(abstract: Bool = false) throws {
    descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { throw Failure(description: "socket: \(errno)") }
    let token = UUID().uuidString.prefix(8).lowercased()
    var pathBytes: [UInt8]
    if abstract {
      folder = nil
      notifySocket = "@charter-test-notify-\(token)"
      pathBytes = [0] + Array(notifySocket.dropFirst().utf8)
    } else {
      // Short: sun_path holds 108 bytes.
      let made = "/tmp/charter-sd-\(token)"
      try FileManager.default.createDirectory(
        atPath: made, withIntermediateDirectories: false)
      folder = made
      notifySocket = made + "/notify"
      pathBytes = Array(notifySocket.utf8) + [0]
    }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in raw.copyBytes(from: pathBytes) }
    let length = socklen_t(2 + pathBytes.count)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0 else {
      close(descriptor)
      throw Failure(description: "bind \(notifySocket): \(errno)")
    }
  }

  /// The next datagram, or nil when none arrives within `timeout`.
  func receive(timeout: Duration = .seconds(5)) -> String? {
    var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    let milliseconds =
      Int32(timeout.components.seconds * 1000)
      + Int32(timeout.components.attoseconds / 1_000_000_000_000_000)
    guard poll(&descriptorSet, 1, milliseconds) == 1 else { return nil }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = recv(descriptor, &buffer, buffer.count, 0)
    guard count >= 0 else { return nil }
    return String(decoding: buffer.prefix(count), as: UTF8.self)
  }

  /// Every datagram that arrives within `window`.
  func receiveAll(for window: Duration) -> [String] {
    let deadline = ContinuousClock.now + window
    var messages: [String] = []
    while ContinuousClock.now < deadline {
      if let message = receive(timeout: deadline - ContinuousClock.now) { messages.append(message) }
    }
    return messages
  }

  deinit {
    close(descriptor)
    if let folder { try? FileManager.default.removeItem(atPath: folder) }
  }
}
