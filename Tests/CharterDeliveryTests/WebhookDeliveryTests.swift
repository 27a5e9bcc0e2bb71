import CharterCrypto
import CharterDelivery
import CharterStore
import Foundation
import Testing

/// Webhooks to a local HTTP server (Support/webhook_sink.py). The sink runs on 127.0.0.1, so
/// these tests allow 127.0.0.1/32 explicitly, as an operator would; one test proves the
/// refusal without that allowance (RELIABILITY S8).
@Suite(.serialized) struct WebhookDeliveryTests {
  @Test func aGenericWebhookCarriesAStableIDAndAVerifiableStandardWebhooksSignature() async throws {
    try await DeliveryFixture.with { fixture in
      let sink = try Sink(script: "webhook_sink.py")
      try await sink.start()
      defer { sink.stop() }
      let key = Array("test-signing-key-不要泄露".utf8)
      let secret = "whsec_" + Data(key).base64EncodedString()
      try await fixture.save(
        DeliverySettings(
          webhookURL: "http://127.0.0.1:\(sink.port)/hooks/charter", webhookSecret: Secret(secret)))
      let id = try await fixture.enqueue(
        NewDelivery(
          noticeKey: "review/7/webhook", target: .webhook, subject: "评审提醒",
          textBody: "请于第10个工作日前完成评审。", noticeKind: "reminder"))

      #expect(try await fixture.sender().deliverDue().sent == 1)
      let records = try sink.records()
      try #require(records.count == 1)
      let headers = try #require(records[0]["headers"] as? [String: String])
      let body = try #require(records[0]["body"] as? String)
      let webhookID = try #require(headers["webhook-id"])
      let timestamp = try #require(headers["webhook-timestamp"])
      #expect(webhookID == id.uuidString.lowercased())
      #expect(abs((Double(timestamp) ?? 0) - Date().timeIntervalSince1970) < 60)
      let expected =
        "v1,"
        + Data(
          try Digest.hmacSHA256(key: key, message: Array("\(webhookID).\(timestamp).\(body)".utf8))
        ).base64EncodedString()
      #expect(headers["webhook-signature"] == expected)
      let json = try #require(
        try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
      #expect(json["subject"] as? String == "评审提醒")
      #expect(json["id"] as? String == webhookID)
      #expect(json["kind"] as? String == "reminder")
    }
  }

  @Test func dingTalkAndWeComRobotsGetTheirOwnFormats() async throws {
    try await DeliveryFixture.with { fixture in
      let sink = try Sink(script: "webhook_sink.py")
      try await sink.start()
      defer { sink.stop() }
      let secret = "SECabc123"
      try await fixture.save(
        DeliverySettings(
          dingTalkURL: "http://127.0.0.1:\(sink.port)/robot/send?access_token=tok",
          dingTalkSecret: Secret(secret),
          weComURL: "http://127.0.0.1:\(sink.port)/cgi-bin/webhook/send?key=k"))
      try await fixture.enqueue(
        NewDelivery(noticeKey: "n/ding", target: .dingTalk, subject: "会议通知", textBody: "明天开会"))
      try await fixture.enqueue(
        NewDelivery(noticeKey: "n/wecom", target: .weCom, subject: "会议通知", textBody: "明天开会"))
      #expect(try await fixture.sender().deliverDue().sent == 2)

      let records = try sink.records()
      try #require(records.count == 2)
      let ding = try #require(
        records.first { ($0["path"] as? String)?.hasPrefix("/robot/send") == true })
      let path = try #require(ding["path"] as? String)
      let query = try #require(URLComponents(string: "http://x" + path)?.queryItems)
      let timestamp = try #require(query.first { $0.name == "timestamp" }?.value)
      let sign = try #require(query.first { $0.name == "sign" }?.value)
      #expect(query.first { $0.name == "access_token" }?.value == "tok")
      let expectedSign = Data(
        try Digest.hmacSHA256(
          key: Array(secret.utf8), message: Array("\(timestamp)\n\(secret)".utf8))
      ).base64EncodedString()
      #expect(sign == expectedSign)
      #expect(path.contains("sign=") && !path.contains("+"), "sign must be URL-encoded")
      let dingBody = try #require(
        try JSONSerialization.jsonObject(with: Data((ding["body"] as? String ?? "").utf8))
          as? [String: Any])
      #expect(dingBody["msgtype"] as? String == "markdown")
      #expect((dingBody["markdown"] as? [String: Any])?["title"] as? String == "会议通知")

      let wecom = try #require(
        records.first { ($0["path"] as? String)?.hasPrefix("/cgi-bin/webhook/send") == true })
      let wecomBody = try #require(
        try JSONSerialization.jsonObject(with: Data((wecom["body"] as? String ?? "").utf8))
          as? [String: Any])
      #expect(wecomBody["msgtype"] as? String == "markdown")
      #expect(
        ((wecomBody["markdown"] as? [String: Any])?["content"] as? String)?.contains("明天开会")
          == true)
    }
  }

  /// RELIABILITY S8: without the operator's allowance, a webhook to 127.0.0.1 never leaves.
  @Test func aLoopbackTargetIsRefusedWithoutTheOperatorsAllowance() async throws {
    try await DeliveryFixture.with { fixture in
      let sink = try Sink(script: "webhook_sink.py")
      try await sink.start()
      defer { sink.stop() }
      try await fixture.save(
        DeliverySettings(
          webhookURL: "http://127.0.0.1:\(sink.port)/hook", webhookSecret: Secret("s")))
      let id = try await fixture.enqueue(
        NewDelivery(noticeKey: "ssrf", target: .webhook, subject: "x", textBody: "y"))
      #expect(try await fixture.sender(allowLoopbackWebhooks: false).deliverDue().dead == 1)
      #expect(try sink.records().isEmpty)
      let attempts = try await DeliveryAdministration(database: fixture.app).attempts(
        tenant: fixture.tenant, outboxID: id)
      #expect(attempts.count == 1)
      #expect(attempts.first?.reply.contains("refused") == true)
      #expect(attempts.first?.reply.contains("127.0.0.1") == true)
    }
  }

  /// Standard Webhooks: 410 Gone means the endpoint is gone: dead, no further attempts.
  @Test func http410IsDeadAtOnceAnd503IsRetried() async throws {
    try await DeliveryFixture.with { fixture in
      let sink = try Sink(script: "webhook_sink.py")
      try await sink.start()
      defer { sink.stop() }
      try await fixture.save(DeliverySettings(webhookURL: "http://127.0.0.1:\(sink.port)/hook"))
      try sink.setStatus(503)
      let id = try await fixture.enqueue(
        NewDelivery(noticeKey: "gone", target: .webhook, subject: "x", textBody: "y"))
      let sender = try fixture.sender()
      #expect(try await sender.deliverDue().retrying == 1)
      try sink.setStatus(410)
      try await Task.sleep(for: .milliseconds(400))
      #expect(try await sender.deliverDue().dead == 1)
      try await Task.sleep(for: .milliseconds(1200))
      #expect(try await sender.deliverDue().claimed == 0)
      #expect(try sink.records().count == 2)
      let attempts = try await DeliveryAdministration(database: fixture.app).attempts(
        tenant: fixture.tenant, outboxID: id)
      #expect(attempts.map(\.outcome) == ["retry", "dead"])
      #expect(attempts.map { $0.reply.prefix(3) } == ["503", "410"])
    }
  }

  /// RELIABILITY S8 "redirects to them": a redirect is a failed attempt, never followed.
  @Test func aRedirectIsNotFollowed() async throws {
    try await DeliveryFixture.with { fixture in
      let sink = try Sink(script: "webhook_sink.py")
      try await sink.start()
      defer { sink.stop() }
      try await fixture.save(DeliverySettings(webhookURL: "http://127.0.0.1:\(sink.port)/hook"))
      try sink.setStatus(302)
      let id = try await fixture.enqueue(
        NewDelivery(noticeKey: "redirect", target: .webhook, subject: "x", textBody: "y"))
      #expect(try await fixture.sender().deliverDue().retrying == 1)
      let paths = try sink.records().compactMap { $0["path"] as? String }
      #expect(paths == ["/hook"])
      #expect(try await fixture.state(of: id) == "pending")
    }
  }
}
