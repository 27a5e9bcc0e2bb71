internal import CharterProtocol
internal import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The `charter` program: parses the command line, connects, logs in, then runs the
/// interactive shell or the script. Returns the exit status (see `ExitStatus`).
public enum CharterShellCommand {
  public static func run(_ arguments: [String]) -> Int32 {
    signal(SIGPIPE, SIG_IGN)
    // A parent may have started us with signals blocked (Foundation's Process does): Ctrl-C
    // and a window resize must reach the shell.
    var wanted = sigset_t()
    sigemptyset(&wanted)
    for signal in [SIGINT, SIGTERM, SIGWINCH, SIGHUP, SIGCONT, SIGTSTP] {
      sigaddset(&wanted, signal)
    }
    sigprocmask(SIG_UNBLOCK, &wanted, nil)
    let options: ShellOptions
    do {
      options = try ArgumentParser.parse(arguments)
    } catch {
      Console.complain("\(error.message)\nTry 'charter --help'.")
      return ExitStatus.usage.rawValue
    }
    if options.showHelp {
      Console.out(HelpText.usage + "\n")
      return ExitStatus.success.rawValue
    }
    if options.showVersion {
      Console.out(HelpText.version + "\n")
      return ExitStatus.success.rawValue
    }
    do {
      return try run(options).rawValue
    } catch {
      Console.complain(error.message)
      return error.status.rawValue
    }
  }

  static func run(_ options: ShellOptions) throws(ShellFailure) -> ExitStatus {
    let environment = ProcessInfo.processInfo.environment
    let paths = ConfigPaths(environment: environment)
    let source = options.source ?? (Console.inputIsTerminal ? .interactive : .standardInput)
    let interactive = source == .interactive
    var scriptLines: [String] = []
    switch source {
    case .file(let path):
      // Read before connecting, so a wrong path is a usage error with nothing sent.
      do {
        guard let text = try TextFiles.read(path, limit: 64 << 20) else {
          throw ShellFailure(.usage, "-f: no file \(path)")
        }
        scriptLines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      } catch let failure as ShellFailure {
        throw failure
      } catch {
        throw ShellFailure(.usage, "-f: \(error)")
      }
    case .commands(let commands):
      scriptLines = ScriptRunner.lines(ofCommands: commands)
    case .interactive, .standardInput:
      break
    }

    let connector = ServerConnector(
      options: options, knownHostsFile: options.knownHostsFile ?? paths?.knownHosts,
      canAsk: interactive && TerminalPrompt.isAvailable)
    let connection = try connector.connect()
    let session = ShellSession(connection: connection)
    defer { connection.close() }

    if let user = options.user {
      let password = try PasswordSource.password(
        for: user, file: options.passwordFile, environment: environment)
      let reply: CharterProtocol.Reply
      do {
        reply = try session.logIn(user: user, password: password)
      } catch {
        throw ShellFailure(.connection, error.description)
      }
      guard reply.status.isOK else {
        throw ShellFailure(
          .connection,
          "login as \(TerminalText.visible(user)) failed: \(reply.status.code?.rawValue ?? "") \(TerminalText.visible(reply.status.message))"
        )
      }
      if interactive { Console.out(TerminalText.visible(reply.status.message) + "\n") }
      if options.json {
        // The protocol's JSON-lines mode; the renderer prints the same lines either way,
        // but the server then shapes every reply for scripts.
        _ = try? session.execute("MODE JSON")
      }
    }

    switch source {
    case .interactive:
      let shell = InteractiveShell(
        session: session, historyFile: options.saveHistory ? paths?.history : nil,
        json: options.json)
      return shell.run()
    case .standardInput:
      return ScriptRunner(session: session, json: options.json, stopOnError: options.stopOnError)
        .run(StandardInputLines())
    case .commands, .file:
      return ScriptRunner(session: session, json: options.json, stopOnError: options.stopOnError)
        .run(scriptLines)
    }
  }
}
