/// Where the password for `--user` comes from, in order: `--password-file` (its first
/// line), the `CHARTER_PASSWORD` environment variable, a prompt without echo on the
/// terminal. Never a command-line argument: those are visible to every user in `ps`.
enum PasswordSource {
  static let environmentVariable = "CHARTER_PASSWORD"

  static func password(
    for user: String, file: String?, environment: [String: String]
  ) throws(ShellFailure) -> String {
    if let file {
      let text: String?
      do {
        text = try TextFiles.read(file, limit: 64 << 10)
      } catch {
        throw ShellFailure(.usage, "--password-file: \(error)")
      }
      guard let text else { throw ShellFailure(.usage, "--password-file: no file \(file)") }
      return firstLine(of: text)
    }
    if let password = environment[environmentVariable] { return password }
    do {
      return try TerminalPrompt.secret("Password for \(TerminalText.visible(user)): ")
    } catch .noTerminal {
      throw ShellFailure(
        .connection,
        "no password for \(user): no terminal to ask on; use --password-file or \(environmentVariable)"
      )
    } catch {
      throw ShellFailure(.connection, "login cancelled")
    }
  }

  /// The first line without its line end; a password may hold spaces, so nothing else is
  /// trimmed.
  static func firstLine(of text: String) -> String {
    var line = text.prefix { $0 != "\n" && $0 != "\r\n" }
    if line.hasSuffix("\r") { line = line.dropLast() }
    return String(line)
  }
}
