import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// aii, end to end through the admin protocol: the council's attendance consequence (AII
/// art. 13) and its resolutions (AII art. 23: quorum 2/3 of the directors, 2/3 of those
/// present in favour).
@Suite struct AIICouncilTests {
  @Test(
    "AII art. 13: a director unit absent from 3 consecutive council meetings becomes an ordinary member, in its row, the register and an announcement"
  )
  func directorDowngradedAfterThreeAbsences() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("aii")
      let absentee = try await harness.seedMember(
        "aii", name: "缺席科技有限公司", tier: "director", email: "absent@example.com")
      var others: [UUID] = []
      for (name, tier) in [
        ("中国信通院", "chair"), ("海尔卡奥斯", "vice_chair"), ("华为技术", "director"),
        ("树根互联", "director"),
      ] {
        others.append(try await harness.seedMember("aii", name: name, tier: tier))
      }
      let ordinary = try await harness.seedMember(
        "aii", name: "普通会员单位甲", tier: "ordinary", email: "ordinary@example.com")

      let days = ["2026-03-10", "2026-06-10", "2026-09-10"]
      var replies: [String] = []
      for (index, day) in days.enumerated() {
        let meeting = try MeetingReplies.meetingID(
          try await session.expectOK(
            "MEETING SCHEDULE council \(day) \"理事会第\(index + 1)次会议\" mode=correspondence"))
        try await session.expectOK("MEETING NOTICE \(meeting)")
        harness.clock.set(day: day)
        for member in others {
          try await session.expectOK("MEETING ATTENDANCE \(meeting) \(member) present")
        }
        // Not a council member: its attendance is not counted.
        try await session.expectError(
          "CONFLICT", "MEETING ATTENDANCE \(meeting) \(ordinary) present")
        replies.append(try await session.expectOK("MEETING HOLD \(meeting)"))
        if index == 1 {
          let member = try #require(try await harness.member("aii", absentee))
          #expect(member.record?.tier == "director")
          #expect(member.record?.absenceStreaks["council"] == 2)
        }
      }
      #expect(
        MeetingReplies.field("attendance", in: replies[2])
          == "present 4, proxy 0, correspondence 0, excused 0, absent 1")
      #expect(
        replies[2].contains(
          "consequence: 缺席科技有限公司: downgraded (AII art. 13 [interp]) director -> ordinary"))

      let row = try await harness.inTenant("aii") { connection in
        try await connection.query(
          "select tier, status from charter.members where id = $1", [absentee]
        ).rows.first.map { [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)] }
      }
      #expect(row == ["ordinary", "member"])
      let register = try await harness.inTenant("aii") { connection in
        try await connection.query(
          """
          select event, tier, effective_on::text, cause from charter.member_register
          where member_id = $1 order by id desc limit 1
          """, [absentee]
        ).rows.first.map {
          [
            try $0.decode(0, as: String.self), try $0.decode(1, as: String.self),
            try $0.decode(2, as: String.self), try $0.decode(3, as: String.self),
          ]
        }
      }
      #expect(register?[0] == "downgraded")
      #expect(register?[1] == "ordinary")
      #expect(register?[2] == "2026-09-10")
      #expect(register?[3].contains("AII art. 13") == true)
      // Announced to the member and to all members (AII art. 13, RULES.md §1 register).
      let announcement = try await harness.inTenant("aii") { connection in
        try await connection.query(
          """
          select string_agg(recipient, ',' order by recipient), min(body)
          from charter.notice_outbox where notice_kind = 'announcement'
          """, []
        ).rows.first.map { [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)] }
      }
      #expect(announcement?[0].contains("absent@example.com") == true)
      #expect(announcement?[0].contains("ordinary@example.com") == true)
      #expect(announcement?[1].contains("由理事单位调整为普通会员单位") == true)
      #expect(announcement?[1].contains("AII art. 13") == true)
      // No longer a director: no longer in the council.
      let next = try MeetingReplies.meetingID(
        try await session.expectOK("MEETING SCHEDULE council 2026-12-10 \"理事会第4次会议\""))
      harness.clock.set(day: "2026-12-10")
      try await session.expectError("CONFLICT", "MEETING ATTENDANCE \(next) \(absentee) present")
    }
  }

  @Test(
    "AII art. 23: a council resolution with 6 of 9 directors present passes with 4 yes (2/3 of those present) and fails one vote short"
  )
  func councilResolutionNeedsTwoThirdsOfThosePresent() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("aii")
      var directors: [String] = []
      for index in 1...9 {
        let id = try await harness.seedMember("aii", name: "理事单位\(index)", tier: "director")
        directors.append(id.uuidString.lowercased())
      }
      let meeting = try MeetingReplies.meetingID(
        try await session.expectOK("MEETING SCHEDULE council 2026-03-02 \"理事会2026年会议\""))
      // 6 of 9 present: exactly the quorum of 2/3 of the directors.
      for director in directors.prefix(5) {
        try await session.expectOK("MEETING ATTENDANCE \(meeting) \(director) present")
      }
      try await session.expectOK(
        "MEETING ATTENDANCE \(meeting) \(directors[5]) proxy holder=\(directors[0])")
      let d = directors
      let passed = try await session.expectOK(
        "MOTION VOTE \(meeting) \"关于2026年工作计划的决议\" yes=\(d[0]),\(d[1]),\(d[2]),\(d[3]) no=\(d[4]),\(d[5])"
      )
      #expect(MeetingReplies.field("members", in: passed) == "9")
      #expect(MeetingReplies.field("present", in: passed) == "6")
      #expect(MeetingReplies.field("quorum", in: passed) == "6 (>= 2/3 of members, AII art. 23)")
      #expect(MeetingReplies.field("needed", in: passed) == "4 (>= 2/3 of present, AII art. 23)")
      #expect(MeetingReplies.field("yes", in: passed) == "4")
      #expect(MeetingReplies.field("outcome", in: passed) == "passed")
      #expect(passed.contains("decision: passed (AII art. 23"))

      let short = try await session.expectOK(
        "MOTION VOTE \(meeting) \"关于调整会费标准的决议\" yes=\(d[0]),\(d[1]),\(d[2]) no=\(d[3]),\(d[4]) abstain=\(d[5])"
      )
      #expect(MeetingReplies.field("needed", in: short) == "4 (>= 2/3 of present, AII art. 23)")
      #expect(MeetingReplies.field("yes", in: short) == "3")
      #expect(MeetingReplies.field("outcome", in: short) == "failed")

      // An absent director cannot vote.
      try await session.expectError(
        "REFUSED", "MOTION VOTE \(meeting) \"第三项决议\" yes=\(d[0]),\(d[6])")

      let stored = try await harness.inTenant("aii") { connection in
        try await connection.query(
          """
          select title, outcome, arithmetic->>'members', arithmetic->>'present',
                 arithmetic->>'needed', arithmetic->>'yes', ballot
          from charter.motions order by decided_at, title
          """, []
        ).rows.map { row in try (0..<7).map { try row.decode($0, as: String.self) } }
      }
      #expect(
        stored.map { Array($0.dropFirst()) } == [
          ["passed", "9", "6", "4", "4", "named"], ["failed", "9", "6", "4", "3", "named"],
        ])
      // A named ballot keeps each voter's choice.
      let choices = try await harness.inTenant("aii") { connection in
        try await connection.query(
          """
          select b.choice, count(*)::int8 from charter.ballots b
          join charter.motions m on m.tenant_id = b.tenant_id and m.id = b.motion_id
          where m.outcome = 'passed' group by b.choice order by b.choice
          """, []
        ).rows.map { "\(try $0.decode(0, as: String.self))=\(try $0.decode(1, as: Int64.self))" }
      }
      #expect(choices == ["no=2", "yes=4"])

      // The meeting's record shows the motions with their arithmetic.
      try await session.expectOK("MEETING HOLD \(meeting)")
      let shown = try await session.expectOK("MEETING SHOW \(meeting)")
      #expect(
        shown.contains("members 9, present 6, quorum 6, needed 4, yes 4, no 2, abstain 0: passed"))
      #expect(shown.contains("yes 3, no 2, abstain 1: failed"))
      #expect(shown.contains("proxy (held by 理事单位1)"))
      let list = try await session.expectOK("MEETING LIST body=council")
      #expect(list.contains("\t理事会2026年会议\tin_person\theld\t\t2"))
    }
  }

  @Test(
    "AII art. 27: a charter amendment needs 2/3 of the council's members, not of those present, and then goes to the general assembly; with 5 of 9 present the council has no quorum (art. 23)"
  )
  func charterAmendmentAndQuorum() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("aii")
      try await harness.setSecretariatMailbox("aii", "secretariat@aii.example")
      var d: [String] = []
      for index in 1...9 {
        let id = try await harness.seedMember(
          "aii", name: "理事单位\(index)", tier: "director", email: "d\(index)@aii.example")
        d.append(id.uuidString.lowercased())
      }
      let meeting = try MeetingReplies.meetingID(
        try await session.expectOK("MEETING SCHEDULE council 2026-03-02 \"理事会临时会议\""))
      for director in d.prefix(7) {
        try await session.expectOK("MEETING ATTENDANCE \(meeting) \(director) present")
      }
      // 5 of 7 present would pass an ordinary resolution, not an amendment: 6 of 9 needed.
      let short = try await session.expectOK(
        "MOTION VOTE \(meeting) \"章程修正案\" matter=charter_amendment yes=\(d[0...4].joined(separator: ",")) no=\(d[5]),\(d[6])"
      )
      #expect(MeetingReplies.field("needed", in: short) == "6 (>= 2/3 of members, AII art. 27)")
      #expect(MeetingReplies.field("outcome", in: short) == "failed")
      let passed = try await session.expectOK(
        "MOTION VOTE \(meeting) \"章程修正案（第二稿）\" matter=charter_amendment yes=\(d[0...5].joined(separator: ",")) no=\(d[6])"
      )
      #expect(MeetingReplies.field("outcome", in: passed) == "passed")
      let request = try await harness.inTenant("aii") { connection in
        try await connection.query(
          """
          select count(*)::int8, bool_or(recipient = 'secretariat@aii.example'), min(subject)
          from charter.notice_outbox where notice_kind = 'request'
          """, []
        ).rows.first.map {
          (
            try $0.decode(0, as: Int64.self), try $0.decode(1, as: Bool.self),
            try $0.decode(2, as: String.self)
          )
        }
      }
      // The secretariat and the general assembly (all 9 members) are asked.
      #expect(request?.0 == 10)
      #expect(request?.1 == true)
      #expect(request?.2.contains("general_assembly") == true)

      let thin = try MeetingReplies.meetingID(
        try await session.expectOK("MEETING SCHEDULE council 2026-03-02 \"理事会第二次临时会议\""))
      for director in d.prefix(5) {
        try await session.expectOK("MEETING ATTENDANCE \(thin) \(director) present")
      }
      let noQuorum = try await session.expectOK(
        "MOTION VOTE \(thin) \"关于年度预算的决议\" yes=\(d[0...4].joined(separator: ","))")
      #expect(MeetingReplies.field("quorum", in: noQuorum) == "6 (>= 2/3 of members, AII art. 23)")
      #expect(MeetingReplies.field("outcome", in: noQuorum) == "no_quorum")
      #expect(noQuorum.contains("decision: no_quorum (AII art. 23"))
    }
  }
}
