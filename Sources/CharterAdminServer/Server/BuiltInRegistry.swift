public import CharterProtocol

extension CommandRegistry where Handler == AdminCommandHandler {
  /// The registry of a server without accounts: the session itself answers PING, HELP,
  /// QUIT and MODE, so nothing is registered; every other command gets `UNAVAILABLE` from
  /// the server (see `AdminConnection`). The daemon replaces this with the accounts
  /// module's registry.
  public static func builtIn(table: CommandTable = .admin) -> AdminCommandRegistry {
    AdminCommandRegistry(table: table)
  }
}
