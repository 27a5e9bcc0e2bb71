public import CharterPostgres
import Foundation

/// RELIABILITY R12: a tenant's webhook endpoint that answered 410 Gone, or failed for the whole
/// retry lifetime of a delivery, is disabled — the sender stops calling it, the audit log says
/// so and the secretariat is told by mail — until an administrator enables it again
/// (DELIVERY ENABLE webhook, or DELIVERY SET webhook=…).
public enum WebhookEndpoint {
  /// Disables the transaction's tenant's webhook if it is still `url` and enabled (an
  /// administrator may have changed it while the delivery was in flight), writes the audit
  /// row and queues the notice to the secretariat mailbox, all in the caller's transaction.
  /// Returns whether this call disabled it.
  @discardableResult
  public static func disable(url: String, reason: String, on connection: PostgresConnection)
    async throws -> Bool
  {
    let reason = String(reason.prefix(500))
    let disabled = try await connection.query(
      """
      update charter.delivery_settings
      set webhook_disabled_at = clock_timestamp(), webhook_disabled_reason = $2,
          updated_at = clock_timestamp()
      where tenant_id = charter.current_tenant() and webhook_url = $1
        and webhook_disabled_at is null
      returning webhook_disabled_at, secretariat_email
      """, [url, reason])
    guard let row = disabled.rows.first else { return false }
    let since = try row.decode(0, as: Date.self)
    let mailbox = try row.decode(1, as: String?.self).flatMap { try? MailAddress($0) }
    let endpoint = DeliverySettings.redactedURL(url)
    if let mailbox {
      let rendered = try await NoticeTemplates.render(
        kind: SystemNotice.webhookDisabled.rawValue,
        parameters: ["endpoint": endpoint, "since": shanghaiTime(since), "reason": reason],
        on: connection)
      let millis = Int64((since.timeIntervalSince1970 * 1000).rounded())
      _ = try await Outbox.enqueue(
        NewDelivery(
          noticeKey: Outbox.key(notice: "webhook-disabled/\(millis)", target: .email(mailbox)),
          target: .email(mailbox), rendered: rendered,
          noticeKind: SystemNotice.webhookDisabled.rawValue),
        on: connection)
    }
    try await connection.query(
      """
      insert into charter.audit_log (tenant_id, actor, actor_kind, command, outcome, detail)
      values (charter.current_tenant(), 'delivery', 'system', 'webhook.disabled', 'succeeded',
              jsonb_build_object('endpoint', $1::text, 'reason', $2::text,
                                 'notified', $3::text))
      """, [endpoint, reason, mailbox?.text ?? "nobody: no secretariat-email set"])
    return true
  }

  /// Enables the transaction's tenant's webhook again; returns the disabling it ended, nil
  /// when it was not disabled.
  @discardableResult
  public static func enable(on connection: PostgresConnection) async throws -> WebhookDisabling? {
    let current = try await connection.query(
      """
      select webhook_disabled_at, webhook_disabled_reason from charter.delivery_settings
      where tenant_id = charter.current_tenant() and webhook_disabled_at is not null
      for update
      """, [])
    guard let row = current.rows.first else { return nil }
    try await connection.query(
      """
      update charter.delivery_settings
      set webhook_disabled_at = null, webhook_disabled_reason = null, updated_at = now()
      where tenant_id = charter.current_tenant()
      """, [])
    return WebhookDisabling(
      at: try row.decode(0, as: Date.self), reason: try row.decode(1, as: String.self))
  }

  /// `2026-11-21 09:30 (UTC+8)`: the alliances' civil time; mails have no session zone.
  static func shanghaiTime(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.string(from: date) + " (UTC+8)"
  }
}
