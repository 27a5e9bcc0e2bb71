#if canImport(Glibc)
  import Glibc
#endif

/// Small text files the shell reads and writes (known hosts, password and fingerprint
/// files), with plain POSIX calls so modes are exact.
enum TextFiles {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The whole file as UTF-8 (invalid bytes replaced); nil when it does not exist.
  static func read(_ path: String, limit: Int = 1 << 20) throws(Failure) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
      }
      if count == 0 { break }
      bytes += chunk[0..<count]
      if bytes.count > limit { throw Failure(description: "\(path) is larger than \(limit) bytes") }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `text`, creating the file with `mode` and its folder (0700) when missing.
  static func append(_ text: String, to path: String, mode: mode_t = 0o600) throws(Failure) {
    createParentDirectory(of: path)
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode)
    guard fd >= 0 else {
      throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
      }
      offset += written
    }
    guard fsync(fd) == 0 else {
      throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
  }

  /// Creates the folder holding `path`, and its parent, owner-only (like ~/.ssh).
  static func createParentDirectory(of path: String) {
    guard let slash = path.lastIndex(of: "/"), slash > path.startIndex else { return }
    let folder = String(path[..<slash])
    if let parentSlash = folder.lastIndex(of: "/"), parentSlash > folder.startIndex {
      mkdir(String(folder[..<parentSlash]), 0o700)
    }
    mkdir(folder, 0o700)
  }
}
