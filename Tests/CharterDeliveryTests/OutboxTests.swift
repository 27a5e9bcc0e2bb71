import CharterDelivery
import CharterPostgres
import CharterStore
import Foundation
import Testing

/// The outbox itself: transactional writes, tenant templates, the cross-tenant claim.
@Suite struct OutboxTests {
  struct Rollback: Error {}

  /// A delivery written in a transaction that rolls back (an event or job that failed) does
  /// not exist; outside a tenant transaction nothing can be written.
  @Test func aRolledBackEventLeavesNoDelivery() async throws {
    try await DeliveryFixture.with { fixture in
      await #expect(throws: Rollback.self) {
        try await fixture.app.withTenant(fixture.tenant) { connection in
          _ = try await Outbox.enqueue(
            NewDelivery(noticeKey: "rolled-back", target: .webhook, subject: "x", textBody: "y"),
            on: connection)
          throw Rollback()
        }
      }
      let entries = try await DeliveryAdministration(database: fixture.app).list(
        tenant: fixture.tenant)
      #expect(entries.isEmpty)
      await #expect(throws: DeliveryError.noTenantContext) {
        try await fixture.app.pool.withConnection { connection in
          _ = try await Outbox.enqueue(
            NewDelivery(noticeKey: "no-tenant", target: .webhook, subject: "x", textBody: "y"),
            on: connection)
        }
      }
    }
  }

  /// A list (a batch of jobs' deferred deliveries) is one statement: keys already written,
  /// and a key repeated in the list, are skipped (the first of the list wins); absent parts
  /// stay NULL; the invitation is attached; outside a tenant nothing is written.
  @Test func aListOfDeliveriesIsWrittenOnceEachInOneStatement() async throws {
    try await DeliveryFixture.with { fixture in
      let invitation = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
      let written = try await fixture.app.withTenant(fixture.tenant) { connection in
        _ = try await Outbox.enqueue(
          NewDelivery(noticeKey: "k1", target: .webhook, subject: "first", textBody: "x"),
          on: connection)
        return try await Outbox.enqueue(
          [
            NewDelivery(noticeKey: "k1", target: .webhook, subject: "again", textBody: "x"),
            NewDelivery(
              noticeKey: "k2", target: .email(try MailAddress("secretariat@example.org")),
              subject: "会议通知 / Meeting notice", textBody: "正文", htmlBody: "<p>正文</p>",
              noticeKind: "meeting_notice", calendar: invitation),
            NewDelivery(noticeKey: "k2", target: .webhook, subject: "later", textBody: "y"),
            NewDelivery(noticeKey: "k3", target: .webhook, subject: "third", textBody: "z"),
          ], on: connection)
      }
      #expect(written.count == 2)
      let rows = try await fixture.database.withConnection(as: .superuser) { connection in
        try await connection.query(
          """
          select notice_key, subject, channel, recipient, html_body, notice_kind,
                 attachments -> 0 ->> 'content', job_id is null
          from charter.notice_outbox order by notice_key
          """, []
        ).rows.map { row in
          try (0..<7).map { try row.decode($0, as: String?.self) ?? "NULL" }
            + [String(try row.decode(7, as: Bool.self))]
        }
      }
      #expect(
        rows == [
          ["k1", "first", "webhook", "tenant-settings", "NULL", "NULL", "NULL", "true"],
          [
            "k2", "会议通知 / Meeting notice", "email", "secretariat@example.org", "<p>正文</p>",
            "meeting_notice", invitation, "true",
          ],
          ["k3", "third", "webhook", "tenant-settings", "NULL", "NULL", "NULL", "true"],
        ])
      await #expect(throws: DeliveryError.noTenantContext) {
        try await fixture.app.pool.withConnection { connection in
          try await Outbox.enqueue(
            [NewDelivery(noticeKey: "no-tenant", target: .webhook, subject: "x", textBody: "y")],
            on: connection)
        }
      }
    }
  }

  @Test func aTenantsTemplateOverridesTheBuiltInOne() async throws {
    try await DeliveryFixture.with { fixture in
      let rendered = try await fixture.app.withTenant(fixture.tenant) { connection in
        try await connection.query(
          """
          insert into charter.notice_templates (tenant_id, notice_kind, locale, subject, text_body)
          values (charter.current_tenant(), 'reminder', 'zh-CN', '【秘书处提醒】{{summary_zh}}',
                  '尊敬的会员：{{summary_zh}}')
          """, [])
        return try await NoticeTemplates.render(
          kind: "reminder",
          parameters: [
            "summary_zh": "请提交年度报告", "summary_en": "Please file the annual report",
            "article": "AITISA art. 12",
          ], on: connection)
      }
      #expect(rendered.subject == "【秘书处提醒】请提交年度报告 / [Reminder] Please file the annual report")
      #expect(rendered.textBody.hasPrefix("尊敬的会员：请提交年度报告"))
      #expect(rendered.textBody.contains("Under: AITISA art. 12"))
    }
  }

  /// The claim crosses tenants but returns ids only; two senders draining at once send each
  /// delivery once.
  @Test func twoSendersDeliverEachNoticeOnce() async throws {
    try await DeliveryFixture.with { fixture in
      let columns = try await fixture.app.pool.withConnection { connection in
        try await connection.query(
          "select * from charter.claim_due_notices('probe', interval '1 minute', 1)", []
        ).columnNames
      }
      #expect(columns == ["tenant_id", "outbox_id", "channel", "attempt", "lease_token"])

      let sink = try Sink(script: "webhook_sink.py")
      try await sink.start()
      defer { sink.stop() }
      try await fixture.save(DeliverySettings(webhookURL: "http://127.0.0.1:\(sink.port)/h"))
      var ids: Set<String> = []
      for index in 0..<40 {
        let id = try await fixture.enqueue(
          NewDelivery(
            noticeKey: "n/\(index)", target: .webhook, subject: "通知", textBody: "\(index)"))
        ids.insert(id.uuidString.lowercased())
      }
      let first = try fixture.sender()
      let second = try fixture.sender()
      async let a = first.deliverDue()
      async let b = second.deliverDue()
      let (roundA, roundB) = try await (a, b)
      #expect(roundA.sent + roundB.sent == 40)
      let received = try sink.records().compactMap {
        ($0["headers"] as? [String: String])?["webhook-id"]
      }
      #expect(received.count == 40)
      #expect(Set(received) == ids)
    }
  }

  /// A sender that claimed a delivery and died: once its lease expires the delivery is rescued
  /// and sent from the same row, so with the Message-ID it would have had (RELIABILITY R13).
  @Test func aCrashedSendersDeliveryIsRescuedAndSentWithItsMessageID() async throws {
    try await DeliveryFixture.with { fixture in
      let sink = try Sink(script: "smtp_sink.py")
      try await sink.start()
      defer { sink.stop() }
      try await fixture.save(fixture.smtpSettings(port: sink.port))
      let id = try await fixture.enqueue(
        NewDelivery(
          noticeKey: "crash", target: .email(try MailAddress("li@example.org")),
          subject: "通知", textBody: "正文"))
      let claimed = try await fixture.app.pool.withConnection { connection in
        try await connection.query(
          "select outbox_id from charter.claim_due_notices('crashed', interval '10 minutes', 10)",
          []
        ).rows.map { try $0.decode(0, as: UUID.self) }
      }
      #expect(claimed == [id])
      let sender = try fixture.sender()
      #expect(try await sender.deliverDue().claimed == 0)
      // The crashed sender's lease runs out (moved to the past rather than waited for, so a
      // slow machine cannot expire it before the check above).
      try await fixture.app.withTenant(fixture.tenant) { connection in
        try await connection.query(
          "update charter.notice_outbox set lease_expires_at = now() - interval '1 second' where id = $1",
          [id])
      }
      let round = try await sender.deliverDue()
      #expect(round.rescued == 1 && round.sent == 1)
      let records = try sink.records()
      #expect(
        records.map { $0["message_id"] as? String } == [
          "<\(id.uuidString.lowercased())@aitisa.example>"
        ])
      let attempts = try await DeliveryAdministration(database: fixture.app).attempts(
        tenant: fixture.tenant, outboxID: id)
      #expect(attempts.map(\.attempt) == [2])
    }
  }
}

/// `OutboxSender.run()`, the daemon's loop: a delivery written while it runs goes out within
/// the poll interval, and cancelling the task stops it.
@Test func theRunLoopDeliversWhatIsWrittenWhileItRuns() async throws {
  try await DeliveryFixture.with { fixture in
    let sink = try Sink(script: "webhook_sink.py")
    try await sink.start()
    defer { sink.stop() }
    try await fixture.save(DeliverySettings(webhookURL: "http://127.0.0.1:\(sink.port)/h"))
    let sender = OutboxSender(
      database: fixture.app,
      configuration: OutboxSenderConfiguration(
        instanceID: "loop", lease: .seconds(60), pollInterval: .milliseconds(200)),
      webhooks: WebhookTransport(
        guardrail: WebhookTargetGuard(allowedNetworks: [try IPNetwork("127.0.0.1/32")])))
    let loop = Task { await sender.run() }
    try await Task.sleep(for: .milliseconds(300))
    let id = try await fixture.enqueue(
      NewDelivery(noticeKey: "loop", target: .webhook, subject: "通知", textBody: "正文"))
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline, try await fixture.state(of: id) != "sent" {
      try await Task.sleep(for: .milliseconds(100))
    }
    loop.cancel()
    await loop.value
    #expect(try await fixture.state(of: id) == "sent")
    #expect(try sink.records().count == 1)
  }
}
