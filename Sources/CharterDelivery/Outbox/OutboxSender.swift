public import CharterStore
import Foundation

/// What one round of `OutboxSender.deliverDue()` did.
public struct OutboxRound: Sendable, Equatable {
  public var rescued = 0
  public var sent = 0
  public var retrying = 0
  public var dead = 0
  /// Claimed, but the lease was gone when we came to read or record it.
  public var leaseLost = 0
  /// Claimed, but reading or recording failed (the database went away): the delivery stays
  /// leased until its lease expires and is then rescued.
  public var failed = 0
  public var errors: [String] = []

  public var claimed: Int { sent + retrying + dead + leaseLost + failed }
}

/// Drains the outbox of every tenant: claims due deliveries through
/// `charter.claim_due_notices` (ids only, SQL/0004_delivery.sql), reads each in its tenant's
/// transaction, sends it with libcurl off the concurrency pool, and records the attempt and
/// the new state in a second tenant transaction that requires our lease token.
public final class OutboxSender: Sendable {
  public let database: Database
  public let configuration: OutboxSenderConfiguration
  public let smtp: SMTPTransport
  public let webhooks: WebhookTransport

  public init(
    database: Database, configuration: OutboxSenderConfiguration = .init(),
    smtp: SMTPTransport = .init(), webhooks: WebhookTransport = .init()
  ) {
    self.database = database
    self.configuration = configuration
    self.smtp = smtp
    self.webhooks = webhooks
  }

  /// Rescues expired leases, then claims and delivers due deliveries until none is due.
  /// Cancelled (the daemon stopping), it claims nothing more, and the deliveries it has
  /// claimed run to their recorded end: a cancelled statement would leave a delivery
  /// `sending` until its lease expires, and then send it again (RELIABILITY R15).
  public func deliverDue() async throws -> OutboxRound {
    var round = OutboxRound()
    round.rescued = try await database.pool.withConnection { connection in
      try await connection.query("select charter.rescue_expired_notice_leases()", []).scalar(
        as: Int.self)
    }
    while !Task.isCancelled {
      let claims = try await claim()
      if claims.isEmpty { return round }
      let outcomes = await withTaskGroup(of: ClaimResult.self) { group in
        var results: [ClaimResult] = []
        var iterator = claims.makeIterator()
        for _ in 0..<configuration.concurrency {
          guard let claim = iterator.next() else { break }
          group.addTask { await self.deliverUncancelled(claim) }
        }
        while let result = await group.next() {
          results.append(result)
          if let claim = iterator.next() {
            group.addTask { await self.deliverUncancelled(claim) }
          }
        }
        return results
      }
      for outcome in outcomes {
        switch outcome {
        case .sent: round.sent += 1
        case .retrying: round.retrying += 1
        case .dead: round.dead += 1
        case .leaseLost: round.leaseLost += 1
        case .failed(let error):
          round.failed += 1
          round.errors.append(error)
        }
      }
      if claims.count < configuration.batchSize { return round }
    }
    return round
  }

  /// A delivery in a task of its own, which does not inherit the caller's cancellation.
  private func deliverUncancelled(_ claim: Claim) async -> ClaimResult {
    await Task { await self.deliverReportingErrors(claim) }.value
  }

  /// Delivers until the task is cancelled, sleeping until the next due delivery (database
  /// clock), never longer than the poll interval. Errors (a database restart) are reported to
  /// `onError` and retried at the next poll.
  public func run(onError: @Sendable (any Error) -> Void = { _ in }) async {
    while !Task.isCancelled {
      var sleep = configuration.pollInterval
      do {
        _ = try await deliverDue()
        let seconds = try await database.pool.withConnection { connection in
          try await connection.query(
            "select extract(epoch from charter.next_notice_due_at() - clock_timestamp())::float8",
            []
          ).scalar(as: Double?.self)
        }
        if let seconds {
          sleep = min(sleep, .milliseconds(Int(max(0.05, seconds) * 1000)))
        }
      } catch {
        // A statement cancelled because we are stopping is not a failure to report.
        if !Task.isCancelled { onError(error) }
      }
      try? await Task.sleep(for: sleep)
    }
  }

  struct Claim: Sendable {
    let tenant: TenantID
    let outboxID: UUID
    let channel: String
    let attempt: Int
    let leaseToken: UUID
  }

  enum ClaimResult: Sendable {
    case sent, retrying, dead, leaseLost
    case failed(String)
  }

  /// One delivery's database error does not stop the others of the batch.
  private func deliverReportingErrors(_ claim: Claim) async -> ClaimResult {
    do {
      return try await deliver(claim)
    } catch {
      return .failed("\(claim.outboxID): \(error)")
    }
  }

  private func claim() async throws -> [Claim] {
    let leaseSeconds = Double(configuration.lease.components.seconds)
    return try await database.pool.withConnection { connection in
      let result = try await connection.query(
        """
        select tenant_id, outbox_id, channel, attempt, lease_token
        from charter.claim_due_notices($1, make_interval(secs => $2::float8), $3::integer)
        """, [configuration.instanceID, leaseSeconds, configuration.batchSize])
      return try result.rows.map { row in
        Claim(
          tenant: TenantID(try row.decode(0, as: UUID.self)),
          outboxID: try row.decode(1, as: UUID.self), channel: try row.decode(2, as: String.self),
          attempt: try row.decode(3, as: Int.self), leaseToken: try row.decode(4, as: UUID.self))
      }
    }
  }

  struct Loaded: Sendable {
    let delivery: StoredDelivery
    let settings: DeliverySettings?
  }

  private func deliver(_ claim: Claim) async throws -> ClaimResult {
    let loaded: Loaded? = try await database.withTenant(claim.tenant) { connection in
      let result = try await connection.query(
        """
        select id, notice_key, channel, recipient, subject, body, html_body, attachments::text,
               notice_kind, created_at
        from charter.notice_outbox
        where id = $1 and state = 'sending' and lease_token = $2
        """, [claim.outboxID, claim.leaseToken])
      guard let row = result.rows.first else { return nil }
      return Loaded(
        delivery: try StoredDelivery(row: row, tenant: claim.tenant),
        settings: try await DeliverySettings.load(on: connection))
    }
    guard let loaded else { return .leaseLost }
    let outcome = await transfer(loaded.delivery, settings: loaded.settings)
    let result = try await record(outcome, for: claim, webhookURL: loaded.settings?.webhookURL)
    if let onAttempt = configuration.onAttempt {
      switch result {
      case .sent: onAttempt(claim.channel, "sent")
      case .retrying: onAttempt(claim.channel, "retrying")
      case .dead: onAttempt(claim.channel, "dead")
      case .leaseLost: onAttempt(claim.channel, "lease_lost")
      case .failed: break
      }
    }
    return result
  }

  /// One attempt on the delivery's channel. Missing settings are a temporary failure: the
  /// secretariat may configure the channel before the delivery's lifetime runs out.
  func transfer(_ delivery: StoredDelivery, settings: DeliverySettings?) async -> TransferOutcome {
    do {
      let notice = WebhookNotice(
        id: delivery.id.uuidString.lowercased(), tenant: delivery.tenant.description,
        noticeKey: delivery.noticeKey, kind: delivery.noticeKind, subject: delivery.subject,
        text: delivery.textBody)
      switch delivery.channel {
      case "email":
        guard let settings, let url = settings.smtpURL, let from = settings.mailFrom else {
          throw DeliveryError.notConfigured("no SMTP server or sender address")
        }
        let message = MailMessage(
          from: try MailAddress(from), fromName: settings.mailFromName,
          to: try MailAddress(delivery.recipient), subject: delivery.subject,
          textBody: delivery.textBody, htmlBody: delivery.htmlBody, calendar: delivery.calendar,
          messageID: MailMessage.messageID(
            outboxID: delivery.id, domain: settings.messageIDDomain),
          date: Date())
        let server = SMTPServer(
          url: url, username: settings.smtpUsername, password: settings.smtpPassword,
          security: settings.smtpSecurity)
        return await smtp.send(message, via: server)
      case "webhook":
        guard let url = settings?.webhookURL else {
          throw DeliveryError.notConfigured("no webhook URL")
        }
        if let disabled = settings?.webhookDisabled {
          // RELIABILITY R12: no further calls to an endpoint that kept failing.
          return .permanentFailure(
            reply: "not sent: the webhook endpoint was disabled at "
              + "\(WebhookEndpoint.shanghaiTime(disabled.at)) after: \(disabled.reason.prefix(200)); "
              + "DELIVERY ENABLE webhook resumes")
        }
        let request = try WebhookFormat.standard(
          notice, url: url, secret: settings?.webhookSecret, now: Date())
        return await webhooks.send(request)
      case "dingtalk":
        guard let url = settings?.dingTalkURL else {
          throw DeliveryError.notConfigured("no DingTalk robot URL")
        }
        let request = try WebhookFormat.dingTalk(
          notice, url: url, secret: settings?.dingTalkSecret, now: Date())
        return await webhooks.send(request, robotReply: true)
      case "wecom":
        guard let url = settings?.weComURL else {
          throw DeliveryError.notConfigured("no WeCom robot URL")
        }
        return await webhooks.send(try WebhookFormat.weCom(notice, url: url), robotReply: true)
      default:
        return .permanentFailure(reply: "unknown channel \(delivery.channel)")
      }
    } catch DeliveryError.invalidValue(let why) {
      // A recipient that is not an address will not become one.
      return .permanentFailure(reply: "not sent: \(why)")
    } catch {
      return .temporaryFailure(reply: "not sent: \(error)")
    }
  }

  /// Whether a webhook delivery that went dead says the endpoint itself is failing: it
  /// answered 410 Gone, or it failed until the delivery's lifetime ran out (RELIABILITY R12).
  /// A refusal by the SSRF guard or a disabled endpoint is not the endpoint's failure.
  static func endpointFailed(_ outcome: TransferOutcome) -> Bool {
    switch outcome {
    case .delivered: false
    case .temporaryFailure: true
    case .permanentFailure(let reply): reply.hasPrefix("410 ")
    }
  }

  private func record(_ outcome: TransferOutcome, for claim: Claim, webhookURL: String?)
    async throws -> ClaimResult
  {
    let schedule = configuration.retrySchedule
    let delay = schedule.delaySeconds(afterAttempt: claim.attempt)
    let lifetime = schedule.lifetimeSeconds(channel: claim.channel)
    let reply = String(outcome.reply.prefix(2000))
    return try await database.withTenant(claim.tenant) { connection in
      let state: String
      switch outcome {
      case .delivered: state = "sent"
      case .permanentFailure: state = "dead"
      case .temporaryFailure: state = "retry"
      }
      let updated = try await connection.query(
        """
        update charter.notice_outbox
        set state = case
                when $3 = 'sent' then 'sent'
                when $3 = 'dead' then 'dead'
                when created_at + make_interval(secs => $5::float8)
                     < clock_timestamp() + make_interval(secs => $4::float8) then 'dead'
                else 'pending' end,
            next_attempt_at = case when $3 = 'retry'
                then clock_timestamp() + make_interval(secs => $4::float8)
                else next_attempt_at end,
            sent_at = case when $3 = 'sent' then clock_timestamp() end,
            dead_at = case when $3 = 'sent' then null
                when $3 = 'dead' or created_at + make_interval(secs => $5::float8)
                     < clock_timestamp() + make_interval(secs => $4::float8)
                then clock_timestamp() end,
            last_error = case when $3 = 'sent' then null else $6 end,
            lease_owner = null, lease_expires_at = null, lease_token = null,
            updated_at = clock_timestamp()
        where id = $1 and state = 'sending' and lease_token = $2
        returning state
        """, [claim.outboxID, claim.leaseToken, state, delay, lifetime, reply])
      let newState = try updated.rows.first?.decode(0, as: String.self)
      let recorded: String
      switch newState {
      case "sent": recorded = "sent"
      case "dead": recorded = "dead"
      default: recorded = "retry"
      }
      // Every attempt is recorded, also one whose lease was lost meanwhile: it happened.
      try await connection.query(
        """
        insert into charter.notice_attempts (tenant_id, outbox_id, attempt, channel, outcome, reply)
        values (charter.current_tenant(), $1, $2, $3, $4, $5)
        """,
        [
          claim.outboxID, claim.attempt, claim.channel,
          newState == nil ? (state == "sent" ? "sent" : state) : recorded,
          newState == nil ? reply + " (lease lost before recording)" : reply,
        ])
      if newState == "dead" {
        // Given up: the tenant's audit log says so, where the secretariat looks (R12). The
        // reply is the server's, never a secret.
        try await connection.query(
          """
          insert into charter.audit_log (tenant_id, actor, actor_kind, command, outcome, detail)
          select tenant_id, 'delivery', 'system', 'notice.dead', 'failed',
                 jsonb_build_object('outbox_id', id, 'notice_key', notice_key, 'channel', channel,
                                    'recipient', recipient, 'attempts', attempts, 'reply', $2::text)
          from charter.notice_outbox where id = $1
          """, [claim.outboxID, reply])
        if claim.channel == "webhook", let webhookURL, Self.endpointFailed(outcome) {
          try await WebhookEndpoint.disable(url: webhookURL, reason: reply, on: connection)
        }
      }
      switch newState {
      case nil: return .leaseLost
      case "sent": return .sent
      case "dead": return .dead
      default: return .retrying
      }
    }
  }
}
