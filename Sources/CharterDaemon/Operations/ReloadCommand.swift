import CharterAccounts
import CharterAdminServer
import CharterProtocol

/// The RELOAD admin command (operators only; the session refuses everyone else): the same
/// reload as SIGHUP, answered with each changed setting and what became of it.
enum ReloadCommand {
  /// A configuration file that does not parse or validate: nothing was applied.
  static let invalidConfiguration = StatusCode(rawValue: "INVALID_CONFIGURATION") ?? .conflict

  static func handler(reloader: ConfigurationReloader, accounts: AccountsService)
    -> AdminCommandHandler
  {
    accounts.gated { context in
      let who = context.invocation.principal?.name ?? "-"
      let report = reloader.reload(trigger: "RELOAD by \(who) (session \(context.sessionID))")
      guard let refusal = report.refusal else {
        await accounts.auditInstallationChange(
          context,
          note: "\(report.changes.count) changed, \(report.needingRestart.count) need a restart")
        return reply(report)
      }
      let message = "the configuration was not reloaded; the running one stays: \(refusal)"
      await accounts.auditInstallationFailure(
        context, code: invalidConfiguration, message: message)
      return CommandOutcome(reply: .error(invalidConfiguration, message))
    }
  }

  static func reply(_ report: ConfigurationReloader.Report) -> CommandOutcome {
    let rows = report.changes.map { change -> [String] in
      switch change.effect {
      case .applied: [change.key, "applied"]
      case .needsRestart: [change.key, "needs a restart; the running value stays"]
      case .kept(let reason): [change.key, "did not load; the running value stays: \(reason)"]
      }
    }
    let source = report.file.map { " from \($0)" } ?? ""
    let restart = report.needingRestart.count
    let summary =
      report.changes.isEmpty
      ? "configuration reloaded\(source): no setting changed"
      : "configuration reloaded\(source): \(report.changes.count) changed, \(restart) "
        + (restart == 1 ? "needs" : "need") + " a restart"
    return CommandOutcome(
      reply: .table(columns: ["setting", "effect"], rows: rows, status: .ok(summary)))
  }
}
