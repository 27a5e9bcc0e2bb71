#if canImport(Glibc)
  import Glibc
#endif

/// Standard output and error, written straight to the descriptors (no Foundation buffers
/// that a crash or `exit` could lose), after flushing C stdio so libedit's output keeps
/// its place.
enum Console {
  static func out(_ text: String) { write(text, to: 1) }
  static func err(_ text: String) { write(text, to: 2) }

  /// `charter: message` on standard error.
  static func complain(_ message: String) {
    err(
      message.split(separator: "\n", omittingEmptySubsequences: false).map { "charter: \($0)\n" }
        .joined())
  }

  static var inputIsTerminal: Bool { isatty(0) == 1 }

  private static func write(_ text: String, to fd: Int32) {
    guard !text.isEmpty else { return }
    fflush(nil)
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        return
      }
      offset += written
    }
  }
}
