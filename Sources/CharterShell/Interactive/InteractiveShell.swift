internal import CharterProtocol

/// The shell a person types into: a prompt showing user@tenant, line editing and history
/// (libedit), Tab completion, Ctrl-C to drop a line, Ctrl-D or QUIT to leave.
///
/// `LOGIN NAME` without a password, and `ADMIN PASSWD NAME` without one, ask for it without
/// echo, so passwords need not be typed where history and the screen keep them; lines that
/// carry a secret are never added to history anyway (`HistoryPolicy`).
public final class InteractiveShell {
  public let session: ShellSession
  private let historyFile: String?
  private var json: Bool

  public init(session: ShellSession, historyFile: String?, json: Bool) {
    self.session = session
    self.historyFile = historyFile
    self.json = json
  }

  public func run() -> ExitStatus {
    let session = self.session
    let completer = Completer(table: session.table, tenantNames: { session.tenantNames() })
    let editor = LineEditor(historyFile: historyFile) {
      completer.candidates(lineBeforeCursor: $0)
    }
    defer { editor.saveHistory() }
    if session.identity == nil {
      Console.out(
        "Connected to \(session.connection.address) (\(session.connection.protocolVersion)). HELP lists the commands; LOGIN <name> to log in.\n"
      )
    }
    while true {
      let line: String
      switch editor.readLine(prompt: session.prompt) {
      case .endOfInput:
        Console.out("\n")
        return .success
      case .interrupted:
        continue
      case .line(let text):
        line = text
      }
      if line.trimming(" \t").isEmpty { continue }
      if HistoryPolicy.shouldRemember(line, table: session.table) { editor.remember(line) }
      guard let request = completedRequest(line) else { continue }
      let reply: Reply
      do {
        reply = try session.execute(request)
      } catch {
        Console.complain(error.description)
        return .connection
      }
      if case .ok = reply.status, session.command(of: request)?.name == "MODE" {
        json = session.serverMode == .json
      }
      let rendered = json ? ReplyRenderer.json(reply) : ReplyRenderer.human(reply)
      Console.out(rendered.standardOutput)
      Console.err(rendered.standardError)
      if case .bye = reply.status { return .connection }
      if reply.status.isOK, session.command(of: request)?.name == "QUIT" { return .success }
    }
  }

  /// The line to send: as typed, or with a password asked for when LOGIN or ADMIN PASSWD
  /// lacks it. Nil when the person cancelled the prompt.
  private func completedRequest(_ line: String) -> String? {
    guard let spec = session.command(of: line), !spec.secretArgumentNames.isEmpty,
      let request = try? RequestParser.parse(Array(line.utf8))
    else { return line }
    let positional = spec.arguments.filter { !$0.isNamedOption }
    let given = request.words.count - spec.words.count
    guard given == positional.count - 1, positional.last?.isSecret == true,
      let name = request.words.last?.text
    else { return line }
    do {
      let password: String
      if spec.name == "LOGIN" {
        password = try TerminalPrompt.secret("Password for \(TerminalText.visible(name)): ")
      } else {
        password = try TerminalPrompt.secret("New password for \(TerminalText.visible(name)): ")
        let again = try TerminalPrompt.secret("Again: ")
        guard again == password else {
          Console.complain("the passwords differ; nothing changed")
          return nil
        }
      }
      return line + " " + RequestEncoder.quote(password)
    } catch {
      Console.complain("cancelled")
      return nil
    }
  }
}
