public import CharterAdminServer
public import CharterPostgres
public import CharterProtocol
public import CharterStore
import Foundation

/// What command modules built on the accounts module (the governance workflows) need, and no
/// more: the tenant a command acts on, the audit row of a success written in the command's own
/// transaction, and failures that name the tenant whose log records them.
extension AccountsService {
  /// The database the accounts module was made with.
  public var commandDatabase: Database { database }

  /// The tenant a tenant command acts on: a tenant administrator's own tenant (from the
  /// session, never an argument), or the tenant an operator chose with TENANT USE.
  /// - Throws: `CommandFailure` (NO_TENANT_SELECTED) for an operator without TENANT USE.
  public func commandTenant(_ context: CommandContext) async throws -> TenantRef {
    try await requiredTenant(context)
  }

  /// Appends the audit row of a successful command, inside the transaction that makes the
  /// change (both commit or neither does).
  public func auditSuccess(
    _ context: CommandContext, in tenant: TenantRef, note: String? = nil,
    on connection: PostgresConnection
  ) async throws {
    try await AuditLog.append(
      Self.successEntry(context, note: note), to: .tenant(tenant), on: connection)
  }

  /// The actor a command records: the administrator's login name.
  public static func actorName(_ context: CommandContext) -> String {
    actor(of: context.invocation.principal).0
  }
}

extension CommandFailure {
  /// A failure of a command acting on `tenant`: audited in that tenant's log.
  public init(_ code: StatusCode, _ message: String, tenant: TenantRef) {
    self.init(code, message, target: .tenant(tenant))
  }

  /// A failure audited where the command's scope says (the caller's tenant).
  public static func failure(_ code: StatusCode, _ message: String) -> CommandFailure {
    CommandFailure(code, message)
  }
}
