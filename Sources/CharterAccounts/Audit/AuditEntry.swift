import CharterProtocol
import Foundation

/// How an audited command ended, as `audit_log.outcome` stores it.
enum AuditOutcome: String, Sendable {
  case succeeded
  /// Not allowed: a failed login, a denial, an object not found in the caller's scope.
  case refused
  /// Allowed but it did not happen: a conflict, a database failure.
  case failed

  static func of(_ code: StatusCode) -> AuditOutcome {
    switch code {
    case .forbidden, .authenticationFailed, .notLoggedIn, .notFound, .noTenantSelected, .refused:
      .refused
    default: .failed
    }
  }
}

/// Where an audit row goes: a tenant's `audit_log` (anything done inside a tenant, whoever
/// did it, so the tenant's secretariat sees it), or the installation's log (operators' own
/// actions, and logins naming no known tenant).
enum AuditTarget: Sendable, Hashable {
  case installation(targetTenant: TenantRef?)
  case tenant(TenantRef)

  var home: AccountHome {
    switch self {
    case .installation: .installation
    case .tenant(let ref): .tenant(ref)
    }
  }
}

/// One audit row: who, what (the command with secrets redacted), how it ended, and details
/// (source address, session, error code, a note).
struct AuditEntry: Sendable {
  enum ActorKind: String, Sendable {
    case `operator`
    case tenantAdministrator = "tenant_administrator"
    case system
  }

  var actor: String
  var actorKind: ActorKind
  var command: String
  var outcome: AuditOutcome
  var detail: [String: String]

  init(
    actor: String, actorKind: ActorKind, command: String, outcome: AuditOutcome,
    detail: [String: String] = [:]
  ) {
    // The actor of a failed login is whatever was typed: keep the row bounded.
    self.actor = String(actor.prefix(200))
    self.actorKind = actorKind
    self.command = command
    self.outcome = outcome
    self.detail = detail
  }

  var detailJSON: String {
    let object = detail.merging(["actor_kind": actorKind.rawValue]) { first, _ in first }
    guard
      let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
      let text = String(data: data, encoding: .utf8)
    else { return "{}" }
    return text
  }
}
