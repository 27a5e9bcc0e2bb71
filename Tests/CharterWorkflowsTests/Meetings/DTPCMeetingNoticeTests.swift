import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// dtpc-nmi, end to end through the admin protocol: the joint meeting's notice period
/// (DTPC art. 20: the agenda 15 days before), its override, the notice with an iCalendar
/// invitation, the escalation of a notice not sent, and the loss of a seat (DTPC art. 19).
@Suite struct DTPCMeetingNoticeTests {
  @Test(
    "DTPC art. 20: a joint meeting 14 days ahead is refused and changes nothing; 15 days ahead is accepted with its notice job; the notice reaches the seat holders with an invitation"
  )
  func noticePeriodOfTheJointMeeting() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      let director = try await harness.seedMember(
        "dtpc-nmi", name: "中铝数字科技", tier: "director", email: "director@chalco.example",
        seats: ["joint_meeting"])
      let vice = try await harness.seedMember(
        "dtpc-nmi", name: "金川集团信息公司", tier: "vice_director", email: "vice@jinchuan.example",
        seats: ["joint_meeting"])
      try await harness.seedMember(
        "dtpc-nmi", name: "某有色成员单位", tier: "member", email: "member@example.com")

      // 2026-03-16 is 14 days after today: the notice had to go out by 2026-03-01.
      let before = try await harness.meetingFootprint("dtpc-nmi")
      let refused = try await session.expectError(
        "REFUSED", "MEETING SCHEDULE joint_meeting 2026-03-16 \"2026年第一次主任联席会\" agenda=\"年度工作计划\"")
      #expect(refused.contains("DTPC art. 20"))
      #expect(refused.contains("2026-03-01"))
      #expect(refused.contains("通知"))
      #expect(try await harness.meetingFootprint("dtpc-nmi") == before)

      // 2026-03-17 is 15 days ahead: the notice is due by today, the job falls due tonight.
      let scheduled = try await session.expectOK(
        "MEETING SCHEDULE joint_meeting 2026-03-17 \"2026年第一次主任联席会\" agenda=\"1. 年度工作计划\\n2. 资金使用情况\" location=\"北京市海淀区\" start=14:00 end=17:30"
      )
      let meeting = try MeetingReplies.meetingID(scheduled)
      #expect(MeetingReplies.field("notice due by", in: scheduled) == "2026-03-02")
      #expect(scheduled.contains("decision: meetingScheduled (DTPC art. 20"))
      let job = try await harness.inTenant("dtpc-nmi") { connection in
        try await connection.query(
          """
          select kind, (due_at at time zone 'Asia/Shanghai')::date::text, state
          from charter.deadline_jobs where unique_key = $1
          """, ["meeting-notice:\(meeting)"]
        ).rows.first.map {
          [
            try $0.decode(0, as: String.self), try $0.decode(1, as: String.self),
            try $0.decode(2, as: String.self),
          ]
        }
      }
      #expect(job == ["governance.meetingNotice", "2026-03-02", "pending"])

      // The notice: to the two seat holders (not the ordinary member), Chinese first, with
      // the agenda and an RFC 5545 invitation in the tenant's zone.
      let noticed = try await session.expectOK("MEETING NOTICE \(meeting)")
      #expect(MeetingReplies.field("members noticed", in: noticed) == "2")
      #expect(noticed.contains("decision: noticeSent (DTPC art. 20"))
      let outbox = try await harness.inTenant("dtpc-nmi") { connection in
        try await connection.query(
          """
          select recipient, subject, body, attachments::text from charter.notice_outbox
          where notice_kind = 'information' order by recipient
          """, []
        ).rows.map {
          (
            try $0.decode(0, as: String.self), try $0.decode(1, as: String.self),
            try $0.decode(2, as: String.self), try $0.decode(3, as: String.self)
          )
        }
      }
      #expect(outbox.map(\.0) == ["director@chalco.example", "vice@jinchuan.example"])
      let notice = try #require(outbox.first)
      #expect(notice.1.hasPrefix("【通知】"))
      #expect(notice.1.contains("主任联席会"))
      #expect(notice.2.contains("资金使用情况"))
      #expect(notice.2.contains("DTPC art. 20"))
      #expect(notice.3.contains("text/calendar; method=REQUEST"))
      #expect(notice.3.contains("DTSTART;TZID=Asia/Shanghai:20260317T140000"))
      #expect(notice.3.contains("DTEND;TZID=Asia/Shanghai:20260317T173000"))
      #expect(notice.3.contains("TZID:Asia/Shanghai"))
      let after = try await harness.inTenant("dtpc-nmi") { connection in
        (
          try await connection.query(
            "select state from charter.deadline_jobs where unique_key = $1",
            ["meeting-notice:\(meeting)"]
          ).scalar(as: String.self),
          try await connection.query(
            "select status from charter.meetings where id = $1::uuid", [meeting]
          ).scalar(as: String.self)
        )
      }
      #expect(after.0 == "cancelled")
      #expect(after.1 == "notice_sent")
      // A notice goes out once.
      try await session.expectError("CONFLICT", "MEETING NOTICE \(meeting)")
      _ = director
      _ = vice
    }
  }

  @Test(
    "DTPC art. 20: a late joint meeting with override=<reason> is recorded with its reason, a warning and no notice job"
  )
  func overriddenNoticePeriod() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      try await harness.seedMember(
        "dtpc-nmi", name: "中铝数字科技", tier: "director", seats: ["joint_meeting"])
      let reply = try await session.expectOK(
        "MEETING SCHEDULE joint_meeting 2026-03-16 \"临时主任联席会\" override=\"安全生产紧急事项，须于两周内议定\""
      )
      let meeting = try MeetingReplies.meetingID(reply)
      #expect(reply.contains("decision: noticeOverridden (DTPC art. 20"))
      #expect(reply.contains("warning: noticePeriodOverridden"))
      #expect(
        MeetingReplies.field("notice period overridden", in: reply) == "安全生产紧急事项，须于两周内议定")
      let stored = try await harness.inTenant("dtpc-nmi") { connection in
        (
          try await connection.query(
            """
            select details->>'reason' from charter.facts
            where kind = 'meetingNoticeOverridden' and subject = $1
            """, ["meeting:\(meeting)"]
          ).scalar(as: String.self),
          try await connection.query(
            "select article from charter.decisions where subject = $1 and code = 'noticeOverridden'",
            ["meeting:\(meeting)"]
          ).scalar(as: String.self),
          try await connection.query(
            "select count(*)::int8 from charter.deadline_jobs where unique_key = $1",
            ["meeting-notice:\(meeting)"]
          ).scalar(as: Int64.self),
          try await connection.query(
            "select state->>'noticeOverride' from charter.meetings where id = $1::uuid", [meeting]
          ).scalar(as: String.self)
        )
      }
      #expect(stored.0 == "安全生产紧急事项，须于两周内议定")
      #expect(stored.1 == "DTPC art. 20")
      #expect(stored.2 == 0)
      #expect(stored.3 == "安全生产紧急事项，须于两周内议定")
      // The overridden meeting may be held and may vote although the notice goes out late.
      try await session.expectOK("MEETING NOTICE \(meeting)")
      harness.clock.set(day: "2026-03-16")
      try await session.expectOK("MEETING HOLD \(meeting)")
    }
  }

  @Test(
    "DTPC art. 20: a notice not sent by its latest day is escalated to the secretariat, and the meeting cannot be held"
  )
  func unsentNoticeIsEscalated() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      try await harness.setSecretariatMailbox("dtpc-nmi", "secretariat@dtpc.example")
      try await harness.seedMember(
        "dtpc-nmi", name: "中铝数字科技", tier: "director", seats: ["joint_meeting"])
      let meeting = try MeetingReplies.meetingID(
        try await session.expectOK("MEETING SCHEDULE joint_meeting 2026-03-20 \"主任联席会\""))
      // The latest notice day is 2026-03-05; the job falls due at its end.
      harness.clock.set(day: "2026-03-05")
      #expect(try await harness.fireDueJobs("dtpc-nmi") == [])
      harness.clock.set(day: "2026-03-06")
      #expect(try await harness.fireDueJobs("dtpc-nmi") == ["governance.meetingNotice"])
      let escalation = try await harness.inTenant("dtpc-nmi") { connection in
        try await connection.query(
          """
          select recipient, subject from charter.notice_outbox where notice_kind = 'escalation'
          """, []
        ).rows.map { [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)] }
      }
      #expect(escalation.count == 1)
      #expect(escalation.first?[0] == "secretariat@dtpc.example")
      #expect(escalation.first?[1].contains("2026-03-05") == true)
      let decision = try await harness.inTenant("dtpc-nmi") { connection in
        try await connection.query(
          "select code || ' ' || article || ' ' || recorded_by from charter.decisions where subject = $1 order by id desc limit 1",
          ["meeting:\(meeting)"]
        ).scalar(as: String.self)
      }
      #expect(decision == "noticeOverdue DTPC art. 20 system")
      // A late notice is recorded as late; the meeting still may not be held (no override).
      let late = try await session.expectOK("MEETING NOTICE \(meeting)")
      #expect(late.contains("warning: noticeLate"))
      harness.clock.set(day: "2026-03-20")
      let refused = try await session.expectError("REFUSED", "MEETING HOLD \(meeting)")
      #expect(refused.contains("DTPC art. 20"))
    }
  }

  @Test(
    "DTPC art. 19: a seat holder absent 3 consecutive times without cause loses its seat; an excused absence in between neither breaks nor extends the run"
  )
  func seatLostAfterThreeUnexcusedAbsences() async throws {
    try await Harness.with(start: "2026-01-05") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      let absentee = try await harness.seedMember(
        "dtpc-nmi", name: "缺席单位", tier: "vice_director", email: "absent@example.com",
        seats: ["joint_meeting"])
      let present = try await harness.seedMember(
        "dtpc-nmi", name: "出席单位", tier: "director", seats: ["joint_meeting"])
      let days = ["2026-02-02", "2026-03-02", "2026-04-01", "2026-05-06"]
      var meetings: [String] = []
      for (index, day) in days.enumerated() {
        let reply = try await session.expectOK(
          "MEETING SCHEDULE joint_meeting \(day) \"第\(index + 1)次主任联席会\"")
        let meeting = try MeetingReplies.meetingID(reply)
        try await session.expectOK("MEETING NOTICE \(meeting)")
        meetings.append(meeting)
      }
      var replies: [String] = []
      for (index, meeting) in meetings.enumerated() {
        harness.clock.set(day: days[index])
        try await session.expectOK("MEETING ATTENDANCE \(meeting) \(present) present")
        // Meetings 1, 2 and 4: absent without cause (unrecorded); meeting 3: excused.
        if index == 2 {
          try await session.expectOK("MEETING ATTENDANCE \(meeting) \(absentee) excused")
        }
        replies.append(try await session.expectOK("MEETING HOLD \(meeting)"))
      }
      #expect(!replies[2].contains("seat lost"))
      // Taking part is an activity (DTPC art. 16(2)): the present unit's inactivity deadline
      // moves to 2 years after its last meeting.
      #expect(replies[3].contains("activity recorded: 1 member (DTPC art. 16(2)"))
      let inactivity = try await harness.inTenant("dtpc-nmi") { connection in
        try await connection.query(
          """
          select (due_at at time zone 'Asia/Shanghai')::date::text from charter.deadline_jobs
          where unique_key = $1 and state = 'pending'
          """, ["inactivity-exit:\(present.uuidString.lowercased())"]
        ).scalar(as: String.self)
      }
      #expect(inactivity == "2028-05-06")
      #expect(replies[3].contains("consequence: 缺席单位: seat lost (DTPC art. 19)"))
      let member = try #require(try await harness.member("dtpc-nmi", absentee))
      #expect(member.record?.seats.contains("joint_meeting") == false)
      #expect(member.record?.tier == "vice_director")
      let register = try await harness.inTenant("dtpc-nmi") { connection in
        try await connection.query(
          "select event, effective_on::text from charter.member_register where member_id = $1 order by id",
          [absentee]
        ).rows.map { [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)] }
      }
      #expect(register.last == ["seat_lost", "2026-05-06"])
      // It no longer sits in the joint meeting: its attendance is refused.
      let next = try MeetingReplies.meetingID(
        try await session.expectOK("MEETING SCHEDULE joint_meeting 2026-06-01 \"第5次主任联席会\""))
      try await session.expectOK("MEETING NOTICE \(next)")
      harness.clock.set(day: "2026-06-01")
      try await session.expectError("CONFLICT", "MEETING ATTENDANCE \(next) \(absentee) present")
    }
  }
}
