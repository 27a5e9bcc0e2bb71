public import CharterAdminServer
public import CharterProtocol
public import CharterStore

/// The entry point for the daemon: the handlers of LOGIN, LOGOUT, WHOAMI, TENANT, ADMIN and
/// AUDIT, and the audit sink for the session's own refusals.
///
///     let (registry, auditSink) = AdminAccounts.registry(database: database)
///     // later issues: registry.register("MEMBER ADD", service.gated { ... })
public enum AdminAccounts {
  public static func registry(
    database: Database, configuration: AccountsConfiguration = AccountsConfiguration(),
    table: CommandTable = .admin
  ) -> (AdminCommandRegistry, any AdminAuditSink) {
    let service = AccountsService(database: database, configuration: configuration)
    var registry = AdminCommandRegistry(table: table)
    service.register(into: &registry)
    return (registry, service.auditSink)
  }
}
