/// The exit status of `charter`, for scripts (documented in `--help` and docs/shell.md).
public enum ExitStatus: Int32, Sendable {
  /// Every command succeeded.
  case success = 0
  /// A command failed (the server answered ERR).
  case commandFailed = 1
  /// The command line is wrong.
  case usage = 2
  /// No usable session: connection, TLS, server verification or login failed, or the
  /// server closed the connection.
  case connection = 3
}
