import CharterAdminServer
import CharterCrypto
import CharterProtocol
import Foundation

/// LOGIN and LOGOUT.
///
/// Every failed login gets the same reply after the same work (RELIABILITY A3): an unknown
/// name or tenant, a disabled or locked account and a missing hash each cost one dummy
/// verification, a wrong password one real verification; then the source address's delay.
/// A locked account's password is never verified (A2).
extension AccountsService {
  private enum Verdict {
    case success(rehash: Bool, method: String)
    case failure(reason: String)
    case wrongPassword
  }

  func login(_ context: CommandContext) async -> CommandOutcome {
    let arguments = context.invocation.arguments
    let typed = arguments.string("name") ?? ""
    let password = arguments.string("password")
    let name = LoginName(typed)
    let now = configuration.now()

    // Where the account would live; a tenant that does not exist looks like a wrong name.
    let home: AccountHome?
    let account: AccountRecord?
    do {
      switch name {
      case .operator:
        home = .installation
      case .tenantAdministrator(_, let slug):
        if let entry = try await tenants.lookUp(slug), !entry.disabled {
          home = .tenant(entry.ref)
        } else {
          home = nil
        }
      }
      if let home {
        account = try await database.transaction(in: home) { connection in
          try await AccountStore.find(name.login, in: home, on: connection)
        }
      } else {
        account = nil
      }
    } catch {
      let failure = CommandFailure.from(error, log: log)
      return CommandOutcome(reply: failure.reply)
    }

    let verdict = await verify(password, for: account, peer: context.peer, at: now)
    let target: AuditTarget =
      switch home {
      case .tenant(let ref): .tenant(ref)
      case .installation, nil: .installation(targetTenant: nil)
      }
    var detail = Self.detail(context)
    if case .tenantAdministrator(_, let slug) = name { detail["tenant"] = slug }
    let actorKind: AuditEntry.ActorKind =
      if case .operator = name { .operator } else { .tenantAdministrator }

    switch verdict {
    case .success(let rehash, let method):
      guard let account, let home, let principal = principal(for: account, in: home) else {
        return CommandOutcome(
          reply: CommandFailure(.internalError, "account has an unknown role").reply)
      }
      var newHash: String?
      if rehash, let password {
        newHash = try? await passwords.hash(password)
      }
      detail["method"] = method
      if newHash != nil { detail["note"] = "password re-hashed at the current policy" }
      let entry = AuditEntry(
        actor: account.login, actorKind: actorKind,
        command: context.invocation.auditDescription, outcome: .succeeded, detail: detail)
      do {
        try await database.transaction(in: home) { connection in
          try await AccountStore.recordSuccessfulLogin(
            id: account.id, at: now, newPasswordHash: newHash, in: home, on: connection)
          try await AuditLog.append(entry, to: target, on: connection)
        }
      } catch {
        return CommandOutcome(reply: CommandFailure.from(error, log: log).reply)
      }
      var message = "logged in as \(typed) (\(account.role))"
      if account.mustChangePassword {
        message +=
          "; change your one-time password now: ADMIN PASSWD \(account.login) <new password>"
      }
      return CommandOutcome(reply: .ok(message), change: .loggedIn(principal))

    case .failure(let reason):
      detail["code"] = StatusCode.authenticationFailed.rawValue
      detail["note"] = reason
      let entry = AuditEntry(
        actor: name.login, actorKind: actorKind, command: context.invocation.auditDescription,
        outcome: .refused, detail: detail)
      await write(entry, to: target)

    case .wrongPassword:
      detail["code"] = StatusCode.authenticationFailed.rawValue
      detail["note"] = "wrong password"
      if let account, let home {
        do {
          try await database.transaction(in: home) { connection in
            let lockedUntil = try await AccountStore.recordFailedLogin(
              id: account.id, at: now, policy: configuration.lockout, in: home, on: connection)
            var entry = AuditEntry(
              actor: name.login, actorKind: actorKind, command: context.invocation.auditDescription,
              outcome: .refused, detail: detail)
            if let lockedUntil {
              // Logged once per lockout: only the failure that starts it gets here.
              entry.detail["note"] =
                "wrong password; account locked until \(AuditQuery.format(lockedUntil))"
              entry.detail["lockout"] = "started"
              self.log(
                "accounts: \(typed) locked until \(AuditQuery.format(lockedUntil)) after \(configuration.lockout.threshold) failed logins (last from \(context.peer.address))"
              )
            }
            try await AuditLog.append(entry, to: target, on: connection)
          }
        } catch {
          log("accounts: could not record a failed login of \(typed): \(error)")
        }
      }
    }
    let delay = await throttle.recordFailure(from: context.peer.address, at: now)
    if delay > .zero { try? await Task.sleep(for: delay) }
    return CommandOutcome(reply: CommandFailure.authenticationFailed.reply)
  }

  private func verify(
    _ password: String?, for account: AccountRecord?, peer: PeerInfo, at now: Date
  ) async -> Verdict {
    guard let password else {
      // No password: a login by client certificate. A lockout does not stop it (it guards
      // against password guessing); a disabled account does.
      guard let account, !account.disabled else {
        return .failure(reason: "certificate login refused")
      }
      guard let presented = peer.clientCertificateSubject, let mapped = account.certificateSubject,
        ConstantTime.equals(Array(presented.utf8), Array(mapped.utf8))
      else { return .failure(reason: "certificate login refused") }
      return .success(rehash: false, method: "certificate")
    }
    guard let account else {
      await passwords.dummyVerify(password)
      return .failure(reason: "unknown name or tenant")
    }
    if account.disabled {
      await passwords.dummyVerify(password)
      return .failure(reason: "account disabled")
    }
    if account.isLocked(at: now) {
      await passwords.dummyVerify(password)
      return .failure(reason: "account locked")
    }
    guard let stored = account.passwordHash else {
      await passwords.dummyVerify(password)
      return .failure(reason: "no password set")
    }
    guard let verification = await passwords.verify(password, against: stored) else {
      log("accounts: the stored password hash of \(account.login) is unreadable")
      return .failure(reason: "stored password hash unreadable")
    }
    guard verification.matches else { return .wrongPassword }
    return .success(rehash: verification.needsRehash, method: "password")
  }

  private func principal(for account: AccountRecord, in home: AccountHome) -> Principal? {
    switch home {
    case .installation:
      return Principal(name: account.login, scope: .installation)
    case .tenant(let tenant):
      guard let role = TenantRole(rawValue: account.role) else { return nil }
      return Principal(name: account.login, scope: .tenant(tenant.slug, role))
    }
  }

  func logout(_ context: CommandContext) async -> CommandOutcome {
    if let principal = context.invocation.principal {
      let target: AuditTarget
      if let home = try? await home(of: principal), case .tenant(let ref) = home {
        target = .tenant(ref)
      } else {
        target = .installation(targetTenant: nil)
      }
      await write(Self.successEntry(context), to: target)
    }
    return CommandOutcome(reply: .ok("logged out"), change: .loggedOut)
  }
}
