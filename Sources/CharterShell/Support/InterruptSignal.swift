#if canImport(Glibc)
  import Glibc
#endif

/// Turns Ctrl-C (SIGINT) into a byte on a pipe (the self-pipe trick), so the shell is not
/// killed: the line editor and the password prompt see the byte and cancel what they are
/// doing. Installed by the interactive shell and around password prompts.
enum InterruptSignal {
  /// The pipe's descriptors, [read, write]; set once before the handler is installed (the
  /// handler only reads them).
  nonisolated(unsafe) static var pipeDescriptors: [Int32] = [-1, -1]
  nonisolated(unsafe) private static var installed = false

  /// Installs the handler (idempotent). Without SA_RESTART, so a blocking read returns EINTR.
  static func install() {
    guard !installed else { return }
    var descriptors: [Int32] = [-1, -1]
    guard pipe(&descriptors) == 0 else { return }
    for fd in descriptors {
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }
    pipeDescriptors = descriptors
    writeDescriptor = descriptors[1]
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      var byte: UInt8 = 3
      _ = Glibc.write(InterruptSignal.writeDescriptor, &byte, 1)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    installed = true
  }

  /// Read by the signal handler: a plain Int32, so no lazy initialisation runs in it.
  nonisolated(unsafe) static var writeDescriptor: Int32 = -1

  static var readDescriptor: Int32 { pipeDescriptors[0] }

  /// Whether Ctrl-C was pressed since the last call; empties the pipe.
  @discardableResult
  static func takePending() -> Bool {
    guard installed else { return false }
    var pending = false
    var buffer = [UInt8](repeating: 0, count: 64)
    while buffer.withUnsafeMutableBytes({ Glibc.read(readDescriptor, $0.baseAddress, $0.count) })
      > 0
    {
      pending = true
    }
    return pending
  }

  /// Runs `body` with SIGINT held back when the handler is installed: a Ctrl-C while the
  /// shell waits for a reply would otherwise interrupt the socket read and break the TLS
  /// session. The held signal is delivered afterwards and dropped with the next line.
  static func holdingBack<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    guard installed else { return try body() }
    var interrupt = sigset_t()
    sigemptyset(&interrupt)
    sigaddset(&interrupt, SIGINT)
    var previous = sigset_t()
    pthread_sigmask(SIG_BLOCK, &interrupt, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    return try body()
  }
}
