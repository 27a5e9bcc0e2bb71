#if canImport(Glibc)
  import Glibc
#endif

/// Questions asked on the controlling terminal (/dev/tty), not on standard input, so a
/// password prompt works when commands come from a pipe, and the answer never lands in a
/// script's output.
enum TerminalPrompt {
  enum Failure: Error {
    /// There is no terminal to ask on.
    case noTerminal
    /// Ctrl-C or end of input.
    case cancelled
  }

  /// Whether a question can be asked at all.
  static var isAvailable: Bool {
    let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    close(fd)
    return true
  }

  /// Reads a line with echo off (termios), for passwords. The terminal's settings are
  /// restored whatever happens, Ctrl-C included.
  static func secret(_ prompt: String) throws(Failure) -> String {
    try ask(prompt, echo: false)
  }

  /// Reads a line with echo on.
  static func line(_ prompt: String) throws(Failure) -> String {
    try ask(prompt, echo: true)
  }

  private static func ask(_ prompt: String, echo: Bool) throws(Failure) -> String {
    let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else { throw .noTerminal }
    defer { close(fd) }
    InterruptSignal.install()
    InterruptSignal.takePending()
    write(fd, prompt)
    var saved = termios()
    let haveSettings = tcgetattr(fd, &saved) == 0
    if !echo, haveSettings {
      var quiet = saved
      quiet.c_lflag &= ~tcflag_t(ECHO | ECHONL)
      quiet.c_lflag |= tcflag_t(ICANON)
      tcsetattr(fd, TCSAFLUSH, &quiet)
    }
    defer {
      if !echo, haveSettings {
        tcsetattr(fd, TCSAFLUSH, &saved)
        write(fd, "\n")
      }
    }
    var bytes: [UInt8] = []
    while true {
      var byte: UInt8 = 0
      let count = Glibc.read(fd, &byte, 1)
      if count < 0 {
        if errno == EINTR {
          if InterruptSignal.takePending() { throw .cancelled }
          continue
        }
        throw .cancelled
      }
      if count == 0 { throw .cancelled }
      if byte == UInt8(ascii: "\n") { break }
      bytes.append(byte)
      if bytes.count > 4096 { throw .cancelled }
    }
    if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func write(_ fd: Int32, _ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
  }
}
