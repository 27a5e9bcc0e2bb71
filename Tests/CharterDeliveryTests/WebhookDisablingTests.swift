import CharterDelivery
import CharterPostgres
import CharterStore
import Foundation
import Testing

/// RELIABILITY R12: a webhook endpoint that keeps failing — retried across the whole webhook
/// lifetime (3 days 5 h by default), or answering 410 Gone — is disabled for the tenant: no
/// further request reaches it until it is enabled again, the audit log says so, and the
/// secretariat mailbox gets a notice, Chinese first. Real HTTP and SMTP sinks on 127.0.0.1;
/// the days pass by moving the delivery's creation time back, the database's own clock.
@Suite(.serialized) struct WebhookDisablingTests {
  static let secretariat = "secretariat@aitisa.example"

  /// Moves a delivery `age` into the past and makes it due now: as if that time had passed.
  static func age(_ fixture: DeliveryFixture, _ id: UUID, by age: String) async throws {
    try await fixture.app.withTenant(fixture.tenant) { connection in
      try await connection.query(
        """
        update charter.notice_outbox
        set created_at = now() - $2::interval, next_attempt_at = now() where id = $1
        """, [id, age])
    }
  }

  static func settings(_ fixture: DeliveryFixture) async throws -> DeliverySettings? {
    try await fixture.app.withTenant(fixture.tenant) { try await DeliverySettings.load(on: $0) }
  }

  static func audit(_ fixture: DeliveryFixture, command: String) async throws -> [String] {
    try await fixture.app.withTenant(fixture.tenant) { connection in
      try await connection.query(
        "select detail::text from charter.audit_log where command = $1 order by id", [command]
      ).rows.map { try $0.decode(0, as: String.self) }
    }
  }

  static func outbox(_ fixture: DeliveryFixture, kind: String) async throws -> [(String, String)] {
    try await fixture.app.withTenant(fixture.tenant) { connection in
      try await connection.query(
        "select recipient, state from charter.notice_outbox where notice_kind = $1", [kind]
      ).rows.map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) }
    }
  }

  @Test func anEndpointFailingForThreeDaysIsDisabledAndTheSecretariatIsToldByMail() async throws {
    try await DeliveryFixture.with { fixture in
      let hook = try Sink(script: "webhook_sink.py")
      try await hook.start()
      defer { hook.stop() }
      let mail = try Sink(script: "smtp_sink.py")
      try await mail.start()
      defer { mail.stop() }
      var settings = fixture.smtpSettings(port: mail.port)
      settings.webhookURL = "http://127.0.0.1:\(hook.port)/hooks/charter?token=abc"
      settings.secretariatEmail = Self.secretariat
      let signingKey = "whsec_" + Data("disabling-test-key-9931".utf8).base64EncodedString()
      settings.webhookSecret = Secret(signingKey)
      try await fixture.save(settings)
      try hook.setStatus(503)
      let failing = try await fixture.enqueue(
        NewDelivery(noticeKey: "review/9/webhook", target: .webhook, subject: "评审提醒", textBody: "x")
      )
      let sender = try fixture.sender()

      // Day 0 and day 2: retried, the endpoint still enabled.
      #expect(try await sender.deliverDue().retrying == 1)
      try await Self.age(fixture, failing, by: "2 days")
      #expect(try await sender.deliverDue().retrying == 1)
      #expect(try await Self.settings(fixture)?.webhookDisabled == nil)

      // Past the 3 days 5 hours lifetime: dead, and the endpoint disabled.
      try await Self.age(fixture, failing, by: "3 days 5 hours")
      #expect(try await sender.deliverDue().dead == 1)
      #expect(try hook.records().count == 3)
      let disabled = try #require(try await Self.settings(fixture)?.webhookDisabled)
      #expect(disabled.reason.hasPrefix("503"))
      let audit = try await Self.audit(fixture, command: "webhook.disabled")
      try #require(audit.count == 1)
      #expect(audit[0].contains(Self.secretariat))
      #expect(audit[0].contains("token=***") && !audit[0].contains("abc"))

      // The secretariat's mail: Chinese first, then English, naming the way back.
      #expect(
        try await Self.outbox(fixture, kind: "webhook_disabled").map(\.0) == [Self.secretariat])
      #expect(try await sender.deliverDue().sent == 1)
      let mails = try mail.records()
      try #require(mails.count == 1)
      #expect(mails[0]["rcpt_tos"] as? [String] == [Self.secretariat])
      let subject = try #require(mails[0]["subject"] as? String)
      #expect(subject.hasPrefix("Webhook 已停用") && subject.contains("/ Webhook disabled"))
      let text = try #require(mails[0]["text"] as? String)
      let chinese = try #require(text.range(of: "持续投递失败"))
      let english = try #require(text.range(of: "kept failing"))
      #expect(chinese.lowerBound < english.lowerBound)
      #expect(text.contains("DELIVERY ENABLE webhook") && text.contains("503"))
      #expect(!text.contains("abc"))

      // Later webhook notices are not attempted: dead at once with the reason, nothing sent.
      try hook.setStatus(200)
      let next = try await fixture.enqueue(
        NewDelivery(noticeKey: "review/10/webhook", target: .webhook, subject: "y", textBody: "z"))
      #expect(try await sender.deliverDue().dead == 1)
      #expect(try hook.records().count == 3)
      let attempts = try await DeliveryAdministration(database: fixture.app).attempts(
        tenant: fixture.tenant, outboxID: next)
      #expect(attempts.map(\.outcome) == ["dead"])
      #expect(attempts.first?.reply.contains("disabled") == true)
      // A disabled endpoint is disabled once: one audit row, one mail.
      #expect(try await Self.audit(fixture, command: "webhook.disabled").count == 1)
      #expect(try await Self.outbox(fixture, kind: "webhook_disabled").count == 1)

      // Enabled again by an administrator: the next notice reaches the endpoint.
      let ended = try await fixture.app.withTenant(fixture.tenant) {
        try await WebhookEndpoint.enable(on: $0)
      }
      #expect(ended?.reason == disabled.reason)
      try await fixture.enqueue(
        NewDelivery(noticeKey: "review/11/webhook", target: .webhook, subject: "y", textBody: "z"))
      #expect(try await sender.deliverDue().sent == 1)
      #expect(try hook.records().count == 4)

      // Neither the signing key nor the URL's token is in an attempt, the outbox or the audit.
      let recorded = try await fixture.app.withTenant(fixture.tenant) { connection in
        try await connection.query(
          """
          select coalesce(string_agg(reply, ' '), '') from charter.notice_attempts
          union all select coalesce(string_agg(subject || body || coalesce(last_error, ''), ' '), '')
                    from charter.notice_outbox
          union all select coalesce(string_agg(command || detail::text, ' '), '')
                    from charter.audit_log
          """, []
        ).rows.map { try $0.decode(0, as: String.self) }.joined()
      }
      #expect(recorded.contains("webhook endpoint was disabled"))
      #expect(!recorded.contains(signingKey) && !recorded.contains("token=abc"))
    }
  }

  @Test func http410DisablesAtOnceAndWithoutAMailboxOnlyTheAuditSaysSo() async throws {
    try await DeliveryFixture.with { fixture in
      let hook = try Sink(script: "webhook_sink.py")
      try await hook.start()
      defer { hook.stop() }
      try await fixture.save(DeliverySettings(webhookURL: "http://127.0.0.1:\(hook.port)/gone"))
      try hook.setStatus(410)
      try await fixture.enqueue(
        NewDelivery(noticeKey: "gone/1", target: .webhook, subject: "x", textBody: "y"))
      try await fixture.enqueue(
        NewDelivery(noticeKey: "gone/2", target: .webhook, subject: "x", textBody: "y"))
      let sender = try fixture.sender()
      let first = try await sender.deliverDue()
      #expect(first.dead == 2)
      // One request reached the endpoint, or two when both were in flight together; never more.
      let requests = try hook.records().count
      #expect(requests >= 1 && requests <= 2)
      #expect(try await Self.settings(fixture)?.webhookDisabled?.reason.hasPrefix("410") == true)
      let audit = try await Self.audit(fixture, command: "webhook.disabled")
      #expect(audit.count == 1)
      #expect(audit.first?.contains("no secretariat-email") == true)
      #expect(try await Self.outbox(fixture, kind: "webhook_disabled").isEmpty)
      try await fixture.enqueue(
        NewDelivery(noticeKey: "gone/3", target: .webhook, subject: "x", textBody: "y"))
      #expect(try await sender.deliverDue().dead == 1)
      #expect(try hook.records().count == requests)
    }
  }

  /// A refusal by the SSRF guard is the tenant's configuration, not a failing endpoint; a URL
  /// changed while a delivery was in flight is not the one that failed.
  @Test func aRefusedTargetOrAChangedURLIsNotDisabled() async throws {
    try await DeliveryFixture.with { fixture in
      try await fixture.save(DeliverySettings(webhookURL: "http://127.0.0.1:9/hook"))
      try await fixture.enqueue(
        NewDelivery(noticeKey: "ssrf/1", target: .webhook, subject: "x", textBody: "y"))
      #expect(try await fixture.sender(allowLoopbackWebhooks: false).deliverDue().dead == 1)
      #expect(try await Self.settings(fixture)?.webhookDisabled == nil)
      let disabledOther = try await fixture.app.withTenant(fixture.tenant) {
        try await WebhookEndpoint.disable(
          url: "http://127.0.0.1:9/old", reason: "410 Gone", on: $0)
      }
      #expect(!disabledOther)
      #expect(try await Self.settings(fixture)?.webhookDisabled == nil)
      #expect(try await Self.audit(fixture, command: "webhook.disabled").isEmpty)
    }
  }

  /// The default schedule retries a webhook for at least 3 days before giving up (R12): the
  /// attempt times without jitter, and the worst case with it (the last attempt falls at most
  /// one maximum delay, stretched by the jitter, before the lifetime ends).
  @Test func theDefaultScheduleRetriesWebhooksForAtLeastThreeDays() {
    let defaults = DeliveryRetrySchedule()
    let worstLast =
      defaults.lifetimeSeconds(channel: "webhook") - 4 * 3600 * (1 + defaults.jitter)
    #expect(worstLast >= 3 * 86_400)
    let schedule = DeliveryRetrySchedule(jitter: 0)
    let lifetime = schedule.lifetimeSeconds(channel: "webhook")
    var elapsed = 0.0
    var attempt = 1
    var lastAttempt = 0.0
    while elapsed + schedule.delaySeconds(afterAttempt: attempt) <= lifetime {
      elapsed += schedule.delaySeconds(afterAttempt: attempt)
      lastAttempt = elapsed
      attempt += 1
    }
    #expect(lastAttempt >= 3 * 86_400)
    #expect(attempt >= 10)
  }
}
