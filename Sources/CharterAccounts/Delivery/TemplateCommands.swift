import CharterAdminServer
import CharterDelivery
import CharterPostgres
import CharterProtocol
import Foundation

/// TEMPLATE LIST / SHOW / SET / RESET (issue 6 §3: templates per notice kind in zh-CN and en,
/// overridable per tenant) over `TemplateOverrides`; `NoticeTemplates.render` applies them to
/// every notice the tenant is sent from then on.
extension AccountsService {
  static let templateColumns = ["kind", "locale", "source", "updated", "subject"]

  func templateList(_ context: CommandContext) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    let overrides = try await database.withTenant(tenant.id) {
      try await TemplateOverrides.list(on: $0)
    }
    let extraKinds = Set(overrides.map(\.kind)).subtracting(NoticeTemplates.kinds).sorted()
    var rows: [[String]] = []
    for kind in NoticeTemplates.kinds + extraKinds {
      for locale in NoticeTemplates.locales {
        if let own = overrides.first(where: { $0.kind == kind && $0.locale == locale }) {
          rows.append(
            [kind, locale, "tenant", AuditQuery.format(own.updatedAt), own.template.subject])
        } else {
          rows.append(
            [
              kind, locale, "built-in", "",
              NoticeTemplates.builtIn(kind: kind, locale: locale).subject,
            ])
        }
      }
    }
    let own = overrides.count
    return CommandOutcome(
      reply: .table(
        columns: Self.templateColumns, rows: rows,
        status: .ok("\(Self.count(rows.count, "template")), \(own) of them the tenant's own")))
  }

  func templateShow(_ context: CommandContext) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    let kind = context.invocation.arguments.string("kind") ?? ""
    let overrides = try await database.withTenant(tenant.id) {
      try await TemplateOverrides.list(kind: kind, on: $0)
    }
    guard NoticeTemplates.kinds.contains(kind) || !overrides.isEmpty else {
      throw Self.unknownKind(kind, tenant)
    }
    let rows = NoticeTemplates.locales.map { locale in
      let own = overrides.first { $0.locale == locale }
      let template = own?.template ?? NoticeTemplates.builtIn(kind: kind, locale: locale)
      return [
        locale, own == nil ? "built-in" : "tenant", template.subject, template.textBody,
        template.htmlBody ?? "",
      ]
    }
    return CommandOutcome(
      reply: .table(
        columns: ["locale", "source", "subject", "body", "html"], rows: rows, status: .ok(kind)))
  }

  func templateSet(_ context: CommandContext) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    let arguments = context.invocation.arguments
    let kind = arguments.string("kind") ?? ""
    let locale = arguments.string("locale") ?? ""
    guard NoticeTemplates.kinds.contains(kind) else { throw Self.unknownKind(kind, tenant) }
    let subject = arguments.string("subject")
    let body = arguments.string("body")
    let html = arguments.string("html")
    guard subject != nil || body != nil || html != nil else {
      throw CommandFailure(
        .badArguments, "give subject=, body= or html=; usage: \(context.invocation.spec.usage)",
        target: .tenant(tenant))
    }
    if subject?.isEmpty == true || body?.isEmpty == true {
      throw CommandFailure(
        .badArguments, "subject= and body= may not be empty", target: .tenant(tenant))
    }
    let entry = Self.successEntry(context)
    try await database.withTenant(tenant.id) { connection in
      let current =
        try await TemplateOverrides.list(kind: kind, on: connection).first {
          $0.locale == locale
        }?.template ?? NoticeTemplates.builtIn(kind: kind, locale: locale)
      var template = current
      if let subject { template.subject = subject }
      if let body { template.textBody = body }
      if let html { template.htmlBody = html.isEmpty ? nil : html }
      try await TemplateOverrides.set(kind: kind, locale: locale, template, on: connection)
      try await AuditLog.append(entry, to: .tenant(tenant), on: connection)
    }
    return CommandOutcome(reply: .ok("template \(kind) \(locale) of \(tenant.slug) saved"))
  }

  func templateReset(_ context: CommandContext) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    let arguments = context.invocation.arguments
    let kind = arguments.string("kind") ?? ""
    let locale = arguments.string("locale") ?? ""
    let entry = Self.successEntry(context)
    let removed = try await database.withTenant(tenant.id) { connection in
      let removed = try await TemplateOverrides.remove(kind: kind, locale: locale, on: connection)
      if removed { try await AuditLog.append(entry, to: .tenant(tenant), on: connection) }
      return removed
    }
    guard removed else {
      throw CommandFailure(
        .notFound, "\(tenant.slug) has no template \(kind) \(locale) of its own",
        target: .tenant(tenant))
    }
    return CommandOutcome(
      reply: .ok("template \(kind) \(locale) of \(tenant.slug): the built-in applies again"))
  }

  static func unknownKind(_ kind: String, _ tenant: TenantRef) -> CommandFailure {
    CommandFailure(
      .notFound,
      "no notice kind \(String(kind.prefix(64))); kinds: "
        + NoticeTemplates.kinds.joined(separator: ", "), target: .tenant(tenant))
  }
}
