/// How the server's certificate is checked.
public enum ServerTrustChoice: Hashable, Sendable {
  /// Trust on first use, remembered in the known-hosts file (the default).
  case knownHosts
  /// Exactly this SHA-256 fingerprint (`--fingerprint`).
  case fingerprint(String)
  /// The fingerprint in a file (`--fingerprint-file`), such as the
  /// `tls/fingerprint.sha256` that charterd writes.
  case fingerprintFile(String)
  /// Chain and host name against these CA certificates (`--ca-file`).
  case certificateAuthority(String)
  /// No check at all (`--insecure`).
  case insecure
}

/// Where the commands come from.
public enum CommandSource: Hashable, Sendable {
  /// A person at a terminal: line editing, history, completion.
  case interactive
  /// `-c` commands, in order.
  case commands([String])
  /// A file of commands, one per line (`-f FILE`; `-` is standard input).
  case file(String)
  /// Standard input that is not a terminal.
  case standardInput
}

/// Everything the command line says, checked.
public struct ShellOptions: Hashable, Sendable {
  public var address = ServerAddress(host: "127.0.0.1", port: ServerAddress.defaultPort)
  public var trust: ServerTrustChoice = .knownHosts
  /// Nil: `$XDG_CONFIG_HOME/charter/known_hosts` or `~/.config/charter/known_hosts`.
  public var knownHostsFile: String?
  public var certificateFile: String?
  public var keyFile: String?
  public var user: String?
  public var passwordFile: String?
  /// `-c` commands and `-f`; nil means interactive or standard input, decided at run time
  /// by whether standard input is a terminal.
  public var source: CommandSource?
  public var json = false
  public var stopOnError = false
  public var saveHistory = true
  public var timeoutSeconds = 30
  public var showHelp = false
  public var showVersion = false

  public init() {}
}
