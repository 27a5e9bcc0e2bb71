#if canImport(Glibc)
  import Glibc
#endif

/// Writes files the way keys and certificates need: created with the final mode from the
/// start (never world-readable for a moment), flushed, then renamed into place.
enum FileWriting {
  static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t) throws(TLSError) {
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else { throw systemError("open", path: temporary) }
    // open() applies the umask; fchmod makes the mode exact.
    _ = fchmod(fd, mode)
    var written = 0
    while written < bytes.count {
      let result = bytes.withUnsafeBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return write(fd, base + written, buffer.count - written)
      }
      if result < 0 {
        if errno == EINTR { continue }
        let error = systemError("write", path: temporary)
        close(fd)
        unlink(temporary)
        throw error
      }
      written += result
    }
    guard fsync(fd) == 0 else {
      let error = systemError("fsync", path: temporary)
      close(fd)
      unlink(temporary)
      throw error
    }
    close(fd)
    guard rename(temporary, path) == 0 else {
      let error = systemError("rename", path: path)
      unlink(temporary)
      throw error
    }
  }

  static func createDirectory(_ path: String, mode: mode_t) throws(TLSError) {
    if mkdir(path, mode) != 0 && errno != EEXIST { throw systemError("mkdir", path: path) }
  }

  static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  /// The permission bits of `path`, or nil when it cannot be stat'ed.
  static func permissions(of path: String) -> mode_t? {
    var information = stat()
    guard stat(path, &information) == 0 else { return nil }
    return information.st_mode & 0o7777
  }

  static func systemError(_ operation: String, path: String) -> TLSError {
    TLSError(
      .fileSystem, operation: operation, reason: "\(operation) \(path) failed", systemErrno: errno)
  }
}

enum FileContents {
  /// The whole file as UTF-8 text (small files only: fingerprints, PEM).
  static func read(_ path: String) throws(TLSError) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileWriting.systemError("open", path: path) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = Glibc.read(fd, &chunk, chunk.count)
      if count < 0 {
        if errno == EINTR { continue }
        throw FileWriting.systemError("read", path: path)
      }
      if count == 0 { break }
      bytes += chunk[0..<count]
      if bytes.count > 1 << 20 { break }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
