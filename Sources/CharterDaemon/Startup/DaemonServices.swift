import CharterAccounts
import CharterAdminServer
import CharterDelivery
import CharterScheduler
import CharterStore
import CharterWorkflows
import Foundation

/// The command and job modules of a running daemon over one database: accounts (login,
/// tenants, administrators, audit, jobs, notices) and the governance workflows, which build on
/// the accounts module's gate and audit.
struct DaemonServices {
  let accounts: AccountsService
  let workflows: WorkflowService

  init(database: Database, rules: GovernanceData, webhookGuard: WebhookTargetGuard) {
    accounts = AccountsService(
      database: database,
      configuration: AccountsConfiguration(
        log: { DaemonLog.warning($0) }, webhookGuard: webhookGuard))
    workflows = WorkflowService(
      accounts: accounts,
      configuration: WorkflowConfiguration(
        calendar: rules.calendar, chartersDirectory: rules.profilesDirectory,
        log: { DaemonLog.warning("workflows: \($0)") }))
  }

  /// Every admin command's handler (the session itself answers PING, HELP, QUIT and MODE;
  /// RELOAD needs the daemon's reloader, absent for the demo loader), and the audit sink of the
  /// session's own refusals.
  func commands(reloader: ConfigurationReloader? = nil) -> (
    AdminCommandRegistry, any AdminAuditSink
  ) {
    var registry = AdminCommandRegistry(table: .admin)
    accounts.register(into: &registry)
    workflows.register(into: &registry)
    if let reloader {
      registry.register("RELOAD", ReloadCommand.handler(reloader: reloader, accounts: accounts))
    }
    return (registry, accounts.auditSink)
  }

  /// The handler of every deadline kind the daemon runs.
  func jobHandlers() -> JobHandlerRegistry {
    var handlers = JobHandlerRegistry()
    NoticeDeliveryHandler.register(into: &handlers)
    workflows.registerJobs(into: &handlers)
    return handlers
  }
}

extension WebhookTargetGuard {
  /// The guard of `delivery.webhook_allowed_networks`; a network that does not parse stops the
  /// start naming it.
  static func configured(_ configuration: Configuration) throws -> WebhookTargetGuard {
    let texts = configuration["delivery.webhook_allowed_networks"].split(separator: ",")
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    var networks: [IPNetwork] = []
    for text in texts {
      do {
        networks.append(try IPNetwork(text))
      } catch {
        throw ConfigurationError(
          source: configuration.sources["delivery.webhook_allowed_networks"],
          key: "delivery.webhook_allowed_networks", message: "\(text) is not a network (\(error))")
      }
    }
    return WebhookTargetGuard(allowedNetworks: networks)
  }
}
