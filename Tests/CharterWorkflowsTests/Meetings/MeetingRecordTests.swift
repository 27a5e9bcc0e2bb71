import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// The archive of meetings (RULES.md §5): cancellation, minutes, the paged listing and the
/// audit of each command.
@Suite struct MeetingRecordTests {
  @Test(
    "DTPC art. 20: cancelling a noticed meeting tells the members, cancels nothing twice and is audited; a cancelled meeting is closed"
  )
  func cancellationTellsTheNoticedMembers() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      try await harness.seedMember(
        "dtpc-nmi", name: "中铝数字科技", tier: "director", email: "director@chalco.example",
        seats: ["joint_meeting"])
      let noticed = try MeetingReplies.meetingID(
        try await session.expectOK("MEETING SCHEDULE joint_meeting 2026-04-20 \"第二次主任联席会\""))
      try await session.expectOK("MEETING NOTICE \(noticed)")
      let unnoticed = try MeetingReplies.meetingID(
        try await session.expectOK("MEETING SCHEDULE joint_meeting 2026-05-20 \"第三次主任联席会\""))

      let reply = try await session.expectOK("MEETING CANCEL \(noticed) \"改期至五月\"")
      #expect(reply.contains("decision: meetingCancelled (DTPC art. 19)"))
      try await session.expectOK("MEETING CANCEL \(unnoticed) \"并入五月会议\"")
      try await session.expectError("CONFLICT", "MEETING CANCEL \(noticed) \"再次取消\"")
      try await session.expectError("CONFLICT", "MEETING NOTICE \(unnoticed)")

      let stored = try await harness.inTenant("dtpc-nmi") { connection in
        (
          try await connection.query(
            """
            select recipient, subject from charter.notice_outbox
            where subject like '%取消%' order by recipient
            """, []
          ).rows.map { [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)] },
          try await connection.query(
            """
            select string_agg(status || ':' || coalesce(cancel_reason, ''), ',' order by held_on)
            from charter.meetings
            """, []
          ).scalar(as: String.self),
          try await connection.query(
            "select state from charter.deadline_jobs where unique_key = $1",
            ["meeting-notice:\(unnoticed)"]
          ).scalar(as: String.self),
          try await connection.query(
            """
            select string_agg(outcome, ',' order by id) from charter.audit_log
            where command like 'MEETING CANCEL%'
            """, []
          ).scalar(as: String.self)
        )
      }
      // Only the noticed meeting's members are told; its reason is in the notice.
      #expect(stored.0.count == 1)
      #expect(stored.0.first?[0] == "director@chalco.example")
      #expect(stored.0.first?[1].contains("改期至五月") == true)
      #expect(stored.1 == "cancelled:改期至五月,cancelled:并入五月会议")
      #expect(stored.2 == "cancelled")
      #expect(stored.3 == "succeeded,succeeded,failed")
    }
  }

  @Test(
    "AII art. 23: minutes are attached to a held meeting only, amended with the history kept; the listing pages latest first"
  )
  func minutesAndListing() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("aii")
      let director = try await harness.seedMember("aii", name: "华为技术", tier: "director")
      var meetings: [String] = []
      for day in ["2026-03-02", "2026-06-02", "2026-09-02"] {
        meetings.append(
          try MeetingReplies.meetingID(
            try await session.expectOK("MEETING SCHEDULE council \(day) \"理事会 \(day)\"")))
      }
      try await session.expectError("CONFLICT", "MEETING MINUTES \(meetings[0]) \"会前不能有纪要\"")
      try await session.expectOK("MEETING ATTENDANCE \(meetings[0]) \(director) present")
      try await session.expectOK("MEETING HOLD \(meetings[0])")
      try await session.expectError(
        "CONFLICT", "MEETING ATTENDANCE \(meetings[0]) \(director) absent")
      // Attendance is taken from the meeting day on.
      try await session.expectError(
        "CONFLICT", "MEETING ATTENDANCE \(meetings[1]) \(director) present")

      let first = try await session.expectOK("MEETING MINUTES \(meetings[0]) \"审议通过2026年工作计划。\"")
      #expect(first.contains("decision: minutesRecorded (AII art. 22)"))
      let amended = try await session.expectOK(
        "MEETING MINUTES \(meetings[0]) \"审议通过2026年工作计划（修订稿）。\"")
      #expect(amended.contains("decision: minutesAmended"))
      let shown = try await session.expectOK("MEETING SHOW \(meetings[0])")
      #expect(shown.contains("* minutes\t审议通过2026年工作计划（修订稿）。"))
      #expect(shown.contains("* attendance 华为技术\tpresent"))
      let firstMeeting = meetings[0]
      let history = try await harness.inTenant("aii") { connection in
        try await connection.query(
          """
          select string_agg(detail->>'minutes', '|' order by id) from charter.decisions
          where subject = $1 and code like 'minutes%'
          """, ["meeting:\(firstMeeting)"]
        ).scalar(as: String.self)
      }
      #expect(history == "审议通过2026年工作计划。|审议通过2026年工作计划（修订稿）。")

      // Latest first, two per page, then the rest from the cursor.
      let page = try await session.expectOK("MEETING LIST limit=2")
      let status = ScenarioSession.status(of: page)
      #expect(status.hasPrefix("OK 2 meetings; more: after="))
      let rows = page.split(separator: "\n").filter { $0.hasPrefix("* ") }
      #expect(rows.map { $0.split(separator: "\t")[1] } == ["2026-09-02", "2026-06-02"])
      let cursor = String(status.split(separator: "after=")[1])
      let next = try await session.expectOK("MEETING LIST limit=2 after=\(cursor)")
      let nextRows = next.split(separator: "\n").filter { $0.hasPrefix("* ") }
      #expect(nextRows.count == 1)
      #expect(nextRows.first?.contains("\t2026-03-02\t") == true)
      #expect(nextRows.first?.contains("\theld\t") == true)
      #expect(ScenarioSession.status(of: next) == "OK 1 meeting")
      let held = try await session.expectOK("MEETING LIST status=held")
      #expect(ScenarioSession.status(of: held) == "OK 1 meeting")
    }
  }
}
