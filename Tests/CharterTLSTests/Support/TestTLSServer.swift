import CharterTLS
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Test-only echo server: a blocking accept loop on its own thread, driving each connection
/// through `TLSServerSession` on a non-blocking fd with poll(2), one connection at a time.
/// Echoes every byte; after echoing a line "bye" it sends close_notify and closes.
final class TestTLSServer: @unchecked Sendable {
  struct ConnectionRecord: Sendable {
    var handshakeError: TLSError?
    var protocolVersion: String?
    var cipherName: String?
    var sessionReused = false
    var peer: TLSPeerCertificate?
    var readError: TLSError?
    /// The connection is over and every field is final.
    var finished = false
  }

  let port: UInt16
  private let listener: Int32
  private let lock = NSLock()
  private var stopping = false
  private var recordsStorage: [ConnectionRecord] = []
  private var currentContext: TLSServerContext
  private let finished = DispatchSemaphore(value: 0)

  var records: [ConnectionRecord] { lock.withLock { recordsStorage } }

  init(context: TLSServerContext) throws {
    currentContext = context
    signal(SIGPIPE, SIG_IGN)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var reuse: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(fd, 16) == 0 else {
      close(fd)
      throw POSIXError(.EADDRINUSE)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    listener = fd
    port = UInt16(bigEndian: address.sin_port)
    let thread = Thread { [self] in acceptLoop() }
    thread.start()
  }

  /// The record of connection number `index` (0-based) once it is over; nil after 5 s.
  func finishedRecord(at index: Int) -> ConnectionRecord? {
    let deadline = Date().addingTimeInterval(5)
    while Date() < deadline {
      if let record = lock.withLock({ index < recordsStorage.count ? recordsStorage[index] : nil }),
        record.finished
      {
        return record
      }
      usleep(10_000)
    }
    return nil
  }

  /// What a reload does: later connections use `context`; the current one keeps its own.
  func swap(to context: TLSServerContext) {
    lock.withLock { currentContext = context }
  }

  func stop() {
    lock.withLock { stopping = true }
    finished.wait()
    close(listener)
  }

  private var isStopping: Bool { lock.withLock { stopping } }

  private func acceptLoop() {
    defer { finished.signal() }
    while !isStopping {
      var pollEntry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
      guard poll(&pollEntry, 1, 50) > 0 else { continue }
      // accept4 needs _GNU_SOURCE; accept plus fcntl is enough for a test.
      let connection = accept(listener, nil, nil)
      guard connection >= 0 else { continue }
      _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
      _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK)
      // Reserve this connection's slot first, so `records.last` is always this one.
      let slot = lock.withLock {
        recordsStorage.append(ConnectionRecord())
        return recordsStorage.count - 1
      }
      let record = serve(connection, context: lock.withLock { currentContext }, slot: slot)
      close(connection)
      var final = record
      final.finished = true
      lock.withLock { recordsStorage[slot] = final }
    }
  }

  /// Waits until the fd is ready for what the session asked; false on timeout or stop.
  private func wait(_ fd: Int32, forWrite: Bool) -> Bool {
    var entry = pollfd(fd: fd, events: Int16(forWrite ? POLLOUT : POLLIN), revents: 0)
    return poll(&entry, 1, 5_000) > 0
  }

  private func serve(_ fd: Int32, context: TLSServerContext, slot: Int) -> ConnectionRecord {
    var record = ConnectionRecord()
    let session: TLSServerSession
    do {
      session = try context.makeSession(fileDescriptor: fd)
    } catch {
      record.handshakeError = error
      return record
    }
    defer { session.close() }
    handshake: while true {
      switch session.handshake() {
      case .done: break handshake
      case .wantRead: if !wait(fd, forWrite: false) { return record }
      case .wantWrite: if !wait(fd, forWrite: true) { return record }
      case .failed(let error):
        record.handshakeError = error
        return record
      }
    }
    record.protocolVersion = session.protocolVersion
    record.cipherName = session.cipherName
    record.sessionReused = session.sessionReused
    record.peer = session.verifiedPeerCertificate
    lock.withLock { recordsStorage[slot] = record }

    var pendingLine: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let result = buffer.withUnsafeMutableBytes { session.read(into: $0) }
      switch result {
      case .bytes(let count):
        let received = Array(buffer[0..<count])
        guard writeAll(received, session: session, fd: fd) else { return record }
        // Only the last line matters ("bye"), so keep at most a few bytes of history:
        // a 1 MiB line must not be rescanned on every chunk.
        pendingLine += received
        while let newline = pendingLine.firstIndex(of: UInt8(ascii: "\n")) {
          let line = String(decoding: pendingLine[..<newline], as: UTF8.self)
          pendingLine.removeSubrange(...newline)
          if line.trimmingCharacters(in: .whitespaces) == "bye" {
            _ = session.shutdown()
            return record
          }
        }
        if pendingLine.count > 16 { pendingLine = [UInt8(ascii: "x")] }
      case .wantRead: if !wait(fd, forWrite: false) { return record }
      case .wantWrite: if !wait(fd, forWrite: true) { return record }
      case .closed: return record
      case .failed(let error):
        record.readError = error
        return record
      }
    }
  }

  private func writeAll(_ bytes: [UInt8], session: TLSServerSession, fd: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
      switch session.write(Array(bytes[offset...])) {
      case .wrote(let count): offset += count
      case .wantRead: if !wait(fd, forWrite: false) { return false }
      case .wantWrite: if !wait(fd, forWrite: true) { return false }
      case .failed: return false
      }
    }
    return true
  }
}
