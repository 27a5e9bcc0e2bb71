internal import CCharterPOSIXShims

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The daemon's standard streams, without naming C's mutable `stdout`/`stderr` globals
/// (Swift 6 strict concurrency refuses them).
enum StandardStreams {
  /// Line-buffered stdout, so piped output (logs, `migrate --status`) appears as it happens.
  static func lineBufferStandardOutput() { ccharter_line_buffer_stdout() }

  static func writeError(_ text: String) { ccharter_write_stderr(text) }

  /// Whether a person is likely reading stderr (`log.format = auto`).
  static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
}
