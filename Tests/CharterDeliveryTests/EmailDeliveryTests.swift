import CharterDelivery
import CharterStore
import Foundation
import Testing

/// E-mail through a real SMTP server (aiosmtpd, Support/smtp_sink.py) on 127.0.0.1, parsed on
/// arrival by Python's email package.
@Suite(.serialized) struct EmailDeliveryTests {
  static let meetingStart = Date(timeIntervalSince1970: 1_767_250_800)  // 2026-01-01 15:00 +08:00

  @Test func aMeetingNoticeArrivesWithChineseSubjectBodiesMessageIDAndCalendar() async throws {
    try await DeliveryFixture.with { fixture in
      let sink = try Sink(script: "smtp_sink.py")
      try await sink.start()
      defer { sink.stop() }
      try await fixture.save(fixture.smtpSettings(port: sink.port))
      let rendered = NoticeTemplates.render(
        zh: NoticeTemplate(
          subject: "关于召开第三次理事会会议的通知", textBody: "各位理事：会议定于{{day}}召开，请准时出席。",
          htmlBody: "<p>各位理事：会议定于<b>{{day}}</b>召开。{{note}}</p>"),
        en: NoticeTemplate(
          subject: "Notice of the third council meeting", textBody: "The meeting is on {{day}}."),
        parameters: ["day": "2026年1月1日", "note": "<script>x</script>"])
      let invitation = try MeetingInvitation(
        uid: "meeting-3@aitisa.example", start: Self.meetingStart,
        end: Self.meetingStart.addingTimeInterval(7200), summary: "第三次理事会会议, 北京; 议程",
        location: "北京市海淀区中关村大街1号，会议室A", description: "议程：一、审议年度报告\n二、选举"
      )
      .rendered(stamp: Date())
      let id = try await fixture.enqueue(
        NewDelivery(
          noticeKey: "meeting/3/email/li@example.org",
          target: .email(try MailAddress("li@example.org")),
          rendered: rendered, noticeKind: "announcement", calendar: invitation))

      let round = try await fixture.sender().deliverDue()
      #expect(round.sent == 1)

      let records = try sink.records()
      try #require(records.count == 1)
      let mail = records[0]
      #expect(mail["subject"] as? String == "关于召开第三次理事会会议的通知 / Notice of the third council meeting")
      #expect(mail["message_id"] as? String == "<\(id.uuidString.lowercased())@aitisa.example>")
      #expect(mail["rcpt_tos"] as? [String] == ["li@example.org"])
      #expect((mail["from"] as? String)?.contains("联盟秘书处") == true)
      let text = try #require(mail["text"] as? String)
      #expect(text.contains("各位理事：会议定于2026年1月1日召开，请准时出席。"))
      #expect(text.range(of: "各位理事")!.lowerBound < text.range(of: "The meeting is on")!.lowerBound)
      let html = try #require(mail["html"] as? String)
      #expect(html.contains("<b>2026年1月1日</b>"))
      #expect(html.contains("&lt;script&gt;x&lt;/script&gt;"))
      #expect(!html.contains("<script>"))
      #expect(mail["bare_lf"] as? Bool == false)
      #expect((mail["defects"] as? [String])?.isEmpty == true)

      #expect((mail["calendar_type"] as? String)?.contains("method=REQUEST") == true)
      #expect((mail["calendar_longest_line_octets"] as? Int ?? 99) <= 75)
      let lines = try #require(mail["calendar_lines"] as? [String])
      #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
      #expect(lines.contains("UID:meeting-3@aitisa.example"))
      #expect(lines.contains("DTSTART;TZID=Asia/Shanghai:20260101T150000"))
      #expect(lines.contains("DTEND;TZID=Asia/Shanghai:20260101T170000"))
      #expect(lines.contains("TZID:Asia/Shanghai") && lines.contains("TZOFFSETTO:+0800"))
      #expect(lines.contains("SUMMARY:第三次理事会会议\\, 北京\\; 议程"))
      #expect(lines.contains("DESCRIPTION:议程：一、审议年度报告\\n二、选举"))
      #expect(lines.contains(where: { $0.hasPrefix("DTSTAMP:") && $0.hasSuffix("Z") }))

      let attempts = try await DeliveryAdministration(database: fixture.app).attempts(
        tenant: fixture.tenant, outboxID: id)
      #expect(attempts.map(\.outcome) == ["sent"])
      #expect(attempts.first?.reply.hasPrefix("250") == true)
      #expect(try await fixture.state(of: id) == "sent")
    }
  }

  /// RELIABILITY P7: CR/LF in a subject or display name never makes a header or a recipient.
  @Test func aSubjectWithCRLFCannotInjectAHeader() async throws {
    try await DeliveryFixture.with { fixture in
      let sink = try Sink(script: "smtp_sink.py")
      try await sink.start()
      defer { sink.stop() }
      var settings = fixture.smtpSettings(port: sink.port)
      settings.mailFromName = "秘书处\r\nBcc: name@evil.example"
      try await fixture.save(settings)
      try await fixture.enqueue(
        NewDelivery(
          noticeKey: "inject", target: .email(try MailAddress("li@example.org")),
          subject: "会议通知\r\nBcc: victim@evil.example\r\n\r\nforged body", textBody: "正文"))
      #expect(throws: DeliveryError.self) {
        try MailAddress("li@example.org\r\nBcc: x@evil.example")
      }

      #expect(try await fixture.sender().deliverDue().sent == 1)
      let records = try sink.records()
      try #require(records.count == 1)
      let names = (records[0]["header_names"] as? [String] ?? []).map { $0.lowercased() }
      #expect(!names.contains("bcc"))
      #expect(names.filter { $0 == "subject" }.count == 1)
      #expect(records[0]["rcpt_tos"] as? [String] == ["li@example.org"])
      #expect((records[0]["subject"] as? String)?.contains("Bcc: victim@evil.example") == true)
      #expect(records[0]["text"] as? String == "正文")
    }
  }

  /// Issue 6 "SMTP down, then up": attempts fail and are recorded; once the server is back each
  /// notice arrives exactly once, with the Message-ID it would have had the first time.
  @Test func smtpDownThenUpDeliversEachNoticeExactlyOnceLater() async throws {
    try await DeliveryFixture.with { fixture in
      let sink = try Sink(script: "smtp_sink.py")
      try await fixture.save(fixture.smtpSettings(port: sink.port))
      var ids: [UUID] = []
      for index in 0..<3 {
        ids.append(
          try await fixture.enqueue(
            NewDelivery(
              noticeKey: "reminder/\(index)",
              target: .email(try MailAddress("m\(index)@example.org")),
              subject: "提醒 \(index)", textBody: "第\(index)号提醒")))
      }
      let duplicate = try await fixture.app.withTenant(fixture.tenant) { connection in
        try await Outbox.enqueue(
          NewDelivery(
            noticeKey: "reminder/0", target: .email(try MailAddress("m0@example.org")),
            subject: "again", textBody: "again"), on: connection)
      }
      #expect(duplicate == .duplicate)

      let sender = try fixture.sender()
      let down = try await sender.deliverDue()
      #expect(down.retrying == 3 && down.sent == 0)
      // Not due yet: nothing is tried again before the backoff.
      #expect(try await sender.deliverDue().claimed == 0)

      try await sink.start()
      defer { sink.stop() }
      try await Task.sleep(for: .milliseconds(400))
      let up = try await sender.deliverDue()
      #expect(up.sent == 3)
      try await Task.sleep(for: .milliseconds(1200))
      #expect(try await sender.deliverDue().claimed == 0)

      let records = try sink.records()
      #expect(records.count == 3)
      let messageIDs = Set(records.compactMap { $0["message_id"] as? String })
      #expect(messageIDs == Set(ids.map { "<\($0.uuidString.lowercased())@aitisa.example>" }))
      let administration = DeliveryAdministration(database: fixture.app)
      for id in ids {
        let attempts = try await administration.attempts(tenant: fixture.tenant, outboxID: id)
        #expect(attempts.map(\.outcome) == ["retry", "sent"])
        #expect(attempts.first?.reply.isEmpty == false)
        #expect(try await fixture.state(of: id) == "sent")
      }
    }
  }

  /// RELIABILITY R12: a 5xx answer is final — dead at once, visible, never tried again.
  @Test func a5xxAnswerIsDeadAtOnceAndVisible() async throws {
    try await DeliveryFixture.with { fixture in
      let sink = try Sink(script: "smtp_sink.py", arguments: ["--reject"])
      try await sink.start()
      defer { sink.stop() }
      try await fixture.save(fixture.smtpSettings(port: sink.port))
      let id = try await fixture.enqueue(
        NewDelivery(
          noticeKey: "rejected", target: .email(try MailAddress("li@example.org")),
          subject: "通知", textBody: "正文"))
      let sender = try fixture.sender()
      #expect(try await sender.deliverDue().dead == 1)
      try await Task.sleep(for: .milliseconds(500))
      #expect(try await sender.deliverDue().claimed == 0)

      let administration = DeliveryAdministration(database: fixture.app)
      let dead = try await administration.dead(tenant: fixture.tenant)
      #expect(dead.map(\.id) == [id])
      #expect(dead.first?.lastError?.hasPrefix("554") == true)
      #expect(dead.first?.deadAt != nil)
      let attempts = try await administration.attempts(tenant: fixture.tenant, outboxID: id)
      #expect(attempts.map(\.outcome) == ["dead"])
      let audit = try await fixture.app.withTenant(fixture.tenant) { connection in
        try await connection.query(
          "select detail->>'outbox_id', detail->>'reply' from charter.audit_log where command = 'notice.dead'",
          []
        ).rows.map { [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)] }
      }
      #expect(audit.count == 1)
      #expect(audit.first?.first == id.uuidString.lowercased())
      #expect(audit.first?.last?.hasPrefix("554") == true)
    }
  }

  /// Retries stop when the next one would fall after the channel's lifetime.
  @Test func aDeliveryIsGivenUpWhenItsLifetimeRunsOut() async throws {
    try await DeliveryFixture.with { fixture in
      let port = try Sink.freePort()  // nobody listens
      try await fixture.save(fixture.smtpSettings(port: port))
      let id = try await fixture.enqueue(
        NewDelivery(
          noticeKey: "expires", target: .email(try MailAddress("li@example.org")),
          subject: "通知", textBody: "正文"))
      let sender = OutboxSender(
        database: fixture.app,
        configuration: OutboxSenderConfiguration(
          instanceID: "test-sender", lease: .seconds(60),
          retrySchedule: DeliveryRetrySchedule(
            firstDelay: .milliseconds(200), maximumDelay: .milliseconds(200), jitter: 0,
            emailLifetime: .milliseconds(500))),
        smtp: SMTPTransport(connectTimeout: .seconds(2)))
      var outcomes: [String] = []
      let deadline = ContinuousClock.now + .seconds(10)
      while ContinuousClock.now < deadline, try await fixture.state(of: id) != "dead" {
        _ = try await sender.deliverDue()
        try await Task.sleep(for: .milliseconds(100))
      }
      outcomes = try await DeliveryAdministration(database: fixture.app).attempts(
        tenant: fixture.tenant, outboxID: id
      ).map(\.outcome)
      #expect(try await fixture.state(of: id) == "dead")
      #expect(outcomes.count >= 2)
      #expect(outcomes.last == "dead")
      #expect(outcomes.dropLast().allSatisfy { $0 == "retry" })
    }
  }
}
