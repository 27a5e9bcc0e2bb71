internal import CCharterPOSIXShims
import Foundation

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// Runs a program to completion with posix_spawn, output to a file.
///
/// Not Foundation.Process: `pg_ctl start` daemonises a postmaster that inherits the pipe
/// Foundation watches, and `waitUntilExit()` then never returns (PLATFORM.md, Processes).
/// The child gets /dev/null as stdin and no descriptor above 2.
enum ChildProcess {
  struct Failure: Error, CustomStringConvertible {
    var command: [String]
    var status: Int32
    var output: String
    var description: String {
      let tail = output.split(separator: "\n").suffix(15).joined(separator: "\n")
      return "\(command.joined(separator: " ")) exited with status \(status)"
        + (tail.isEmpty ? "" : ":\n\(tail)")
    }
  }

  /// Runs `arguments` (the first is the program; a bare name is looked up on PATH) with
  /// stdout and stderr appended to `logFile`. Returns the exit status.
  static func run(_ arguments: [String], logFile: URL) throws -> Int32 {
    let fd = open(logFile.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw Failure(
        command: arguments, status: -1, output: "cannot open \(logFile.path): \(errnoText())")
    }
    defer { close(fd) }
    var pid: pid_t = 0
    let cArguments = arguments.map { strdup($0) } + [nil]
    defer { for pointer in cArguments { free(pointer) } }
    let rc = cArguments.withUnsafeBufferPointer { argv in
      ccharter_spawn(arguments[0], argv.baseAddress, nil, fd, fd, &pid)
    }
    guard rc == 0 else {
      throw Failure(
        command: arguments, status: -1,
        output: "cannot start \(arguments[0]): \(String(cString: strerror(rc)))")
    }
    let status = ccharter_wait_exit_status(pid)
    guard status >= 0 else {
      throw Failure(command: arguments, status: -1, output: "waitpid failed: \(errnoText())")
    }
    return status
  }

  /// Runs and throws `Failure` (with the log's tail) unless the exit status is 0.
  static func check(_ arguments: [String], logFile: URL) throws {
    let status = try run(arguments, logFile: logFile)
    guard status == 0 else {
      let output = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
      throw Failure(command: arguments, status: status, output: output)
    }
  }

  private static func errnoText() -> String { String(cString: strerror(errno)) }
}
