public import CharterAccounts
public import CharterAdminServer
public import CharterCalendar
public import CharterGovernance
public import CharterPostgres
public import CharterProtocol
public import CharterScheduler
public import CharterStore
public import Foundation
import Synchronization

/// The governance workflows (issue 5): admin commands and deadline-job handlers that run the
/// rules engine's transitions and record them in PostgreSQL. The daemon makes one beside the
/// accounts module, registers its commands and its job handlers.
public final class WorkflowService: Sendable {
  let accounts: AccountsService
  let database: Database
  let configuration: WorkflowConfiguration
  let profiles = ProfileCache()
  /// The calendar and charters folder in use: the configuration's until a reload replaces them.
  private let rules: Mutex<(calendar: WorkingCalendar, chartersDirectory: URL)>

  public init(accounts: AccountsService, configuration: WorkflowConfiguration) {
    self.accounts = accounts
    self.database = accounts.commandDatabase
    self.configuration = configuration
    rules = Mutex((configuration.calendar, configuration.chartersDirectory))
  }

  /// A reload's new calendar and charters folder, for the transactions that start after it.
  public func useRules(calendar: WorkingCalendar, chartersDirectory: URL) {
    rules.withLock { $0 = (calendar, chartersDirectory) }
  }

  var calendar: WorkingCalendar { rules.withLock { $0.calendar } }
  var chartersDirectory: URL { rules.withLock { $0.chartersDirectory } }

  var log: @Sendable (String) -> Void { configuration.log }

  /// A handler of one command of this module, before `gated` wraps it.
  typealias Handler = @Sendable (CommandContext) async throws -> CommandOutcome

  /// Attaches a handler for every command of the workflows to `registry`, each wrapped by the
  /// accounts module's gate (enabled account, password change, audited failures).
  public func register(into registry: inout AdminCommandRegistry) {
    let handlers: [(String, Handler)] =
      charterCommands + memberCommands + registerCommands + workingGroupCommands
      + meetingCommands + officeCommands + evaluationCommands + feeCommands
    for (name, handler) in handlers {
      registry.register(name, accounts.gated(handler))
    }
  }

  /// Attaches the handler of every deadline kind of RULES.md §8 (issue 6 §2).
  public func registerJobs(into registry: inout JobHandlerRegistry) {
    let handlers: [(DeadlineKind, DeadlineHandler)] =
      memberDeadlines + workingGroupDeadlines + meetingDeadlines + officeDeadlines
      + evaluationDeadlines + feeDeadlines
    for (kind, handler) in handlers {
      registry.register(DeadlineJobs.jobKind(kind), DeadlineJobRunner(service: self, body: handler))
    }
  }

  // MARK: Transactions

  /// Runs `body` in one transaction of the command's tenant with the charter in force and the
  /// engine's context, and appends the audit row of the success in the same transaction. A
  /// refusal of the engine becomes `REFUSED <article>: …`; any failure rolls everything back
  /// (the gate audits it in a transaction of its own).
  func change(
    _ context: CommandContext, note: String? = nil,
    _ body: @Sendable (WorkflowScope) async throws -> CommandOutcome
  ) async throws -> CommandOutcome {
    try await inTenant(context) { scope in
      let outcome = try await body(scope)
      try await self.accounts.auditSuccess(
        context, in: scope.tenant, note: note, on: scope.connection)
      return outcome
    }
  }

  /// Runs a read-only `body` in one transaction of the command's tenant (not audited).
  func read(
    _ context: CommandContext, _ body: @Sendable (WorkflowScope) async throws -> CommandOutcome
  ) async throws -> CommandOutcome {
    try await inTenant(context, body)
  }

  private func inTenant(
    _ context: CommandContext, _ body: @Sendable (WorkflowScope) async throws -> CommandOutcome
  ) async throws -> CommandOutcome {
    let tenant = try await accounts.commandTenant(context)
    do {
      return try await database.withTenant(tenant.id) { connection in
        let scope = try await self.scope(
          tenant: tenant, connection: connection, actor: AccountsService.actorName(context),
          command: context.invocation.auditDescription)
        return try await body(scope)
      }
    } catch let refusal as Refusal {
      throw refusal.commandFailure(tenant: tenant)
    }
  }

  /// The scope of a transaction already open in `tenant`'s context: the tenant's zone, now
  /// (the database's clock, or the configured one of a scenario) and the charter version in
  /// force on that day, read in one statement (the profile's text only when this daemon has
  /// not parsed that version yet).
  func scope(
    tenant: TenantRef, connection: PostgresConnection, actor: String, command: String
  ) async throws -> WorkflowScope {
    let row = try await connection.query(
      """
      select t.time_zone, extract(epoch from t.at)::float8,
             v.version, v.effective_on::text, v.profile_sha256
      from (select time_zone, coalesce($2::timestamptz, now()) as at
            from charter.tenants where id = $1) t
      left join lateral (
          select version, effective_on, profile_sha256 from charter.charter_versions
          where tenant_id = $1 and effective_on <= (t.at at time zone t.time_zone)::date
          order by effective_on desc limit 1) v on true
      """, [tenant.id, configuration.now?()]
    ).rows.first
    guard let row else {
      throw CommandFailure(.notFound, "no tenant \(tenant.slug)", tenant: tenant)
    }
    let zoneName = try row.decode(0, as: String.self)
    guard let zone = TimeZone(identifier: zoneName) else {
      throw WorkflowError.corrupt("tenant \(tenant.slug): time zone \(zoneName)")
    }
    let now = Date(timeIntervalSince1970: try row.decode(1, as: Double.self))
    let engine = EngineContext(now: now, timeZone: zone, calendar: calendar)
    var charter: TenantCharter?
    if let version = try row.decode(2, as: Int?.self),
      let effectiveText = try row.decode(3, as: String?.self),
      let sha256 = try row.decode(4, as: String?.self)
    {
      guard let effective = CivilDate(iso: effectiveText) else {
        throw WorkflowError.corrupt("charter_versions v\(version): effective_on")
      }
      let profile = try await profiles.profile(sha256: sha256, version: version) {
        try await connection.query(
          "select profile_text from charter.charter_versions where version = $1", [version]
        ).scalar(as: String.self)
      }
      charter = TenantCharter(version: version, effectiveOn: effective, profile: profile)
    }
    return WorkflowScope(
      tenant: tenant, connection: connection, charter: charter, engine: engine, actor: actor,
      command: command)
  }
}
