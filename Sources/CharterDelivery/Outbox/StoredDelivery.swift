import CharterPostgres
import CharterStore
import Foundation

/// A delivery as read back from charter.notice_outbox by the sender.
struct StoredDelivery: Sendable {
  let id: UUID
  let tenant: TenantID
  let noticeKey: String
  let channel: String
  let recipient: String
  let subject: String
  let textBody: String
  let htmlBody: String?
  let calendar: String?
  let noticeKind: String?
  let createdAt: Date

  /// Columns: id, notice_key, channel, recipient, subject, body, html_body, attachments::text,
  /// notice_kind, created_at.
  init(row: PostgresRow, tenant: TenantID) throws {
    id = try row.decode(0, as: UUID.self)
    self.tenant = tenant
    noticeKey = try row.decode(1, as: String.self)
    channel = try row.decode(2, as: String.self)
    recipient = try row.decode(3, as: String.self)
    subject = try row.decode(4, as: String.self)
    textBody = try row.decode(5, as: String.self)
    htmlBody = try row.decode(6, as: String?.self)
    let attachments = try row.decode(7, as: String.self)
    let parsed = try? JSONSerialization.jsonObject(with: Data(attachments.utf8)) as? [[String: Any]]
    calendar =
      parsed?.first { ($0["content_type"] as? String)?.hasPrefix("text/calendar") == true }?[
        "content"] as? String
    noticeKind = try row.decode(8, as: String?.self)
    createdAt = try row.decode(9, as: Date.self)
  }
}
