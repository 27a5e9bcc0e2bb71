import Foundation

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// A detached tmux session on a private server socket (`tmux -L`), driving a program
/// through a real pseudo-terminal: keys in with send-keys, the screen out with
/// capture-pane. `kill()` ends the private tmux server and everything in it.
final class TmuxSession {
  let socket = "charter-test-" + UUID().uuidString.prefix(8).lowercased()
  let name = "shell"

  /// Starts `command` (an argument vector) in a 120x40 window.
  init(_ command: [String], environment: [String: String]) throws {
    let assignments = environment.map { "\($0.key)=\($0.value)" }
    let status = try Self.tmux(
      [
        "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "120", "-y", "40",
        "env",
      ] + assignments + command)
    guard status.status == 0 else {
      throw POSIXError(.ECHILD)
    }
  }

  func send(_ keys: String...) throws {
    _ = try Self.tmux(["-L", socket, "send-keys", "-t", name] + keys)
  }

  /// Sends text literally (no key names).
  func type(_ text: String) throws {
    _ = try Self.tmux(["-L", socket, "send-keys", "-t", name, "-l", text])
  }

  var screen: String {
    (try? Self.tmux(["-L", socket, "capture-pane", "-p", "-t", name]).output) ?? ""
  }

  /// The last non-empty line of the screen (where the prompt and the typed line are).
  var currentLine: String {
    let line = screen.split(separator: "\n").last.map(String.init) ?? ""
    return line.trimmingCharacters(in: .whitespaces)
  }

  var isRunning: Bool {
    (try? Self.tmux(["-L", socket, "has-session", "-t", name]).status) == 0
  }

  /// Waits until `condition` holds for the screen; false after `timeout`.
  func waitUntil(timeout: Duration = .seconds(15), _ condition: (TmuxSession) -> Bool) async
    -> Bool
  {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if condition(self) { return true }
      try? await Task.sleep(for: .milliseconds(50))
    }
    return condition(self)
  }

  /// Ends the private tmux server and removes its socket file.
  func kill() {
    _ = try? Self.tmux(["-L", socket, "kill-server"])
    let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
    unlink("\(folder)/tmux-\(getuid())/\(socket)")
  }

  /// Runs the tmux client with posix_spawn and an empty signal mask: Foundation's Process
  /// starts children with most signals blocked, and the tmux server it forks (and the
  /// shell under test) would keep that mask, so Ctrl-C could not reach the shell.
  @discardableResult
  static func tmux(_ arguments: [String], readOutput: Bool = true) throws -> (
    status: Int32, output: String
  ) {
    let outputPath =
      readOutput ? NSTemporaryDirectory() + "tmux-out-" + UUID().uuidString : "/dev/null"
    defer { if readOutput { unlink(outputPath) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGPIPE, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = (["tmux"] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, environ)
    guard spawned == 0 else { throw POSIXError(.ECHILD) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    let output =
      readOutput ? ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "") : ""
    return ((status >> 8) & 0xFF, output)
  }
}
