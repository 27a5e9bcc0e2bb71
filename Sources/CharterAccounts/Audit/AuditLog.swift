import CharterPostgres
import Foundation

/// Appends audit rows. `append(_:to:on:)` runs inside the transaction of the change it
/// records, so the change and its row commit or vanish together (issue 3 item 6); the
/// run-time role may only INSERT into the logs and a trigger refuses UPDATE and DELETE
/// (SQL/0001_foundation.sql).
enum AuditLog {
  static func append(_ entry: AuditEntry, to target: AuditTarget, on connection: PostgresConnection)
    async throws
  {
    switch target {
    case .installation(let tenant):
      try await connection.query(
        """
        insert into charter.installation_audit_log (actor, target_tenant_id, command, outcome, detail)
        values ($1, $2, $3, $4, $5)
        """,
        [
          entry.actor, tenant?.id.uuid, entry.command, entry.outcome.rawValue,
          PostgresJSON(entry.detailJSON),
        ])
    case .tenant(let tenant):
      try await connection.query(
        """
        insert into charter.audit_log (tenant_id, actor, actor_kind, command, outcome, detail)
        values ($1, $2, $3, $4, $5, $6)
        """,
        [
          tenant.id, entry.actor, entry.actorKind.rawValue, entry.command, entry.outcome.rawValue,
          PostgresJSON(entry.detailJSON),
        ])
    }
  }
}
