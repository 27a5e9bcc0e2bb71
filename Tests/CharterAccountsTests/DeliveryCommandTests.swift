import CharterDelivery
import CharterPostgres
import CharterScheduler
import CharterStore
import Foundation
import Testing

@testable import CharterAccounts

/// DELIVERY and TEMPLATE commands (issue 6 §3) through the protocol's own session on a real
/// PostgreSQL: what the secretariat sets and sees, that no secret value reaches a reply, the
/// audit log or a log line, that webhook URLs pass the SSRF guard at SET time (RELIABILITY
/// S8), and that a disabled webhook endpoint (R12) is enabled again by an administrator.
@Suite struct DeliveryCommandTests {
  static let rows = JobCommandTests.rows
  static let field = JobCommandTests.field

  static func column(_ harness: AccountsHarness, _ tenant: TenantID, _ name: String) async throws
    -> String?
  {
    try await harness.database.withTenant(tenant) { connection in
      try await connection.query(
        "select \(name) from charter.delivery_settings where tenant_id = charter.current_tenant()",
        []
      ).rows.first?.decode(0, as: String?.self)
    }
  }

  static func login(
    _ harness: AccountsHarness, _ name: String = "sec", role: String = "secretariat"
  )
    async throws -> (TestSession, TenantID)
  {
    let alpha = try await harness.seedTenant("alpha")
    try await harness.seedAdministrator(name, in: alpha, role: role, password: "alpha passphrase")
    let session = harness.session()
    #expect(await session.status(#"LOGIN \#(name)@alpha "alpha passphrase""#).hasPrefix("OK"))
    return (session, alpha)
  }

  @Test func theSecretariatSetsAndShowsSettingsAndNoSecretReachesRepliesAuditOrLog() async throws {
    try await AccountsHarness.with(allowLoopbackWebhooks: true) { harness in
      let (session, alpha) = try await Self.login(harness)
      try await harness.seedAdministrator(
        "reader", in: alpha, role: "viewer", password: "viewer passphrase")
      let password = "smtp-pass-壹贰叁-9f3"
      let webhookSecret = "whsec_c2VjcmV0LWtleS0xMjM="
      let dingSecret = "SECding-77aa"
      let dingToken = "ding-token-8866"
      let wecomKey = "wecom-key-4455"
      let later = "later-pass-5566"
      let viewerTry = "viewer-pass-7788"
      let secrets = [password, webhookSecret, dingSecret, dingToken, wecomKey, later, viewerTry]
      var replies: [String] = []
      func send(_ s: TestSession, _ line: String) async -> String {
        let reply = await s.send(line)
        replies.append(reply)
        return reply
      }

      let set = await send(
        session,
        "DELIVERY SET smtp=smtp://mail.aitisa.example:587 smtp-user=bot smtp-password=\(password) "
          + "from=secretariat@aitisa.example from-name=联盟秘书处 message-id-domain=aitisa.example "
          + "webhook=http://127.0.0.1:8080/hook webhook-secret=\(webhookSecret) "
          + "dingtalk=\"http://127.0.0.1:8080/robot/send?access_token=\(dingToken)\" "
          + "dingtalk-secret=\(dingSecret) "
          + "wecom=\"http://127.0.0.1:8080/cgi-bin/webhook/send?key=\(wecomKey)\" "
          + "secretariat-email=secretariat@aitisa.example chairs-office-email=chair@aitisa.example")
      #expect(
        set
          == "OK delivery settings of alpha changed: smtp, smtp-user, smtp-password, from, "
          + "from-name, message-id-domain, webhook, webhook-secret, dingtalk, dingtalk-secret, "
          + "wecom, secretariat-email, chairs-office-email\n")

      let shown = await send(session, "DELIVERY SHOW")
      #expect(Self.field(shown, "smtp") == "smtp://mail.aitisa.example:587")
      #expect(Self.field(shown, "smtp-user") == "bot")
      #expect(Self.field(shown, "smtp-password") == "set")
      #expect(Self.field(shown, "security") == "starttls")
      #expect(Self.field(shown, "from-name") == "联盟秘书处")
      #expect(Self.field(shown, "webhook-secret") == "set")
      #expect(Self.field(shown, "webhook-state") == "enabled")
      #expect(
        Self.field(shown, "dingtalk") == "http://127.0.0.1:8080/robot/send?access_token=***")
      #expect(Self.field(shown, "dingtalk-secret") == "set")
      #expect(Self.field(shown, "wecom") == "http://127.0.0.1:8080/cgi-bin/webhook/send?key=***")
      #expect(Self.field(shown, "secretariat-email") == "secretariat@aitisa.example")
      #expect(Self.field(shown, "chairs-office-email") == "chair@aitisa.example")
      // Stored for the sender, as given.
      #expect(try await Self.column(harness, alpha, "smtp_password") == password)
      #expect(try await Self.column(harness, alpha, "wecom_url")?.hasSuffix(wecomKey) == true)
      #expect(
        try await Self.column(harness, alpha, "secretariat_email") == "secretariat@aitisa.example")

      // One bad value refuses the whole command: the password given with it is not saved.
      #expect(
        await send(session, "DELIVERY SET smtp-password=\(later) from=not-an-address")
          == "ERR BAD_ARGUMENTS from= is not a mail address\n")
      #expect(try await Self.column(harness, alpha, "smtp_password") == password)
      #expect(
        await send(session, "DELIVERY SET smtp=\"smtp://bot:\(later)@mail.aitisa.example\"")
          .hasPrefix("ERR BAD_ARGUMENTS smtp= must not hold a login"))
      #expect(await send(session, "DELIVERY SET").hasPrefix("ERR BAD_ARGUMENTS nothing to set"))
      // A viewer is refused before any handler: only the command's name is audited.
      let viewer = harness.session()
      #expect(await viewer.status(#"LOGIN reader@alpha "viewer passphrase""#).hasPrefix("OK"))
      #expect(
        await send(viewer, "DELIVERY SET smtp-password=\(viewerTry)").hasPrefix("ERR FORBIDDEN"))
      #expect(await send(viewer, "DELIVERY SHOW").hasPrefix("ERR FORBIDDEN"))
      // HELP says which arguments are secret.
      let help = await send(session, "HELP DELIVERY SET")
      #expect(help.contains("smtp-password: optional, text, secret (never logged)"))
      #expect(help.contains("wecom: optional, text, secret (never logged)"))

      // Clearing a secret: unset in the listing, NULL in the table.
      #expect(await send(session, "DELIVERY SET webhook-secret=\"\"").hasPrefix("OK"))
      #expect(Self.field(await send(session, "DELIVERY SHOW"), "webhook-secret") == "unset")
      #expect(try await Self.column(harness, alpha, "webhook_secret") == nil)

      let audit = try await harness.tenantAudit(alpha)
      let sets = audit.filter { $0.command.hasPrefix("DELIVERY SET") }
      #expect(
        sets.map(\.outcome) == ["succeeded", "failed", "failed", "failed", "refused", "succeeded"])
      #expect(sets[0].command.contains("smtp-password=***"))
      #expect(sets[2].command.contains(#"smtp="smtp://mail.aitisa.example""#))
      #expect(sets[0].command.contains("wecom=***") && sets[0].command.contains("dingtalk=***"))
      #expect(sets[0].detail.contains("key=***") && sets[0].detail.contains("access_token=***"))
      let everything =
        replies.joined() + audit.map { $0.command + $0.detail }.joined()
        + (try await harness.installationAudit()).map { $0.command + $0.detail }.joined()
        + harness.logLines.all.joined()
      for secret in secrets {
        #expect(!everything.contains(secret), "a secret leaked: \(secret.prefix(4))…")
      }
    }
  }

  /// RELIABILITY S8 at SET time: loopback, link-local and private targets are refused unless
  /// the operator allowed them; only http(s) without user info.
  @Test func webhookURLsPassTheTargetGuardWhenTheyAreSet() async throws {
    try await AccountsHarness.with { harness in
      let (session, alpha) = try await Self.login(harness)
      let loopback = await session.send("DELIVERY SET webhook=http://127.0.0.1:8080/hook")
      #expect(
        loopback
          == "ERR FORBIDDEN webhook= refused: 127.0.0.1 resolves to 127.0.0.1, a non-public "
          + "address the operator has not allowed\n")
      #expect(
        await session.send(
          "DELIVERY SET dingtalk=\"http://169.254.169.254/robot/send?access_token=t\""
        ).hasPrefix("ERR FORBIDDEN dingtalk= refused: 169.254.169.254"))
      #expect(
        await session.send("DELIVERY SET wecom=http://10.1.2.3/send").hasPrefix(
          "ERR FORBIDDEN wecom= refused"))
      #expect(
        await session.send("DELIVERY SET webhook=ftp://203.0.113.10/x").hasPrefix(
          "ERR BAD_ARGUMENTS webhook= invalid value"))
      #expect(
        await session.send("DELIVERY SET webhook=http://user:pw@203.0.113.10/x").hasPrefix(
          "ERR BAD_ARGUMENTS webhook= invalid value"))
      #expect(try await Self.column(harness, alpha, "webhook_url") == nil)
      // A public address passes.
      #expect(
        await session.status("DELIVERY SET webhook=https://203.0.113.10/hooks/charter")
          == "OK delivery settings of alpha changed: webhook")
      #expect(
        Self.field(await session.send("DELIVERY SHOW"), "webhook")
          == "https://203.0.113.10/hooks/charter")
      let refused = try await harness.tenantAudit(alpha).filter {
        $0.command.hasPrefix("DELIVERY SET") && $0.outcome == "refused"
      }
      #expect(refused.count == 3)
    }
  }

  @Test func deliveryTestQueuesATestNoticeThroughTheOutbox() async throws {
    try await AccountsHarness.with(allowLoopbackWebhooks: true) { harness in
      let (session, alpha) = try await Self.login(harness)
      #expect(
        await session.send("DELIVERY TEST email")
          == "ERR CONFLICT email is not configured: DELIVERY SET smtp=… from=… first\n")
      #expect(
        await session.status(
          "DELIVERY SET smtp=smtp://127.0.0.1:2525 security=none from=secretariat@aitisa.example"
        )
        .hasPrefix("OK"))
      #expect(await session.send("DELIVERY TEST email").hasPrefix("ERR CONFLICT no recipient"))
      #expect(
        await session.status("DELIVERY SET secretariat-email=secretariat@aitisa.example")
          .hasPrefix("OK"))
      let queued = await session.status("DELIVERY TEST email")
      #expect(queued.hasPrefix("OK test notice "))
      #expect(
        queued.hasSuffix(" queued for secretariat@aitisa.example; NOTICES LIST shows how it went"))
      #expect(
        await session.status("DELIVERY TEST email to=chair@aitisa.example").hasSuffix(
          "queued for chair@aitisa.example; NOTICES LIST shows how it went"))
      #expect(
        await session.send("DELIVERY TEST webhook to=x@aitisa.example")
          == "ERR BAD_ARGUMENTS to= applies to the email channel only\n")
      #expect(
        await session.send("DELIVERY TEST webhook")
          == "ERR CONFLICT webhook is not configured: DELIVERY SET webhook=… first\n")
      #expect(await session.status("DELIVERY SET webhook=http://127.0.0.1:9/hook").hasPrefix("OK"))
      #expect(
        await session.status("DELIVERY TEST webhook").hasSuffix(
          "queued for webhook; NOTICES LIST shows how it went"))

      // The tenant's own wording applies to the test notice too, Chinese first.
      #expect(
        await session.status(
          "TEMPLATE SET delivery_test zh-CN subject=\"测试：{{tenant}} 频道 {{channel}}\""
        )
        .hasPrefix("OK"))
      #expect(await session.status("DELIVERY TEST email").hasPrefix("OK"))

      let list = await session.send("NOTICES LIST")
      let notices = Self.rows(list)
      #expect(notices.count == 4)
      #expect(notices.allSatisfy { $0[5] == "pending" })
      #expect(Set(notices.map(\.[2])) == ["email", "webhook"])
      #expect(notices[0][4].hasPrefix("测试：alpha 频道 email / Test notice: alpha"))
      #expect(notices[1][4].hasPrefix("测试通知：alpha / Test notice: alpha"))
      let bodies = try await harness.database.withTenant(alpha) { connection in
        try await connection.query(
          "select body from charter.notice_outbox where notice_kind = 'delivery_test'", []
        ).rows.map { try $0.decode(0, as: String.self) }
      }
      #expect(bodies.count == 4)
      #expect(bodies.allSatisfy { $0.contains("测试通知") || $0.contains("频道") })
      #expect(
        bodies.allSatisfy {
          ($0.range(of: "sec")?.lowerBound ?? $0.endIndex)
            < ($0.range(of: "This is a test notice")?.lowerBound ?? $0.startIndex)
        })
      let tests = try await harness.tenantAudit(alpha).filter {
        $0.command.hasPrefix("DELIVERY TEST") && $0.outcome == "succeeded"
      }
      #expect(tests.count == 4)
      #expect(tests.allSatisfy { $0.detail.contains("outbox_id") })
    }
  }

  @Test func templatesAreListedShownOverriddenAndReset() async throws {
    try await AccountsHarness.with { harness in
      let (session, alpha) = try await Self.login(harness)
      let beta = try await harness.seedTenant("beta")
      try await harness.seedAdministrator("sec", in: beta, password: "beta passphrase")

      let list = await session.send("TEMPLATE LIST")
      #expect(list.hasPrefix("# kind\tlocale\tsource\tupdated\tsubject\n"))
      let builtIns = NoticeTemplates.kinds.count * 2
      #expect(Self.rows(list).count == builtIns)
      #expect(Self.rows(list).allSatisfy { $0[2] == "built-in" })
      #expect(list.hasSuffix("OK \(builtIns) templates, 0 of them the tenant's own\n"))

      #expect(
        await session.send(
          #"TEMPLATE SET reminder zh-CN subject="【提醒】{{summary_zh}}（秘书处）" body="请注意：{{summary_zh}}\n依据：{{article}}""#
        ) == "OK template reminder zh-CN of alpha saved\n")
      let shown = await session.send("TEMPLATE SHOW reminder")
      let rows = Self.rows(shown)
      #expect(rows.map { [$0[0], $0[1]] } == [["zh-CN", "tenant"], ["en", "built-in"]])
      #expect(rows[0][2] == "【提醒】{{summary_zh}}（秘书处）")
      #expect(rows[0][3] == #"请注意：{{summary_zh}}\n依据：{{article}}"#)
      #expect(rows[1][2] == "[Reminder] {{summary_en}}")
      #expect(shown.hasSuffix("OK reminder\n"))
      // Only the subject changes; the body stays the tenant's.
      #expect(
        await session.status("TEMPLATE SET reminder zh-CN subject=\"【提醒】{{summary_zh}}\"")
          .hasPrefix("OK"))
      #expect(Self.rows(await session.send("TEMPLATE SHOW reminder"))[0][3].hasPrefix("请注意"))

      // Every notice of that kind is worded so from now on; other tenants keep the built-in.
      let rendered = try await harness.database.withTenant(alpha) { connection in
        try await NoticeTemplates.render(
          kind: "reminder",
          parameters: ["summary_zh": "评审将到期", "summary_en": "review due", "article": "第4.2条"],
          on: connection)
      }
      #expect(rendered.subject == "【提醒】评审将到期 / [Reminder] review due")
      #expect(rendered.textBody.hasPrefix("请注意：评审将到期\n依据：第4.2条"))
      let other = harness.session()
      #expect(await other.status(#"LOGIN sec@beta "beta passphrase""#).hasPrefix("OK"))
      #expect(
        await other.send("TEMPLATE LIST").hasSuffix(
          "OK \(builtIns) templates, 0 of them the tenant's own\n"))

      #expect(
        await session.send("TEMPLATE SET no_such_kind en subject=x").hasPrefix(
          "ERR NOT_FOUND no notice kind no_such_kind; kinds: information,"))
      #expect(
        await session.send("TEMPLATE SET reminder en").hasPrefix(
          "ERR BAD_ARGUMENTS give subject=, body= or html="))
      #expect(
        await session.send("TEMPLATE SET reminder xx subject=y").hasPrefix("ERR BAD_ARGUMENTS"))
      #expect(
        await session.send("TEMPLATE RESET reminder zh-CN")
          == "OK template reminder zh-CN of alpha: the built-in applies again\n")
      #expect(
        await session.send("TEMPLATE RESET reminder zh-CN")
          == "ERR NOT_FOUND alpha has no template reminder zh-CN of its own\n")
      #expect(
        Self.rows(await session.send("TEMPLATE SHOW reminder")).allSatisfy { $0[1] == "built-in" })
      let audit = try await harness.tenantAudit(alpha).filter { $0.command.hasPrefix("TEMPLATE") }
      #expect(
        audit.map {
          $0.command.split(separator: " ").prefix(3).joined(separator: " ") + " " + $0.outcome
        } == [
          #"TEMPLATE SET "reminder" succeeded"#, #"TEMPLATE SET "reminder" succeeded"#,
          #"TEMPLATE SET "no_such_kind" refused"#, #"TEMPLATE SET "reminder" failed"#,
          #"TEMPLATE RESET "reminder" succeeded"#, #"TEMPLATE RESET "reminder" refused"#,
        ])
    }
  }

  @Test func onlyTheSecretariatAndOperatorsWithATenantSelectedManageDelivery() async throws {
    try await AccountsHarness.with { harness in
      let (chair, _) = try await Self.login(harness, "chair", role: "chairs_office")
      #expect(await chair.send("DELIVERY SHOW").hasPrefix("ERR FORBIDDEN"))
      #expect(await chair.send("TEMPLATE LIST").hasPrefix("ERR FORBIDDEN"))
      #expect(await chair.send("DELIVERY TEST email").hasPrefix("ERR FORBIDDEN"))

      try await harness.seedOperator("root", password: "operator passphrase")
      let root = harness.session()
      #expect(await root.status(#"LOGIN root "operator passphrase""#).hasPrefix("OK"))
      #expect(
        await root.send("DELIVERY SHOW") == "ERR NO_TENANT_SELECTED TENANT USE <slug> first\n")
      #expect(
        await root.send("TEMPLATE LIST") == "ERR NO_TENANT_SELECTED TENANT USE <slug> first\n")
      await root.send("TENANT USE alpha")
      #expect(await root.status("DELIVERY SET from=ops@aitisa.example").hasPrefix("OK"))
      #expect(Self.field(await root.send("DELIVERY SHOW"), "from") == "ops@aitisa.example")
      #expect(Self.field(await root.send("DELIVERY SHOW"), "smtp-password") == "unset")
    }
  }

  /// R12: the sender disabled the endpoint; DELIVERY ENABLE webhook, or setting the URL again,
  /// brings it back.
  @Test func aDisabledWebhookIsShownAndEnabledAgainByAnAdministrator() async throws {
    try await AccountsHarness.with(allowLoopbackWebhooks: true) { harness in
      let (session, alpha) = try await Self.login(harness)
      let url = "http://127.0.0.1:9/hook"
      #expect(await session.status("DELIVERY SET webhook=\(url)").hasPrefix("OK"))
      #expect(
        await session.send("DELIVERY ENABLE webhook")
          == "ERR CONFLICT the webhook endpoint of alpha is not disabled\n")
      func disable() async throws {
        let disabled = try await harness.database.withTenant(alpha) { connection in
          try await WebhookEndpoint.disable(url: url, reason: "410 Gone", on: connection)
        }
        #expect(disabled)
      }
      try await disable()
      let state = Self.field(await session.send("DELIVERY SHOW"), "webhook-state") ?? ""
      #expect(state.hasPrefix("disabled since ") && state.hasSuffix(": 410 Gone"))
      #expect(
        await session.send("DELIVERY TEST webhook").hasPrefix(
          "ERR CONFLICT the webhook endpoint is disabled since "))
      let enabled = await session.status("DELIVERY ENABLE webhook")
      #expect(
        enabled.hasPrefix("OK the webhook endpoint of alpha is enabled again (disabled since "))
      #expect(Self.field(await session.send("DELIVERY SHOW"), "webhook-state") == "enabled")

      try await disable()
      #expect(
        await session.status("DELIVERY SET webhook=\(url)")
          == "OK delivery settings of alpha changed: webhook; the webhook endpoint is enabled again"
      )
      #expect(Self.field(await session.send("DELIVERY SHOW"), "webhook-state") == "enabled")
      // Another setting leaves a disabling alone.
      try await disable()
      #expect(
        await session.status("DELIVERY SET from=secretariat@aitisa.example")
          == "OK delivery settings of alpha changed: from")
      #expect(
        Self.field(await session.send("DELIVERY SHOW"), "webhook-state")?.hasPrefix("disabled")
          == true)
      // Clearing the URL ends the disabling too; a later URL starts enabled.
      #expect(
        await session.status("DELIVERY SET webhook=\"\"")
          == "OK delivery settings of alpha changed: webhook")
      #expect(Self.field(await session.send("DELIVERY SHOW"), "webhook-state") == "")
      #expect(await session.status("DELIVERY SET webhook=\(url)").hasPrefix("OK"))
      #expect(Self.field(await session.send("DELIVERY SHOW"), "webhook-state") == "enabled")
      let enables = try await harness.tenantAudit(alpha).filter {
        $0.command.hasPrefix("DELIVERY ENABLE")
      }
      #expect(enables.map(\.outcome) == ["failed", "succeeded"])
    }
  }
}

/// NOTICE SCHEDULE: a one-off notice of the secretariat's own, sent by the scheduler at the
/// given time in the tenant's zone through the outbox. Bad input is refused and writes nothing.
@Suite struct NoticeScheduleCommandTests {
  @Test func aScheduledNoticeIsAJobWhoseRunWritesOneDeliveryPerAddress() async throws {
    try await AccountsHarness.with { harness in
      let (session, alpha) = try await DeliveryCommandTests.login(harness)
      let reply = await session.send(
        #"NOTICE SCHEDULE 2030-03-02 09:30 "a@example.org, b@example.org,A@example.org" "#
          + #""会议地点变更 / Venue changed" "#
          + #""第三次会议改在 301 室。\nThe third meeting moves to room 301.""#)
      #expect(reply.hasPrefix("OK notice "), "\(reply)")
      #expect(reply.contains("scheduled for 2030-03-02 09:30 Asia/Shanghai to 2 addresses"))
      let jobs = try await harness.database.withTenant(alpha) { connection in
        try await connection.query(
          """
          select id, kind, state, due_at = timestamptz '2030-03-02 01:30:00+00',
                 jsonb_array_length(payload -> 'recipients')
          from charter.deadline_jobs
          """, []
        ).rows.map { row in
          (
            try row.decode(0, as: UUID.self), try row.decode(1, as: String.self),
            try row.decode(2, as: String.self), try row.decode(3, as: Bool.self),
            try row.decode(4, as: Int32.self)
          )
        }
      }
      let job = try #require(jobs.first)
      #expect(jobs.count == 1)
      #expect(job.1 == "notice.deliver" && job.2 == "pending" && job.3 && job.4 == 2)
      #expect(reply.contains(job.0.uuidString.lowercased()))
      let audited = try await harness.database.withTenant(alpha) { connection in
        try await connection.query(
          "select count(*) from charter.audit_log where detail ->> 'job_id' = $1",
          [job.0.uuidString.lowercased()]
        ).scalar(as: Int64.self)
      }
      #expect(audited == 1)

      // Its day comes (moved forward here): the built-in handler writes the deliveries.
      try await harness.testDatabase.withConnection(as: .superuser) { connection in
        try await connection.query(
          "update charter.deadline_jobs set due_at = now() - interval '1 second'", [])
      }
      var handlers = JobHandlerRegistry()
      NoticeDeliveryHandler.register(into: &handlers)
      let worker = JobWorker(database: harness.database, instanceID: "test", handlers: handlers)
      let claims = try await worker.claim(max: 10)
      #expect(try await worker.execute(batch: claims) == [.done])
      let deliveries = try await harness.database.withTenant(alpha) { connection in
        try await connection.query(
          "select recipient, subject, body from charter.notice_outbox order by recipient", []
        ).rows.map { row in try (0..<3).map { try row.decode($0, as: String.self) } }
      }
      #expect(
        deliveries == [
          [
            "a@example.org", "会议地点变更 / Venue changed",
            "第三次会议改在 301 室。\nThe third meeting moves to room 301.",
          ],
          [
            "b@example.org", "会议地点变更 / Venue changed",
            "第三次会议改在 301 室。\nThe third meeting moves to room 301.",
          ],
        ])
    }
  }

  @Test func badInputAndAViewerAreRefusedAndNothingIsScheduled() async throws {
    try await AccountsHarness.with { harness in
      let (session, alpha) = try await DeliveryCommandTests.login(harness)
      try await harness.seedAdministrator(
        "reader", in: alpha, role: "viewer", password: "viewer passphrase")
      let refusals = [
        (#"NOTICE SCHEDULE 2020-01-02 09:00 a@example.org "通知 / Notice" "正文""#, "has passed"),
        (#"NOTICE SCHEDULE 2030-01-02 25:00 a@example.org "通知 / Notice" "正文""#, "HH:MM"),
        (#"NOTICE SCHEDULE 2030-01-02 9:00 a@example.org "通知 / Notice" "正文""#, "HH:MM"),
        (
          #"NOTICE SCHEDULE 2030-01-02 09:00 "a@example.org,not-an-address" "通知" "正文""#,
          "not-an-address is not a mail address"
        ),
        (#"NOTICE SCHEDULE 2030-01-02 09:00 " , " "通知 / Notice" "正文""#, "no address"),
        (#"NOTICE SCHEDULE 2030-01-02 09:00 a@example.org " " "正文""#, "must not be empty"),
        (#"NOTICE SCHEDULE 2030-02-30 09:00 a@example.org "通知" "正文""#, "BAD_ARGUMENTS"),
      ]
      for (line, expected) in refusals {
        let reply = await session.send(line)
        #expect(
          reply.hasPrefix("ERR BAD_ARGUMENTS") && reply.contains(expected), "\(line): \(reply)")
      }
      let many = (1...101).map { "m\($0)@example.org" }.joined(separator: ",")
      let tooMany = await session.send(
        "NOTICE SCHEDULE 2030-01-02 09:00 \"\(many)\" \"通知\" \"正文\"")
      #expect(tooMany.contains("at most 100"), "\(tooMany)")
      let viewer = harness.session()
      #expect(await viewer.status(#"LOGIN reader@alpha "viewer passphrase""#).hasPrefix("OK"))
      let forbidden = await viewer.send(
        #"NOTICE SCHEDULE 2030-01-02 09:00 a@example.org "通知 / Notice" "正文""#)
      #expect(forbidden.hasPrefix("ERR FORBIDDEN"), "\(forbidden)")
      let jobs = try await harness.database.withTenant(alpha) { connection in
        try await connection.query("select count(*) from charter.deadline_jobs", []).scalar(
          as: Int64.self)
      }
      #expect(jobs == 0)
    }
  }
}
