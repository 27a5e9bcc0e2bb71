import CharterAdminServer
import CharterDelivery
import CharterPostgres
import CharterProtocol
import Foundation

/// NOTICES LIST / RETRY (issue 6 §3: a notice given up on is visible to the operator and the
/// tenant's secretariat) over `DeliveryAdministration`, scoped like the JOBS commands.
extension AccountsService {
  func noticesList(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let tenant = try await requiredTenant(context)
    let entries = try await DeliveryAdministration(database: database).list(
      tenant: tenant.id, states: arguments.string("state").map { [$0] } ?? [],
      limit: arguments.integer("limit") ?? 100)
    let rows = entries.map { entry in
      [
        entry.id.uuidString.lowercased(), entry.noticeKey, entry.channel, entry.recipient,
        entry.subject, entry.state, String(entry.attempts), AuditQuery.format(entry.nextAttemptAt),
        entry.lastError ?? "",
      ]
    }
    return CommandOutcome(
      reply: .table(
        columns: [
          "id", "notice", "channel", "recipient", "subject", "state", "attempts", "next_attempt",
          "last_error",
        ], rows: rows, status: .ok(Self.count(rows.count, "notice"))))
  }

  func noticesRetry(_ context: CommandContext) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    let id = try Self.idArgument(context)
    let shown = id.uuidString.lowercased()
    let entry = Self.successEntry(context)
    try await database.withTenant(tenant.id) { connection in
      if try await DeliveryAdministration.retry(id: id, on: connection) {
        try await AuditLog.append(entry, to: .tenant(tenant), on: connection)
        return
      }
      let state = try await connection.query(
        "select state from charter.notice_outbox where id = $1", [id]
      ).rows.first?.decode(0, as: String.self)
      guard let state else {
        throw CommandFailure(.notFound, "no notice \(shown)", target: .tenant(tenant))
      }
      throw CommandFailure(
        .conflict, "notice \(shown) is \(state); NOTICES RETRY applies to dead notices",
        target: .tenant(tenant))
    }
    return CommandOutcome(reply: .ok("notice \(shown) will be sent again"))
  }
}
