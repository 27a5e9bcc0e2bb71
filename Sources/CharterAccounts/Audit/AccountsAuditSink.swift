import CharterAdminServer
import CharterProtocol

/// What the admin server reports itself: commands the session refused before any handler
/// ran (a tenant administrator trying TENANT CREATE, a viewer trying ADMIN CREATE: RELIABILITY
/// S6, one row per attempt) and sessions closed for abuse.
struct AccountsAuditSink: AdminAuditSink {
  let service: AccountsService

  func recordDenial(_ denial: CommandDenial, peer: PeerInfo, sessionID: UInt64) async {
    let target = await target(of: denial.principal)
    let (actor, kind) = AccountsService.actor(of: denial.principal)
    // The arguments were not checked and may hold a password: only the command's name.
    let entry = AuditEntry(
      actor: actor, actorKind: kind, command: denial.spec.name, outcome: .refused,
      detail: [
        "address": peer.address, "session": String(sessionID),
        "code": StatusCode.forbidden.rawValue, "note": denial.reason,
      ])
    await service.write(entry, to: target)
  }

  func recordClose(_ reason: CloseReason, principal: Principal?, peer: PeerInfo, sessionID: UInt64)
    async
  {
    // Ordinary ends and plain timeouts are not worth a row (a port scanner would fill the
    // log); closes a client provoked by misbehaving are.
    switch reason {
    case .quit, .peerClosed, .shutdown, .handshakeTimeout, .loginTimeout, .idleTimeout:
      return
    case .partialLineTimeout, .tooManyErrors, .lineTooLong, .preLoginBudgetExceeded,
      .outputOverflow, .outputStalled:
      break
    }
    let target: AuditTarget =
      if let principal { await target(of: principal) } else { .installation(targetTenant: nil) }
    let (actor, kind) = AccountsService.actor(of: principal)
    let entry = AuditEntry(
      actor: actor, actorKind: kind, command: "SESSION CLOSED", outcome: .refused,
      detail: [
        "address": peer.address, "session": String(sessionID), "note": "\(reason)",
      ])
    await service.write(entry, to: target)
  }

  private func target(of principal: Principal) async -> AuditTarget {
    if case .tenant(let slug, _) = principal.scope,
      let tenant = try? await service.tenants.resolve(slug)
    {
      return .tenant(tenant)
    }
    return .installation(targetTenant: nil)
  }
}
