internal import CharterProtocol

/// Runs commands without a person: `-c`, `-f FILE`, or standard input. Each line is one
/// request; blank lines and lines starting with `#` are skipped. Every reply is printed
/// (a table or JSON lines); the run goes on after a failed command unless
/// `stopOnError`, and the exit status says whether all succeeded.
public struct ScriptRunner {
  public let session: ShellSession
  public let json: Bool
  public let stopOnError: Bool

  public init(session: ShellSession, json: Bool, stopOnError: Bool) {
    self.session = session
    self.json = json
    self.stopOnError = stopOnError
  }

  public func run(_ lines: some Sequence<String>) -> ExitStatus {
    var failed = false
    for rawLine in lines {
      let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : rawLine
      let trimmed = line.trimming(" \t")
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let reply: Reply
      do {
        reply = try session.execute(line)
      } catch {
        Console.complain(error.description)
        return .connection
      }
      let rendered = json ? ReplyRenderer.json(reply) : ReplyRenderer.human(reply)
      Console.out(rendered.standardOutput)
      Console.err(rendered.standardError)
      switch reply.status {
      case .ok:
        if session.command(of: line)?.name == "QUIT" { return failed ? .commandFailed : .success }
      case .error:
        failed = true
        if stopOnError { return .commandFailed }
      case .bye:
        return .connection
      }
    }
    return failed ? .commandFailed : .success
  }

  /// The lines of `-c` arguments: each may hold several lines.
  public static func lines(ofCommands commands: [String]) -> [String] {
    commands.flatMap {
      $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
  }
}

/// Standard input, one line at a time, as it arrives (a pipe may be a slow producer).
struct StandardInputLines: Sequence, IteratorProtocol {
  mutating func next() -> String? { readLine(strippingNewline: true) }
}
