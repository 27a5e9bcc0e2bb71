public import Foundation

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// An exclusive lock on the data folder, held while the daemon runs: two daemons on one
/// embedded cluster would stop each other's PostgreSQL. flock(2) is released by the kernel
/// when the process dies, so a crash leaves no stale lock.
public final class DataDirectoryLock: Sendable {
  private let descriptor: Int32
  public let path: String

  public struct Held: Error, CustomStringConvertible {
    public var path: String
    public var holder: String
    public var description: String {
      "another charterd (pid \(holder)) is using this data folder (lock \(path)); stop it first or choose another --data-dir"
    }
  }

  public init(directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    path = directory.appendingPathComponent("charterd.lock").path
    descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      var buffer = [UInt8](repeating: 0, count: 32)
      let count = pread(descriptor, &buffer, buffer.count, 0)
      close(descriptor)
      let holder = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      throw Held(path: path, holder: holder.isEmpty ? "unknown" : holder)
    }
    let pid = Array("\(getpid())\n".utf8)
    _ = ftruncate(descriptor, 0)
    _ = pwrite(descriptor, pid, pid.count, 0)
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
