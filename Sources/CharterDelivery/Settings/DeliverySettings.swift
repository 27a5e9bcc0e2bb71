public import CharterPostgres
public import Foundation

/// How the transport to the SMTP server is protected.
public enum SMTPSecurity: String, Sendable, Equatable {
  /// STARTTLS required: the transfer fails rather than send in clear (CURLUSESSL_ALL).
  case startTLSRequired = "starttls"
  /// No TLS: for a relay on the same host or the tests' local sink only.
  case none
}

/// Why and since when a tenant's webhook endpoint is no longer called.
public struct WebhookDisabling: Sendable, Equatable {
  public var at: Date
  /// The endpoint's last reply (HTTP status and body), e.g. `410 Gone`.
  public var reason: String

  public init(at: Date, reason: String) {
    self.at = at
    self.reason = reason
  }
}

/// A tenant's delivery settings (table charter.delivery_settings). Secrets are `Secret`s.
public struct DeliverySettings: Sendable, Equatable, CustomStringConvertible {
  /// `smtp://host:port` (STARTTLS per `smtpSecurity`) or `smtps://host:port` (TLS from the start).
  public var smtpURL: String?
  public var smtpUsername: String?
  public var smtpPassword: Secret?
  public var smtpSecurity: SMTPSecurity
  public var mailFrom: String?
  public var mailFromName: String?
  /// The right-hand side of Message-IDs; `charter.invalid` when unset.
  public var messageIDDomain: String?
  public var webhookURL: String?
  public var webhookSecret: Secret?
  public var dingTalkURL: String?
  public var dingTalkSecret: Secret?
  public var weComURL: String?
  /// Where notices to the tenant's secretariat go (a webhook endpoint disabled, a test).
  public var secretariatEmail: String?
  /// Where notices to the chair's office go.
  public var chairsOfficeEmail: String?
  /// Set by the sender when the webhook endpoint kept failing or answered 410 Gone
  /// (RELIABILITY R12); `save` leaves it alone: `WebhookEndpoint` disables and enables.
  public var webhookDisabled: WebhookDisabling?

  public init(
    smtpURL: String? = nil, smtpUsername: String? = nil, smtpPassword: Secret? = nil,
    smtpSecurity: SMTPSecurity = .startTLSRequired, mailFrom: String? = nil,
    mailFromName: String? = nil, messageIDDomain: String? = nil, webhookURL: String? = nil,
    webhookSecret: Secret? = nil, dingTalkURL: String? = nil, dingTalkSecret: Secret? = nil,
    weComURL: String? = nil, secretariatEmail: String? = nil, chairsOfficeEmail: String? = nil,
    webhookDisabled: WebhookDisabling? = nil
  ) {
    self.smtpURL = smtpURL
    self.smtpUsername = smtpUsername
    self.smtpPassword = smtpPassword
    self.smtpSecurity = smtpSecurity
    self.mailFrom = mailFrom
    self.mailFromName = mailFromName
    self.messageIDDomain = messageIDDomain
    self.webhookURL = webhookURL
    self.webhookSecret = webhookSecret
    self.dingTalkURL = dingTalkURL
    self.dingTalkSecret = dingTalkSecret
    self.weComURL = weComURL
    self.secretariatEmail = secretariatEmail
    self.chairsOfficeEmail = chairsOfficeEmail
    self.webhookDisabled = webhookDisabled
  }

  /// A listing: which secrets are set, never their values.
  public var description: String {
    func mark(_ secret: Secret?) -> String { secret == nil ? "unset" : "set" }
    return "smtp=\(smtpURL ?? "-") user=\(smtpUsername ?? "-") password=\(mark(smtpPassword)) "
      + "security=\(smtpSecurity.rawValue) from=\(mailFrom ?? "-") "
      + "webhook=\(webhookURL.map(Self.redactedURL) ?? "-") "
      + "webhook-secret=\(mark(webhookSecret)) dingtalk=\(dingTalkURL.map(Self.redactedURL) ?? "-") "
      + "dingtalk-secret=\(mark(dingTalkSecret)) wecom=\(weComURL.map(Self.redactedURL) ?? "-") "
      + "secretariat-email=\(secretariatEmail ?? "-") "
      + "chairs-office-email=\(chairsOfficeEmail ?? "-")"
  }

  /// A URL for a listing: user info dropped and every query value masked, since robot URLs
  /// carry their credential there (DingTalk `access_token`, WeCom `key`).
  public static func redactedURL(_ text: String) -> String {
    guard var components = URLComponents(string: text) else { return "<unparsable URL>" }
    if components.user != nil || components.password != nil {
      components.user = nil
      components.password = nil
    }
    if let items = components.queryItems, !items.isEmpty {
      components.percentEncodedQuery = items.map { "\($0.name)=***" }.joined(separator: "&")
    }
    return components.string ?? "<unparsable URL>"
  }

  /// The settings of the transaction's tenant, or nil when none were saved.
  public static func load(on connection: PostgresConnection) async throws -> DeliverySettings? {
    let result = try await connection.query(
      """
      select smtp_url, smtp_username, smtp_password, smtp_require_tls, mail_from, mail_from_name,
             message_id_domain, webhook_url, webhook_secret, dingtalk_url, dingtalk_secret, wecom_url,
             secretariat_email, chairs_office_email, webhook_disabled_at, webhook_disabled_reason
      from charter.delivery_settings where tenant_id = charter.current_tenant()
      """, [])
    guard let row = result.rows.first else { return nil }
    return DeliverySettings(
      smtpURL: try row.decode(0, as: String?.self),
      smtpUsername: try row.decode(1, as: String?.self),
      smtpPassword: try row.decode(2, as: String?.self).map(Secret.init),
      smtpSecurity: try row.decode(3, as: Bool.self) ? .startTLSRequired : .none,
      mailFrom: try row.decode(4, as: String?.self),
      mailFromName: try row.decode(5, as: String?.self),
      messageIDDomain: try row.decode(6, as: String?.self),
      webhookURL: try row.decode(7, as: String?.self),
      webhookSecret: try row.decode(8, as: String?.self).map(Secret.init),
      dingTalkURL: try row.decode(9, as: String?.self),
      dingTalkSecret: try row.decode(10, as: String?.self).map(Secret.init),
      weComURL: try row.decode(11, as: String?.self),
      secretariatEmail: try row.decode(12, as: String?.self),
      chairsOfficeEmail: try row.decode(13, as: String?.self),
      webhookDisabled: try row.decode(14, as: Date?.self).map { at in
        WebhookDisabling(at: at, reason: try row.decode(15, as: String?.self) ?? "")
      })
  }

  /// Saves (inserts or replaces) the transaction's tenant's settings, except the webhook's
  /// disabled state (`WebhookEndpoint.disable` / `enable`), so that an administrator's edit
  /// never undoes a disabling the sender committed meanwhile.
  public func save(on connection: PostgresConnection) async throws {
    let result = try await connection.query(
      """
      insert into charter.delivery_settings
          (tenant_id, smtp_url, smtp_username, smtp_password, smtp_require_tls, mail_from,
           mail_from_name, message_id_domain, webhook_url, webhook_secret, dingtalk_url,
           dingtalk_secret, wecom_url, secretariat_email, chairs_office_email)
      select charter.current_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
             $14
      where charter.current_tenant() is not null
      on conflict (tenant_id) do update set
          smtp_url = excluded.smtp_url, smtp_username = excluded.smtp_username,
          smtp_password = excluded.smtp_password, smtp_require_tls = excluded.smtp_require_tls,
          mail_from = excluded.mail_from, mail_from_name = excluded.mail_from_name,
          message_id_domain = excluded.message_id_domain, webhook_url = excluded.webhook_url,
          webhook_secret = excluded.webhook_secret, dingtalk_url = excluded.dingtalk_url,
          dingtalk_secret = excluded.dingtalk_secret, wecom_url = excluded.wecom_url,
          secretariat_email = excluded.secretariat_email,
          chairs_office_email = excluded.chairs_office_email,
          updated_at = now()
      """,
      [
        smtpURL, smtpUsername, smtpPassword?.revealed, smtpSecurity == .startTLSRequired,
        mailFrom, mailFromName, messageIDDomain, webhookURL, webhookSecret?.revealed,
        dingTalkURL, dingTalkSecret?.revealed, weComURL, secretariatEmail, chairsOfficeEmail,
      ])
    if result.affectedRows == 0 { throw DeliveryError.noTenantContext }
  }
}
