public import CharterAdminServer
import CharterCrypto
import CharterPostgres
public import CharterProtocol
public import CharterStore
import Foundation

/// Accounts, login and the TENANT / ADMIN / AUDIT / JOBS / NOTICES / STATS / DELIVERY /
/// TEMPLATE commands over one database. The daemon makes one (`AdminAccounts.registry`), registers its handlers and
/// hands its audit sink to the admin server.
public final class AccountsService: Sendable {
  let database: Database
  let configuration: AccountsConfiguration
  let passwords: PasswordWork
  let throttle: AddressThrottle
  let tenants: TenantDirectory

  public init(database: Database, configuration: AccountsConfiguration = AccountsConfiguration()) {
    self.database = database
    self.configuration = configuration
    passwords = PasswordWork(
      hasher: PasswordHasher(policy: configuration.passwordPolicy),
      maxConcurrent: configuration.maxConcurrentPasswordWork)
    throttle = AddressThrottle(policy: configuration.throttle)
    tenants = TenantDirectory(database: database)
  }

  var log: @Sendable (String) -> Void { configuration.log }

  /// The audit sink for refusals the session decides itself (RELIABILITY S6).
  public var auditSink: any AdminAuditSink { AccountsAuditSink(service: self) }

  /// Attaches a handler for every command of this module to `registry`.
  public func register(into registry: inout AdminCommandRegistry) {
    let handlers: [(String, AdminCommandHandler)] = [
      ("LOGIN", { await self.login($0) }),
      ("LOGOUT", { await self.logout($0) }),
      ("WHOAMI", gated { try await self.whoami($0) }),
      ("TENANT CREATE", gated { try await self.tenantCreate($0) }),
      ("TENANT LIST", gated { try await self.tenantList($0) }),
      ("TENANT SHOW", gated { try await self.tenantShow($0) }),
      ("TENANT USE", gated { try await self.tenantUse($0) }),
      ("ADMIN CREATE", gated { try await self.adminCreate($0) }),
      ("ADMIN LIST", gated { try await self.adminList($0) }),
      ("ADMIN SHOW", gated { try await self.adminShow($0) }),
      ("ADMIN PASSWD", gated { try await self.adminPasswd($0) }),
      ("ADMIN DISABLE", gated { try await self.adminSetDisabled($0, true) }),
      ("ADMIN ENABLE", gated { try await self.adminSetDisabled($0, false) }),
      ("AUDIT TAIL", gated { try await self.auditTail($0) }),
      ("AUDIT SEARCH", gated { try await self.auditSearch($0) }),
      ("JOBS LIST", gated { try await self.jobsList($0) }),
      ("JOBS SHOW", gated { try await self.jobsShow($0) }),
      ("JOBS RETRY", gated { try await self.jobsRetry($0) }),
      ("JOBS CANCEL", gated { try await self.jobsCancel($0) }),
      ("STATS", gated { try await self.statistics($0) }),
      ("NOTICES LIST", gated { try await self.noticesList($0) }),
      ("NOTICES RETRY", gated { try await self.noticesRetry($0) }),
      ("DELIVERY SHOW", gated { try await self.deliveryShow($0) }),
      ("DELIVERY SET", gated { try await self.deliverySet($0) }),
      ("DELIVERY TEST", gated { try await self.deliveryTest($0) }),
      ("NOTICE SCHEDULE", gated { try await self.noticeSchedule($0) }),
      ("DELIVERY ENABLE", gated { try await self.deliveryEnable($0) }),
      ("TEMPLATE LIST", gated { try await self.templateList($0) }),
      ("TEMPLATE SHOW", gated { try await self.templateShow($0) }),
      ("TEMPLATE SET", gated { try await self.templateSet($0) }),
      ("TEMPLATE RESET", gated { try await self.templateReset($0) }),
    ]
    for (name, handler) in handlers {
      registry.register(name, handler)
    }
  }

  /// Wraps the handler of a command run by a logged-in administrator:
  /// - the account must still exist and be enabled (a disabled administrator's session is
  ///   logged out at its next command);
  /// - an administrator who must change their password may only run WHOAMI, LOGOUT and
  ///   ADMIN PASSWD for themselves (PING, HELP, MODE and QUIT never reach a handler);
  /// - a failure is answered, and audited when the command changes state or failed (a
  ///   successful read is not audited).
  /// Later issues wrap their handlers with it too.
  public func gated(
    _ body: @escaping @Sendable (CommandContext) async throws -> CommandOutcome
  ) -> AdminCommandHandler {
    { context in
      do {
        if let refusal = try await self.gateRefusal(context) {
          await self.auditFailure(context, refusal.failure)
          return CommandOutcome(reply: refusal.failure.reply, change: refusal.change)
        }
        let outcome = try await body(context)
        return outcome
      } catch {
        let failure = CommandFailure.from(error, log: self.log)
        await self.auditFailure(context, failure)
        return CommandOutcome(reply: failure.reply)
      }
    }
  }

  private struct GateRefusal {
    var failure: CommandFailure
    var change: SessionChange?
  }

  private func gateRefusal(_ context: CommandContext) async throws -> GateRefusal? {
    guard let principal = context.invocation.principal else {
      return GateRefusal(failure: CommandFailure(.notLoggedIn, "LOGIN <name> <password> first"))
    }
    let home = try await home(of: principal)
    let account = try await database.transaction(in: home) { connection in
      try await AccountStore.find(principal.name, in: home, on: connection)
    }
    guard let account, !account.disabled else {
      return GateRefusal(
        failure: CommandFailure(.notLoggedIn, "your account is disabled; you are logged out"),
        change: .loggedOut)
    }
    if account.mustChangePassword, !Self.allowedBeforePasswordChange(context) {
      return GateRefusal(
        failure: CommandFailure(
          .forbidden,
          "change your one-time password first: ADMIN PASSWD \(principal.name) <new password>"
        ))
    }
    return nil
  }

  static func allowedBeforePasswordChange(_ context: CommandContext) -> Bool {
    switch context.invocation.spec.name {
    case "WHOAMI", "LOGOUT": return true
    case "ADMIN PASSWD":
      return context.invocation.arguments.string("name") == context.invocation.principal?.name
    default: return false
    }
  }

  /// Where a logged-in principal's own account lives.
  func home(of principal: Principal) async throws -> AccountHome {
    switch principal.scope {
    case .installation: return .installation
    case .tenant(let slug, _):
      guard let tenant = try await tenants.resolve(slug) else {
        throw CommandFailure(.notLoggedIn, "your tenant no longer exists")
      }
      return .tenant(tenant)
    }
  }

  // MARK: Audit helpers

  /// The actor and its kind for a logged-in principal.
  static func actor(of principal: Principal?) -> (String, AuditEntry.ActorKind) {
    guard let principal else { return ("-", .system) }
    return (principal.name, principal.isOperator ? .operator : .tenantAdministrator)
  }

  static func detail(_ context: CommandContext, _ extra: [String: String] = [:]) -> [String: String]
  {
    var detail = ["address": context.peer.address, "session": String(context.sessionID)]
    detail.merge(extra) { _, new in new }
    return detail
  }

  /// The audit row of a successful command, for the transaction that makes the change.
  static func successEntry(_ context: CommandContext, note: String? = nil) -> AuditEntry {
    let (actor, kind) = actor(of: context.invocation.principal)
    var extra: [String: String] = [:]
    if let note { extra["note"] = note }
    return AuditEntry(
      actor: actor, actorKind: kind, command: context.invocation.auditDescription,
      outcome: .succeeded, detail: detail(context, extra))
  }

  /// The log a command's failure goes to when the command did not say: the tenant of a
  /// tenant administrator, the selected tenant for an operator's ADMIN and AUDIT commands,
  /// otherwise the installation's.
  func defaultTarget(_ context: CommandContext) async -> AuditTarget {
    let invocation = context.invocation
    var slug: String?
    if case .tenant(let own, _) = invocation.principal?.scope {
      slug = own
    } else if let selected = invocation.tenant,
      ["ADMIN", "AUDIT"].contains(invocation.spec.words.first ?? "")
    {
      slug = selected
    }
    if let slug, let tenant = try? await tenants.resolve(slug) { return .tenant(tenant) }
    return .installation(targetTenant: nil)
  }

  /// Writes the audit row of a command that failed or was refused, in a transaction of its
  /// own (the command's own transaction, if any, rolled back). Successful reads are not
  /// audited; every failure is, so an attempt on another tenant's objects leaves a row
  /// (RELIABILITY S1, S6). A failure to write is logged, never shown to the client.
  func auditFailure(_ context: CommandContext, _ failure: CommandFailure) async {
    let target: AuditTarget
    if let known = failure.target {
      target = known
    } else {
      target = await defaultTarget(context)
    }
    let (actor, kind) = Self.actor(of: context.invocation.principal)
    let entry = AuditEntry(
      actor: actor, actorKind: kind,
      command: failure.auditCommand ?? context.invocation.auditDescription,
      outcome: AuditOutcome.of(failure.code),
      detail: Self.detail(context, ["code": failure.code.rawValue, "note": failure.message]))
    await write(entry, to: target)
  }

  func write(_ entry: AuditEntry, to target: AuditTarget) async {
    do {
      try await database.transaction(in: target.home) { connection in
        try await AuditLog.append(entry, to: target, on: connection)
      }
    } catch {
      log("accounts: could not write an audit record (\(entry.command)): \(error)")
    }
  }
}
