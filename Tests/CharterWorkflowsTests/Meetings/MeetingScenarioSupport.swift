import CharterPostgres
import Foundation

@testable import CharterWorkflows

/// What the meeting scenarios share: reading a reply's fields and counting rows.
enum MeetingReplies {
  /// The value of a `* name: value` line of a reply.
  static func field(_ name: String, in reply: String) -> String? {
    for line in reply.split(separator: "\n") where line.hasPrefix("* \(name): ") {
      return String(line.dropFirst("* \(name): ".count))
    }
    return nil
  }

  static func meetingID(_ reply: String) throws -> String {
    guard let id = field("meeting", in: reply) else {
      throw HarnessError("no meeting id in:\n\(reply)")
    }
    return id
  }
}

extension Harness {
  /// The number of rows of each table a meeting command writes, to show a refused command
  /// changed nothing.
  func meetingFootprint(_ slug: String) async throws -> [String: Int64] {
    try await inTenant(slug) { connection in
      var counts: [String: Int64] = [:]
      for table in [
        "meetings", "decisions", "facts", "deadline_jobs", "notice_outbox", "meeting_attendance",
        "motions", "ballots", "member_register",
      ] {
        counts[table] = try await connection.query(
          "select count(*)::int8 from charter.\(table)", []
        ).scalar(as: Int64.self)
      }
      return counts
    }
  }

  /// Sets the secretariat's mailbox (escalations and role notices go there).
  func setSecretariatMailbox(_ slug: String, _ address: String) async throws {
    try await inTenant(slug) { connection in
      try await connection.query(
        """
        insert into charter.delivery_settings (tenant_id, secretariat_email)
        values (charter.current_tenant(), $1)
        on conflict (tenant_id) do update set secretariat_email = excluded.secretariat_email
        """, [address])
    }
  }
}
