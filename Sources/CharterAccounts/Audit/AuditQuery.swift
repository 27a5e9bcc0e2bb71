import CharterPostgres
import CharterProtocol
import Foundation

/// AUDIT TAIL and AUDIT SEARCH: the newest rows of one log, filtered. Times are shown in
/// Asia/Shanghai (UTC+8, no daylight saving), the zone the charters' deadlines use.
enum AuditQuery {
  static let columns = ["at", "admin", "tenant", "address", "command", "outcome", "detail"]

  struct Filter: Sendable {
    var admin: String?
    var commandPrefix: String?
    /// true: only successes; false: only failures and refusals.
    var succeeded: Bool?
    var from: PostgresDate?
    var to: PostgresDate?
    var limit: Int
  }

  private static let selectList = """
    to_char(a.occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
    a.actor, coalesce(t.slug, a.detail->>'tenant', ''), coalesce(a.detail->>'address', ''),
    a.command, case when a.outcome = 'succeeded' then 'ok' else 'error' end,
    concat_ws(': ', a.detail->>'code', a.detail->>'note')
    """

  private static let conditions = """
    ($1::text is null or a.actor = $1::text)
    and ($2::text is null or starts_with(upper(a.command), upper($2::text)))
    and ($3::boolean is null or (a.outcome = 'succeeded') = $3::boolean)
    and ($4::date is null or a.occurred_at >= ($4::date::timestamp at time zone 'Asia/Shanghai'))
    and ($5::date is null or a.occurred_at < (($5::date + 1)::timestamp at time zone 'Asia/Shanghai'))
    """

  static func rows(_ filter: Filter, in target: AuditTarget, on connection: PostgresConnection)
    async throws -> [[String]]
  {
    let sql: String
    switch target {
    case .tenant:
      sql = """
        select \(selectList)
        from charter.audit_log a join charter.tenants t on t.id = a.tenant_id
        where a.tenant_id = charter.current_tenant() and \(conditions)
        order by a.occurred_at desc, a.id desc limit $6
        """
    case .installation:
      sql = """
        select \(selectList)
        from charter.installation_audit_log a left join charter.tenants t on t.id = a.target_tenant_id
        where \(conditions)
        order by a.occurred_at desc, a.id desc limit $6
        """
    }
    let result = try await connection.query(
      sql,
      [
        filter.admin, filter.commandPrefix, filter.succeeded, filter.from, filter.to, filter.limit,
      ])
    return try result.rows.map { row in
      try (0..<columns.count).map { try row.decode($0, as: String.self) }
    }
  }

  /// An instant as the audit shows it: `2026-11-21T08:05:40+08:00`.
  static func format(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    func pad(_ value: Int?, _ width: Int) -> String {
      let text = String(value ?? 0)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return
      "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))+08:00"
  }
}
