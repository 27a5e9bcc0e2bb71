import CharterAdminServer
import CharterPostgres
import CharterProtocol

/// AUDIT TAIL and AUDIT SEARCH: a tenant administrator reads its tenant's log; an operator
/// the log of the tenant chosen with TENANT USE, or the installation's log without one.
extension AccountsService {
  func auditTail(_ context: CommandContext) async throws -> CommandOutcome {
    let limit = context.invocation.arguments.integer("limit") ?? 20
    return try await audit(context, AuditQuery.Filter(limit: limit))
  }

  func auditSearch(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let outcome = arguments.string("outcome")
    let filter = AuditQuery.Filter(
      admin: arguments.string("admin"), commandPrefix: arguments.string("command"),
      succeeded: outcome.map { $0 == "ok" },
      from: arguments.date("from").map {
        PostgresDate(year: $0.year, month: $0.month, day: $0.day)
      },
      to: arguments.date("to").map { PostgresDate(year: $0.year, month: $0.month, day: $0.day) },
      limit: arguments.integer("limit") ?? 100)
    return try await audit(context, filter)
  }

  private func audit(_ context: CommandContext, _ filter: AuditQuery.Filter) async throws
    -> CommandOutcome
  {
    let home = try await adminHome(context)
    let target: AuditTarget = Self.target(of: home)
    let rows = try await database.transaction(in: home) { connection in
      try await AuditQuery.rows(filter, in: target, on: connection)
    }
    return CommandOutcome(
      reply: .table(
        columns: AuditQuery.columns, rows: rows, status: .ok(Self.count(rows.count, "record"))))
  }
}
