import CharterAdminServer
import CharterDelivery
import CharterPostgres
import CharterProtocol
import Foundation

/// DELIVERY SHOW / SET / TEST / ENABLE (issue 6 §3): a tenant's delivery settings. Secrets
/// are secret arguments of the table (the audit shows `***`), listed as set or unset, and
/// never put into a reply, an error or a log line. Scoped like the JOBS commands: the
/// tenant of the session, or the one an operator chose with TENANT USE.
extension AccountsService {
  func deliveryShow(_ context: CommandContext) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    let settings =
      try await database.withTenant(tenant.id) { try await DeliverySettings.load(on: $0) }
      ?? DeliverySettings()
    func mark(_ secret: Secret?) -> String { secret == nil ? "unset" : "set" }
    func url(_ text: String?) -> String { text.map(DeliverySettings.redactedURL) ?? "" }
    var webhookState = ""
    if settings.webhookURL != nil {
      webhookState =
        settings.webhookDisabled.map {
          "disabled since \(AuditQuery.format($0.at)): \($0.reason.prefix(200))"
        } ?? "enabled"
    }
    let rows = [
      ["smtp", url(settings.smtpURL)], ["smtp-user", settings.smtpUsername ?? ""],
      ["smtp-password", mark(settings.smtpPassword)],
      ["security", settings.smtpSecurity.rawValue], ["from", settings.mailFrom ?? ""],
      ["from-name", settings.mailFromName ?? ""],
      ["message-id-domain", settings.messageIDDomain ?? ""],
      ["webhook", url(settings.webhookURL)], ["webhook-secret", mark(settings.webhookSecret)],
      ["webhook-state", webhookState], ["dingtalk", url(settings.dingTalkURL)],
      ["dingtalk-secret", mark(settings.dingTalkSecret)], ["wecom", url(settings.weComURL)],
      ["secretariat-email", settings.secretariatEmail ?? ""],
      ["chairs-office-email", settings.chairsOfficeEmail ?? ""],
    ]
    return CommandOutcome(reply: .table(columns: ["field", "value"], rows: rows, status: .ok("")))
  }

  func deliverySet(_ context: CommandContext) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    // URLs are audited without user info or query values (a token may hide there); the
    // secret arguments are `***` already.
    let audited = Self.redactingURLs(context.invocation).auditDescription
    do {
      return try await deliverySet(context, tenant: tenant, audited: audited)
    } catch {
      var failure = CommandFailure.from(error, log: log)
      failure.target = failure.target ?? .tenant(tenant)
      failure.auditCommand = audited
      throw failure
    }
  }

  private func deliverySet(_ context: CommandContext, tenant: TenantRef, audited: String)
    async throws -> CommandOutcome
  {
    let spec = context.invocation.spec
    let change = try DeliverySettingChange(context.invocation.arguments, spec: spec)
    guard !change.isEmpty else {
      throw CommandFailure(.badArguments, "nothing to set; usage: \(spec.usage)")
    }
    // RELIABILITY S8 at the door: the sender checks again at every request (DNS changes).
    for (key, url) in change.urls {
      do throws(DeliveryError) {
        try await configuration.webhookGuard.check(url)
      } catch .targetRefused(let why) {
        throw CommandFailure(.forbidden, "\(key)= refused: \(why)")
      } catch {
        throw CommandFailure(.badArguments, "\(key)= \(error)")
      }
    }
    let note = change.redactedSecretURLs
    var entry = Self.successEntry(context, note: note.isEmpty ? nil : note)
    entry.command = audited
    let reenabled = try await database.withTenant(tenant.id) { connection in
      // Serialises with another DELIVERY SET of the tenant: no edit is lost.
      try await connection.query(
        """
        select pg_advisory_xact_lock(
            hashtext('charter.delivery_settings'), hashtext(charter.current_tenant()::text))
        """, [])
      var settings = try await DeliverySettings.load(on: connection) ?? DeliverySettings()
      change.apply(to: &settings)
      try await settings.save(on: connection)
      // A new (or the same) URL, or none: either way the old disabling is over.
      let ended = change.touchesWebhook ? try await WebhookEndpoint.enable(on: connection) : nil
      try await AuditLog.append(entry, to: .tenant(tenant), on: connection)
      return ended != nil && settings.webhookURL != nil
    }
    var message = "delivery settings of \(tenant.slug) changed: "
    message += change.keys.joined(separator: ", ")
    if reenabled { message += "; the webhook endpoint is enabled again" }
    return CommandOutcome(reply: .ok(message))
  }

  /// The invocation with its non-secret URL arguments redacted for the audit log.
  static func redactingURLs(_ invocation: CommandInvocation) -> CommandInvocation {
    var values = invocation.arguments.values
    for key in ["smtp"] + DeliverySettingChange.urlKeys {
      if case .string(let url)? = values[key], !url.isEmpty {
        values[key] = .string(DeliverySettings.redactedURL(url))
      }
    }
    return CommandInvocation(
      spec: invocation.spec, arguments: CommandArguments(values),
      principal: invocation.principal, tenant: invocation.tenant)
  }

  func deliveryEnable(_ context: CommandContext) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    let entry = Self.successEntry(context)
    let ended = try await database.withTenant(tenant.id) { connection in
      guard let ended = try await WebhookEndpoint.enable(on: connection) else {
        throw CommandFailure(
          .conflict, "the webhook endpoint of \(tenant.slug) is not disabled",
          target: .tenant(tenant))
      }
      try await AuditLog.append(entry, to: .tenant(tenant), on: connection)
      return ended
    }
    return CommandOutcome(
      reply: .ok(
        "the webhook endpoint of \(tenant.slug) is enabled again "
          + "(disabled since \(AuditQuery.format(ended.at)))"))
  }

  func deliveryTest(_ context: CommandContext) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    let arguments = context.invocation.arguments
    let channel = arguments.string("channel") ?? ""
    func refuse(_ code: StatusCode, _ message: String) -> CommandFailure {
      CommandFailure(code, message, target: .tenant(tenant))
    }
    if channel != "email", arguments.string("to") != nil {
      throw refuse(.badArguments, "to= applies to the email channel only")
    }
    let actor = context.invocation.principal?.name ?? "-"
    let baseEntry = Self.successEntry(context)
    let (id, recipient) = try await database.withTenant(tenant.id) {
      connection -> (UUID, String) in
      let settings = try await DeliverySettings.load(on: connection) ?? DeliverySettings()
      let target: DeliveryTarget
      switch channel {
      case "email":
        guard settings.smtpURL != nil, settings.mailFrom != nil else {
          throw refuse(.conflict, "email is not configured: DELIVERY SET smtp=… from=… first")
        }
        guard let address = arguments.string("to") ?? settings.secretariatEmail else {
          throw refuse(
            .conflict, "no recipient: give to=<address> or DELIVERY SET secretariat-email=… first")
        }
        do {
          target = .email(try MailAddress(address))
        } catch {
          throw refuse(.badArguments, "to= is not a mail address")
        }
      case "webhook":
        guard settings.webhookURL != nil else {
          throw refuse(.conflict, "webhook is not configured: DELIVERY SET webhook=… first")
        }
        if let disabled = settings.webhookDisabled {
          throw refuse(
            .conflict,
            "the webhook endpoint is disabled since \(AuditQuery.format(disabled.at)); "
              + "DELIVERY ENABLE webhook first")
        }
        target = .webhook
      case "dingtalk":
        guard settings.dingTalkURL != nil else {
          throw refuse(.conflict, "dingtalk is not configured: DELIVERY SET dingtalk=… first")
        }
        target = .dingTalk
      default:
        guard settings.weComURL != nil else {
          throw refuse(.conflict, "wecom is not configured: DELIVERY SET wecom=… first")
        }
        target = .weCom
      }
      let kind = SystemNotice.deliveryTest.rawValue
      let rendered = try await NoticeTemplates.render(
        kind: kind,
        parameters: [
          "tenant": tenant.slug, "channel": channel, "actor": actor,
          "time": AuditQuery.format(Date()),
        ], on: connection)
      let key = Outbox.key(
        notice: "delivery-test/\(UUID().uuidString.lowercased())", target: target)
      guard
        case .created(let id) = try await Outbox.enqueue(
          NewDelivery(noticeKey: key, target: target, rendered: rendered, noticeKind: kind),
          on: connection)
      else { throw refuse(.conflict, "a test notice with this key exists; try again") }
      var entry = baseEntry
      entry.detail["outbox_id"] = id.uuidString.lowercased()
      try await AuditLog.append(entry, to: .tenant(tenant), on: connection)
      if case .email(let address) = target { return (id, address.text) }
      return (id, channel)
    }
    return CommandOutcome(
      reply: .ok(
        "test notice \(id.uuidString.lowercased()) queued for \(recipient); "
          + "NOTICES LIST shows how it went"))
  }
}
