public import CharterAccounts
public import CharterGovernance
public import CharterPostgres
public import CharterProtocol
public import Foundation

/// One transaction of a workflow: a command's or a deadline job's. Everything a transition
/// writes (state, decision, facts, notices, jobs, the audit row) goes through `connection`, so
/// it commits together or not at all.
public struct WorkflowScope: Sendable {
  public let tenant: TenantRef
  public let connection: PostgresConnection
  /// The charter in force today; nil only before the tenant's first CHARTER LOAD (commands
  /// that need it call `requireCharter()`).
  public let charter: TenantCharter?
  /// Now, today, the tenant's zone and the working calendar, for the engine.
  public let engine: EngineContext
  /// Who acts: an administrator's login, or `system` for a deadline job.
  public let actor: String
  /// The command as audited (secrets redacted), or `job <kind>`.
  public let command: String

  /// The charter in force, or a failure telling the administrator to load one.
  public func requireCharter() throws -> TenantCharter {
    guard let charter else {
      throw CommandFailure(
        .conflict, "tenant \(tenant.slug) has no charter in force; CHARTER LOAD <profile> first",
        tenant: tenant)
    }
    return charter
  }

  /// The profile in force (shorthand).
  public func profile() throws -> CharterProfile { try requireCharter().profile }

  /// A failure of this command, audited in this tenant's log.
  public func failure(_ code: StatusCode, _ message: String) -> CommandFailure {
    CommandFailure(code, message, tenant: tenant)
  }
}

/// A rule's refusal as the client sees it: `REFUSED <article>: 中文 / English`.
extension Refusal {
  func commandFailure(tenant: TenantRef) -> CommandFailure {
    CommandFailure(.refused, "\(article): \(reasonZh) / \(reasonEn)", tenant: tenant)
  }
}
