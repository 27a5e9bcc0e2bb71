import CharterDelivery
import CharterGovernance
import CharterPostgres
import Foundation

/// Turns an engine `Notice` into outbox rows: the notice is rendered once with the tenant's
/// template of its kind (Chinese first, then English), and written once per e-mail address
/// its recipients resolve to and once per group channel (webhook, DingTalk, WeCom robot) the
/// tenant configured. One INSERT … SELECT per notice, so an announcement to 100,000 members
/// is one statement, not 100,000 round trips. Keys are `<notice key>/<channel>/<recipient>`:
/// a notice recorded twice under one key is written once.
enum NoticeRouter {
  struct Routed {
    var written: Int
    /// Recipients that resolved to no address (no contact e-mail, no role mailbox).
    var unresolved: [String]
  }

  static func enqueue(
    _ notice: Notice, key: String, invitation: String?, scope: WorkflowScope
  ) async throws -> Routed {
    var parameters = notice.parameters
    let summaries = try await DisplayNames.substitute(
      [notice.summaryZh, notice.summaryEn], on: scope.connection)
    parameters["summary_zh"] = summaries[0]
    parameters["summary_en"] = summaries[1]
    parameters["article"] = notice.article.description
    parameters["tenant"] = scope.tenant.slug
    let rendered = try await NoticeTemplates.render(
      kind: notice.kind.rawValue, parameters: parameters, on: scope.connection)

    var attachments = "[]"
    if let invitation {
      let data = try JSONSerialization.data(
        withJSONObject: [
          [
            "content_type": "text/calendar; method=REQUEST", "filename": "invite.ics",
            "content": invitation,
          ]
        ], options: [.sortedKeys])
      attachments = String(decoding: data, as: UTF8.self)
    }

    // Fixed parameters $1…$6, then each recipient's own.
    var values: [any PostgresEncodable] = [
      key, rendered.subject, rendered.textBody, rendered.htmlBody, PostgresJSON(attachments),
      notice.kind.rawValue,
    ]
    var sources: [String] = []
    var unresolved: [String] = []
    for recipient in notice.recipients {
      guard let source = addressSource(recipient, scope: scope) else { continue }
      sources.append(source.sql(firstParameter: values.count + 1))
      values += source.values
      if try await !hasAddress(source, scope: scope) {
        unresolved.append(source.label)
      }
    }
    let email =
      sources.isEmpty
      ? "select null::text as channel, null::text as recipient where false"
      : "select distinct 'email'::text as channel, address as recipient from ("
        + sources.joined(separator: " union ") + ") a where address is not null and address <> ''"
    let result = try await scope.connection.query(
      """
      with targets as (
          \(email)
          union all
          select c.channel, 'tenant-settings' from charter.delivery_settings s,
              lateral (values ('webhook', s.webhook_url), ('dingtalk', s.dingtalk_url),
                              ('wecom', s.wecom_url)) as c(channel, url)
          where s.tenant_id = charter.current_tenant() and c.url is not null and c.url <> ''
      ), inserted as (
          insert into charter.notice_outbox
              (tenant_id, notice_key, channel, recipient, subject, body, html_body, attachments,
               notice_kind)
          select charter.current_tenant(), $1 || '/' || t.channel || '/' || t.recipient,
                 t.channel, t.recipient, $2, $3, $4,
                 case when t.channel = 'email' then $5::jsonb else '[]'::jsonb end, $6
          from targets t
          on conflict (tenant_id, notice_key) do nothing
          returning 1
      )
      select count(*)::int8, pg_notify('\(Outbox.notificationChannel)', '') is null
      from inserted
      """, values)
    let written = try result.rows.first?.decode(0, as: Int64.self) ?? 0
    return Routed(written: Int(written), unresolved: unresolved)
  }

  /// A `select … as address` query of one recipient, with its own parameters: `$@0`, `$@1` in
  /// `template` become `$n` from wherever the query it joins numbers them.
  private struct AddressSource {
    var template: String
    var values: [any PostgresEncodable] = []
    /// The recipient, for a warning when it has no address.
    var label: String

    func sql(firstParameter: Int) -> String {
      var text = template
      for index in values.indices.reversed() {
        text = text.replacingOccurrences(of: "$@\(index)", with: "$\(firstParameter + index)")
      }
      return text
    }
  }

  private static let currentStatuses = "('member', 'exit_pending', 'suspended')"

  /// The addresses of one recipient.
  private static func addressSource(_ recipient: Recipient, scope: WorkflowScope) -> AddressSource?
  {
    let mailbox = "select %@ as address from charter.delivery_settings"
    switch recipient {
    case .secretariat:
      return AddressSource(
        template: mailbox.replacingOccurrences(of: "%@", with: "secretariat_email"),
        label: "the secretariat (its mailbox in the delivery settings)")
    case .chairsOffice:
      return AddressSource(
        template: mailbox.replacingOccurrences(of: "%@", with: "chairs_office_email"),
        label: "the chair's office (its mailbox in the delivery settings)")
    case .allMembers:
      return AddressSource(
        template:
          "select contact_email as address from charter.members where status in \(currentStatuses)",
        label: "the members")
    case .memberContact(let member):
      guard let id = UUID(uuidString: member.rawValue) else { return nil }
      return AddressSource(
        template: "select contact_email as address from charter.members where id = $@0",
        values: [id], label: "member \(member.rawValue)")
    case .groupMembers(let group):
      guard let id = UUID(uuidString: group.rawValue) else { return nil }
      return AddressSource(
        template: """
          select m.contact_email as address from charter.working_group_members g
          join charter.members m on m.tenant_id = g.tenant_id and m.id = g.member_id
          where g.group_id = $@0
          """, values: [id], label: "the members of working group \(group.rawValue)")
    case .groupLeader(let group):
      guard let id = UUID(uuidString: group.rawValue) else { return nil }
      return AddressSource(
        template: """
          select m.contact_email as address from charter.working_group_members g
          join charter.members m on m.tenant_id = g.tenant_id and m.id = g.member_id
          where g.group_id = $@0 and g.role = 'leader'
          """, values: [id], label: "the leader of working group \(group.rawValue)")
    case .body(let name):
      switch scope.charter?.profile.body(name)?.composition.value {
      case .allMembers:
        return addressSource(.allMembers, scope: scope)
      case .tiers(let tiers):
        return AddressSource(
          template: """
            select contact_email as address from charter.members
            where status in \(currentStatuses) and tier = any($@0)
            """, values: [tiers.sorted()], label: "the members of \(name)")
      case .postHolders(let posts):
        return AddressSource(
          template: """
            select m.contact_email as address from charter.office_terms o
            join charter.members m on m.tenant_id = o.tenant_id and m.id = o.member_id
            where o.status = 'serving' and o.post = any($@0)
            """, values: [posts.sorted()], label: "the holders of the posts of \(name)")
      case .workingGroupMembers, .appointed, .none:
        // A body the charter does not enumerate is reached through the secretariat.
        return AddressSource(
          template: mailbox.replacingOccurrences(of: "%@", with: "secretariat_email"),
          label: "\(name) (through the secretariat)")
      }
    }
  }

  private static func hasAddress(_ source: AddressSource, scope: WorkflowScope) async throws
    -> Bool
  {
    try await scope.connection.query(
      """
      select exists (select 1 from (\(source.sql(firstParameter: 1))) a
                     where address is not null and address <> '')
      """, source.values
    ).scalar(as: Bool.self)
  }
}
