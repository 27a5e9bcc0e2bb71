import CharterAdminServer
import CharterPostgres
import CharterProtocol
import Foundation

/// ADMIN CREATE / LIST / SHOW / PASSWD / DISABLE / ENABLE.
///
/// Where they act: a tenant administrator, on its own tenant's administrators (the tenant
/// comes from the session, never from an argument); an operator, on the administrators of
/// the tenant chosen with TENANT USE, or on the operators when none is chosen (and always
/// for ADMIN CREATE ... operator, and ADMIN PASSWD of its own name). Each lookup runs inside
/// the tenant's row-level-security context, so another tenant's administrator is exactly as
/// invisible as a missing one (RELIABILITY S1, S5).
extension AccountsService {
  /// The accounts an ADMIN command of this session acts on.
  func adminHome(_ context: CommandContext) async throws -> AccountHome {
    guard let principal = context.invocation.principal else {
      throw CommandFailure(.notLoggedIn, "LOGIN <name> <password> first")
    }
    switch principal.scope {
    case .tenant:
      return try await home(of: principal)
    case .installation:
      guard let selected = context.invocation.tenant else { return .installation }
      guard let tenant = try await tenants.resolve(selected) else {
        throw CommandFailure(.notFound, "no tenant \(selected)")
      }
      return .tenant(tenant)
    }
  }

  static func target(of home: AccountHome) -> AuditTarget {
    switch home {
    case .installation: .installation(targetTenant: nil)
    case .tenant(let ref): .tenant(ref)
    }
  }

  func adminCreate(_ context: CommandContext) async throws -> CommandOutcome {
    let invocation = context.invocation
    let arguments = invocation.arguments
    let name = arguments.string("name") ?? ""
    let role = arguments.string("role") ?? ""
    let display = arguments.string("display") ?? name
    let certificate = arguments.string("certificate")
    let usage = invocation.spec.usage
    guard let principal = invocation.principal else {
      throw CommandFailure(.notLoggedIn, "LOGIN <name> <password> first")
    }
    let home: AccountHome
    if role == "operator" {
      guard principal.isOperator else {
        throw CommandFailure(.forbidden, "only operators create operators")
      }
      home = .installation
    } else {
      if principal.isOperator, invocation.tenant == nil {
        throw CommandFailure(.noTenantSelected, "TENANT USE <slug> first")
      }
      home = try await adminHome(context)
    }
    let target = Self.target(of: home)
    guard LoginNameRule.isValid(name) else {
      throw CommandFailure(
        .badArguments,
        "<name> \(String(name.prefix(40))) is not a login name (\(LoginNameRule.description)); usage: \(usage)",
        target: target)
    }
    guard (1...200).contains(display.count) else {
      throw CommandFailure(
        .badArguments, "<display> must have 1 to 200 characters; usage: \(usage)", target: target)
    }
    if let certificate, certificate.isEmpty {
      throw CommandFailure(.badArguments, "<certificate> is empty; usage: \(usage)", target: target)
    }
    let password = try OneTimePassword.generate()
    let hash = try await passwords.hash(password)
    let entry = Self.successEntry(context)
    try await database.transaction(in: home) { connection in
      do {
        try await connection.savepoint { connection in
          try await AccountStore.create(
            login: name, displayName: display, role: role, passwordHash: hash,
            mustChangePassword: true, certificateSubject: certificate, in: home, on: connection)
        }
      } catch let error as PostgresError where error.isUniqueViolation {
        throw CommandFailure(.conflict, "administrator \(name) exists", target: target)
      }
      try await AuditLog.append(entry, to: target, on: connection)
    }
    return CommandOutcome(
      reply: .table(
        columns: ["name", "role", "one_time_password"], rows: [[name, role, password]],
        status: .ok("administrator \(name) created")))
  }

  func adminList(_ context: CommandContext) async throws -> CommandOutcome {
    let home = try await adminHome(context)
    let now = configuration.now()
    let accounts = try await database.transaction(in: home) { connection in
      try await AccountStore.list(in: home, on: connection)
    }
    let rows = accounts.map { account in
      [
        account.login, account.role, account.displayName, Self.status(of: account, at: now),
        account.lastLoginAt.map(AuditQuery.format) ?? "",
      ]
    }
    return CommandOutcome(
      reply: .table(
        columns: ["name", "role", "display", "status", "last_login"], rows: rows,
        status: .ok(Self.count(rows.count, "administrator"))))
  }

  func adminShow(_ context: CommandContext) async throws -> CommandOutcome {
    let name = context.invocation.arguments.string("name") ?? ""
    let home = try await adminHome(context)
    let now = configuration.now()
    let account = try await database.transaction(in: home) { connection in
      try await AccountStore.find(name, in: home, on: connection)
    }
    guard let account else {
      throw CommandFailure.noAdministrator(name).targeting(Self.target(of: home))
    }
    let rows = [
      ["name", account.login], ["display", account.displayName], ["role", account.role],
      ["tenant", home.tenant?.slug ?? ""], ["status", Self.status(of: account, at: now)],
      ["password_change_required", account.mustChangePassword ? "yes" : "no"],
      ["certificate", account.certificateSubject ?? ""],
      ["last_login", account.lastLoginAt.map(AuditQuery.format) ?? ""],
    ]
    return CommandOutcome(reply: .table(columns: ["field", "value"], rows: rows, status: .ok("")))
  }

  func adminPasswd(_ context: CommandContext) async throws -> CommandOutcome {
    let invocation = context.invocation
    let name = invocation.arguments.string("name") ?? ""
    let password = invocation.arguments.string("password") ?? ""
    guard let principal = invocation.principal else {
      throw CommandFailure(.notLoggedIn, "LOGIN <name> <password> first")
    }
    let isSelf = name == principal.name
    let home = isSelf ? try await home(of: principal) : try await adminHome(context)
    let target = Self.target(of: home)
    if !isSelf, case .tenant(_, let role) = principal.scope, role < .secretariat {
      throw CommandFailure(
        .forbidden, "you may set only your own password; role \(role.rawValue)", target: target)
    }
    guard password.count >= configuration.minimumPasswordLength else {
      throw CommandFailure(
        .badArguments,
        "the password must have at least \(configuration.minimumPasswordLength) characters; usage: \(invocation.spec.usage)",
        target: target)
    }
    let hash = try await passwords.hash(password)
    let entry = Self.successEntry(context)
    try await database.transaction(in: home) { connection in
      guard let account = try await AccountStore.find(name, in: home, on: connection) else {
        throw CommandFailure.noAdministrator(name).targeting(target)
      }
      // A password someone else set is a one-time password.
      try await AccountStore.setPassword(
        id: account.id, hash: hash, mustChange: !isSelf, in: home, on: connection)
      try await AuditLog.append(entry, to: target, on: connection)
    }
    return CommandOutcome(reply: .ok("password of \(name) changed"))
  }

  func adminSetDisabled(_ context: CommandContext, _ disabled: Bool) async throws
    -> CommandOutcome
  {
    let invocation = context.invocation
    let name = invocation.arguments.string("name") ?? ""
    guard let principal = invocation.principal else {
      throw CommandFailure(.notLoggedIn, "LOGIN <name> <password> first")
    }
    let home = try await adminHome(context)
    let target = Self.target(of: home)
    let entry = Self.successEntry(context)
    try await database.transaction(in: home) { connection in
      guard let account = try await AccountStore.find(name, in: home, on: connection) else {
        throw CommandFailure.noAdministrator(name).targeting(target)
      }
      let isSelf = name == principal.name && principal.isOperator == (home == .installation)
      if disabled, isSelf {
        throw CommandFailure(.conflict, "you cannot disable yourself", target: target)
      }
      try await AccountStore.setDisabled(id: account.id, disabled, in: home, on: connection)
      try await AuditLog.append(entry, to: target, on: connection)
    }
    return CommandOutcome(reply: .ok("\(name) \(disabled ? "disabled" : "enabled")"))
  }

  static func status(of account: AccountRecord, at now: Date) -> String {
    if account.disabled { return "disabled" }
    if account.isLocked(at: now) { return "locked" }
    return "active"
  }
}

extension CommandFailure {
  func targeting(_ target: AuditTarget) -> CommandFailure {
    var copy = self
    copy.target = target
    return copy
  }
}
