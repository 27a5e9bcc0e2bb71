import CharterPostgres
import CharterProtocol
import Foundation
import Testing

/// Reading the replies and rows the member scenarios check.
enum MemberReplies {
  /// The value of the reply line `* <name>: <value …>`, its first word.
  static func value(_ name: String, in reply: String) -> String? {
    for line in reply.split(separator: "\n") where line.hasPrefix("* \(name): ") {
      return line.dropFirst("* \(name): ".count).split(separator: " ").first.map(String.init)
    }
    return nil
  }

  /// The reply as the shell receives it (fields unescaped).
  static func decoded(_ wire: String) throws -> Reply {
    var decoder = ReplyDecoder()
    let replies = try decoder.feed(Array(wire.utf8))
    return try #require(replies.first)
  }
}

extension Harness {
  /// Counts rows of `sql` (a `select count(*)` query) in tenant `slug`.
  func count(_ slug: String, _ sql: String, _ values: [any PostgresEncodable] = []) async throws
    -> Int
  {
    try await inTenant(slug) { connection in
      try await connection.query(sql, values).scalar(as: Int.self)
    }
  }

  /// A text value of `sql` in tenant `slug`.
  func text(_ slug: String, _ sql: String, _ values: [any PostgresEncodable] = []) async throws
    -> String?
  {
    try await inTenant(slug) { connection in
      try await connection.query(sql, values).rows.first?.decode(0, as: String?.self) ?? nil
    }
  }

  /// Every row count a refused command must leave unchanged.
  func footprint(_ slug: String) async throws -> [Int] {
    var counts: [Int] = []
    for table in [
      "members", "membership_applications", "member_register", "decisions", "facts",
      "notice_outbox", "deadline_jobs",
    ] {
      counts.append(try await count(slug, "select count(*)::int from charter.\(table)"))
    }
    return counts
  }

  /// Role mailboxes, so notices to the secretariat and the chair's office have an address.
  func setMailboxes(_ slug: String) async throws {
    try await inTenant(slug) { connection in
      try await connection.query(
        """
        insert into charter.delivery_settings (tenant_id, secretariat_email, chairs_office_email)
        values (charter.current_tenant(), 'secretariat@example.org', 'chair@example.org')
        on conflict (tenant_id) do update
            set secretariat_email = excluded.secretariat_email,
                chairs_office_email = excluded.chairs_office_email
        """, [])
    }
  }
}
