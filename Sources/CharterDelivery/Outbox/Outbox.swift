public import CharterPostgres
import Foundation

/// Writing deliveries. Called inside the caller's tenant transaction (`Database.withTenant`,
/// e.g. a job handler's), so a notice exists exactly when the event that caused it committed.
public enum Outbox {
  /// NOTIFYed with each new delivery at commit, for a sender that listens.
  public static let notificationChannel = "charter_notices"

  /// A key per notice and target: `<notice>/<channel>/<recipient>`.
  public static func key(notice: String, target: DeliveryTarget) -> String {
    "\(notice)/\(target.channel)/\(target.recipient)"
  }

  /// Writes `delivery` for the transaction's tenant, due now, unless one with the same key
  /// exists (unique (tenant_id, notice_key) of charter.notice_outbox).
  /// - Throws: `DeliveryError.noTenantContext` outside a tenant transaction.
  public static func enqueue(_ delivery: NewDelivery, on connection: PostgresConnection)
    async throws -> OutboxEnqueueResult
  {
    var attachments = "[]"
    if let calendar = delivery.calendar {
      let data = try JSONSerialization.data(
        withJSONObject: [
          [
            "content_type": "text/calendar; method=REQUEST", "filename": "invite.ics",
            "content": calendar,
          ]
        ], options: [.sortedKeys])
      attachments = String(decoding: data, as: UTF8.self)
    }
    let result = try await connection.query(
      """
      with inserted as (
          insert into charter.notice_outbox
              (tenant_id, notice_key, job_id, channel, recipient, subject, body, html_body,
               attachments, notice_kind)
          select charter.current_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9
          where charter.current_tenant() is not null
          on conflict (tenant_id, notice_key) do nothing
          returning id
      )
      select i.id, pg_notify($10, '') is null from inserted i
      """,
      [
        delivery.noticeKey, delivery.jobID, delivery.target.channel, delivery.target.recipient,
        delivery.subject, delivery.textBody, delivery.htmlBody, PostgresJSON(attachments),
        delivery.noticeKind, notificationChannel,
      ])
    guard let row = result.rows.first else {
      let hasTenant = try await connection.query(
        "select charter.current_tenant() is not null", []
      ).scalar(as: Bool.self)
      if !hasTenant { throw DeliveryError.noTenantContext }
      return .duplicate
    }
    return .created(id: try row.decode(0, as: UUID.self))
  }
}
