public import CharterPostgres
public import Foundation

/// A tenant's own wording of one notice kind in one locale (a row of
/// charter.notice_templates).
public struct TemplateOverride: Sendable, Equatable {
  public var kind: String
  public var locale: String
  public var template: NoticeTemplate
  public var updatedAt: Date
}

/// Reading and changing the transaction's tenant's template overrides; `NoticeTemplates.render`
/// applies them.
public enum TemplateOverrides {
  /// The overrides of the transaction's tenant (of one kind when given), by kind and locale.
  public static func list(kind: String? = nil, on connection: PostgresConnection) async throws
    -> [TemplateOverride]
  {
    let result = try await connection.query(
      """
      select notice_kind, locale, subject, text_body, html_body, updated_at
      from charter.notice_templates
      where tenant_id = charter.current_tenant() and ($1::text is null or notice_kind = $1)
      order by notice_kind, locale
      """, [kind])
    return try result.rows.map { row in
      TemplateOverride(
        kind: try row.decode(0, as: String.self), locale: try row.decode(1, as: String.self),
        template: NoticeTemplate(
          subject: try row.decode(2, as: String.self), textBody: try row.decode(3, as: String.self),
          htmlBody: try row.decode(4, as: String?.self)),
        updatedAt: try row.decode(5, as: Date.self))
    }
  }

  /// Writes (or replaces) the override of `kind` in `locale`.
  /// - Throws: `DeliveryError.noTenantContext` outside a tenant transaction.
  public static func set(
    kind: String, locale: String, _ template: NoticeTemplate, on connection: PostgresConnection
  ) async throws {
    let result = try await connection.query(
      """
      insert into charter.notice_templates (tenant_id, notice_kind, locale, subject, text_body,
                                            html_body)
      select charter.current_tenant(), $1, $2, $3, $4, $5
      where charter.current_tenant() is not null
      on conflict (tenant_id, notice_kind, locale) do update set
          subject = excluded.subject, text_body = excluded.text_body,
          html_body = excluded.html_body, updated_at = now()
      """, [kind, locale, template.subject, template.textBody, template.htmlBody])
    if result.affectedRows == 0 { throw DeliveryError.noTenantContext }
  }

  /// Removes the override: the built-in wording applies again. False when there was none.
  public static func remove(kind: String, locale: String, on connection: PostgresConnection)
    async throws -> Bool
  {
    try await connection.query(
      """
      delete from charter.notice_templates
      where tenant_id = charter.current_tenant() and notice_kind = $1 and locale = $2
      """, [kind, locale]
    ).affectedRows == 1
  }
}
