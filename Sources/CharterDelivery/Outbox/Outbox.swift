public import CharterPostgres
public import CharterScheduler
public import Foundation

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
    guard let id = try await enqueue([delivery], on: connection).first else { return .duplicate }
    return .created(id: id)
  }

  /// Writes `deliveries` for the transaction's tenant, due now, in one statement, skipping
  /// those whose key exists (or repeats an earlier one of the list); one NOTIFY for them all.
  /// Returns the ids of the deliveries it wrote.
  /// - Throws: `DeliveryError.noTenantContext` outside a tenant transaction.
  @discardableResult
  public static func enqueue(_ deliveries: [NewDelivery], on connection: PostgresConnection)
    async throws -> [UUID]
  {
    guard !deliveries.isEmpty else { return [] }
    // One array per column; an absent job id, HTML part or notice kind is ''. Arrays rather
    // than one JSON document: encoding JSON with Foundation cost more client time than the
    // statement saved (docs/scheduler.md, "Several jobs per transaction").
    let columns: [[String]] = [
      deliveries.map(\.noticeKey),
      deliveries.map { $0.jobID?.uuidString.lowercased() ?? "" },
      deliveries.map(\.target.channel), deliveries.map(\.target.recipient),
      deliveries.map(\.subject), deliveries.map(\.textBody),
      deliveries.map { $0.htmlBody ?? "" }, try deliveries.map(attachments(of:)),
      deliveries.map { $0.noticeKind ?? "" },
    ]
    // Ordinality keeps the list's order, so that of two rows with one key the first is written.
    let row = try await connection.query(
      """
      with inserted as (
          insert into charter.notice_outbox
              (tenant_id, notice_key, job_id, channel, recipient, subject, body, html_body,
               attachments, notice_kind)
          select charter.current_tenant(), d.notice_key, nullif(d.job_id, '')::uuid, d.channel,
                 d.recipient, d.subject, d.body, nullif(d.html_body, ''), d.attachments::jsonb,
                 nullif(d.notice_kind, '')
          from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                      $7::text[], $8::text[], $9::text[])
               with ordinality as d(
                   notice_key, job_id, channel, recipient, subject, body, html_body, attachments,
                   notice_kind, n)
          where charter.current_tenant() is not null
          order by d.n
          on conflict (tenant_id, notice_key) do nothing
          returning id
      )
      select coalesce(array_agg(id), '{}'), charter.current_tenant() is not null,
             count(*) = 0 or pg_notify($10, '') is null
      from inserted
      """, columns + [notificationChannel]
    ).rows[0]
    guard try row.decode(1, as: Bool.self) else { throw DeliveryError.noTenantContext }
    return try row.decode(0, as: [UUID].self)
  }

  /// The attachments column (JSON): the iCalendar invitation, if any.
  private static func attachments(of delivery: NewDelivery) throws -> String {
    guard let calendar = delivery.calendar else { return "[]" }
    let data = try JSONSerialization.data(
      withJSONObject: [
        [
          "content_type": "text/calendar; method=REQUEST", "filename": "invite.ics",
          "content": calendar,
        ]
      ], options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }
}

/// Left in a job's `deferredWrites` by a handler, a delivery is written with those of the other
/// jobs of its batch in one statement (`Outbox.enqueue(_:on:)` of a list).
extension NewDelivery: BatchedWrite {
  public static func write(_ rows: [NewDelivery], on connection: PostgresConnection) async throws {
    try await Outbox.enqueue(rows, on: connection)
  }
}
