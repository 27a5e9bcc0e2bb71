import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// zgc-ai, end to end through the admin protocol: the fee rules (会费收取管理办法) were adopted
/// by secret ballot (无记名投票). RULES.md §5: a secret ballot stores who voted, for turnout and
/// quorum, but never links a voter to a choice.
@Suite struct ZGCSecretBallotTests {
  @Test(
    "zgc-ai report: a secret ballot on the fee rules stores who voted and the totals, and no table links a voter to a choice"
  )
  func secretBallotKeepsNoVotersChoice() async throws {
    try await Harness.with(start: "2026-04-09") { harness in
      let session = try await harness.tenant("zgc-ai")
      var members: [String] = []
      for index in 1...6 {
        let id = try await harness.seedMember("zgc-ai", name: "会员单位\(index)", tier: "member")
        members.append(id.uuidString.lowercased())
      }
      let meeting = try MeetingReplies.meetingID(
        try await session.expectOK(
          "MEETING SCHEDULE general_assembly 2026-04-09 \"第一届第二次会员大会\" location=\"中关村\""))
      for member in members.prefix(5) {
        try await session.expectOK("MEETING ATTENDANCE \(meeting) \(member) present")
      }
      let voters = members.prefix(5).joined(separator: ",")
      // The fee rules are voted by secret ballot: a show of hands is refused with the rule.
      let wrong = try await session.expectError(
        "REFUSED",
        "MOTION VOTE \(meeting) \"会费收取管理办法\" matter=fee_rules ballot=show_of_hands yes=\(members[5])"
      )
      #expect(wrong.contains("zgc-ai report"))
      // A secret ballot's counts must add up to its voters.
      try await session.expectError(
        "BAD_ARGUMENTS",
        "MOTION VOTE \(meeting) \"会费收取管理办法\" matter=fee_rules voters=\(voters) yes=3 no=1")

      let reply = try await session.expectOK(
        "MOTION VOTE \(meeting) \"会费收取管理办法\" matter=fee_rules voters=\(voters) yes=3 no=1 abstain=1"
      )
      #expect(MeetingReplies.field("ballot", in: reply) == "secret")
      #expect(MeetingReplies.field("members", in: reply) == "6")
      #expect(MeetingReplies.field("present", in: reply) == "5")
      #expect(MeetingReplies.field("voted", in: reply) == "5")
      #expect(
        MeetingReplies.field("needed", in: reply) == "3 (>= 1/2 of present, zgc-ai report [interp])"
      )
      #expect(MeetingReplies.field("outcome", in: reply) == "passed")

      let stored = try await harness.inTenant("zgc-ai") { connection in
        (
          try await connection.query(
            """
            select count(*)::int8, count(choice)::int8, bool_and(ballot = 'secret'),
                   string_agg(member_id::text, ',' order by member_id)
            from charter.ballots
            """, []
          ).rows.first.map {
            (
              try $0.decode(0, as: Int64.self), try $0.decode(1, as: Int64.self),
              try $0.decode(2, as: Bool.self), try $0.decode(3, as: String.self)
            )
          },
          try await connection.query(
            "select arithmetic::text from charter.motions", []
          ).scalar(as: String.self)
        )
      }
      #expect(stored.0?.0 == 5)
      #expect(stored.0?.1 == 0)
      #expect(stored.0?.2 == true)
      #expect(stored.0?.3 == members.prefix(5).sorted().joined(separator: ","))
      #expect(stored.1.contains("\"yes\": 3"))
      #expect(stored.1.contains("\"no\": 1"))
      #expect(stored.1.contains("\"abstain\": 1"))
      // The schema itself refuses a choice on a secret ballot row.
      let firstVoter = members[0]
      await #expect(throws: (any Error).self) {
        try await harness.inTenant("zgc-ai") { connection in
          try await connection.query(
            "update charter.ballots set choice = 'yes' where member_id = $1::uuid", [firstVoter])
        }
      }

      // No row of any table links a voter to a choice.
      let links = try await Self.voterChoiceLinks(
        harness: harness, voters: Array(members.prefix(5)))
      #expect(links.isEmpty, "\(links)")

      // The check is not blind: a show-of-hands vote, which keeps each choice, is found.
      try await session.expectOK(
        "MOTION VOTE \(meeting) \"筹备工作报告\" matter=work_report yes=\(voters)")
      let shown = try await Self.voterChoiceLinks(
        harness: harness, voters: Array(members.prefix(5)))
      #expect(shown.contains { $0.hasPrefix("charter.ballots:") }, "\(shown)")
    }
  }

  /// Every row of every table of the schema, as text, in which a voter's id stands next to
  /// a choice (`<voter>…yes`, `"<voter>": "no"`, `(…,<voter>,named,abstain)`, …); ids are
  /// hexadecimal, so a choice word near one is never part of another id.
  static func voterChoiceLinks(harness: Harness, voters: [String]) async throws -> [String] {
    try await harness.inTenant("zgc-ai") { connection in
      let tables = try await connection.query(
        """
        select c.oid::regclass::text from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'charter' and c.relkind in ('r', 'p')
          and has_table_privilege(c.oid, 'select')
        order by c.relname
        """, []
      ).rows.map { try $0.decode(0, as: String.self) }
      var links: [String] = []
      for table in tables {
        let rows = try await connection.query(
          "select t::text from \(table) t", []
        ).rows.map { try $0.decode(0, as: String.self) }
        for text in rows {
          for voter in voters where text.contains(voter) {
            let after = try Regex("\(voter)[^\\n]{0,24}?\\b(yes|no|abstain)\\b")
            let before = try Regex("\\b(yes|no|abstain)\\b\"*\\s*[:=]\\s*\"*[^\"]{0,40}\(voter)")
            if text.contains(after) || text.contains(before) {
              links.append("\(table): \(text.prefix(300))")
            }
          }
        }
      }
      return links
    }
  }
}
