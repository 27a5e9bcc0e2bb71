import CharterCalendar
import CharterGovernance
import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// DTPC art. 27: the leadership meeting meets at least once a quarter. The secretariat is
/// warned when a quarter is short and fewer than 30 days per missing meeting are left
/// [interp]; one `minimumMeetings` job is kept pending per body.
@Suite struct MinimumMeetingsScenarioTests {
  @Test func dtpcLeadershipMeetingBelowItsQuarterlyMinimumWarnsTheSecretariat() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      try await harness.setSecretariatMailbox("dtpc-nmi", "office@dtpc.example.org")
      let pendingJobs = {
        try await harness.texts(
          "dtpc-nmi",
          """
          select unique_key || ' ' || (due_at at time zone 'Asia/Shanghai')::date
          from charter.deadline_jobs
          where kind = 'governance.minimumMeetings' and state = 'pending' order by unique_key
          """)
      }
      // CHARTER LOAD on 2 March: Q1 is already inside its warning window (from 1 March), so
      // the first check is Q2's, 30 days before its end [interp].
      #expect(
        try await pendingJobs() == [
          "minimum-meetings:body:leadership_meeting:2026-04-01 2026-05-31"
        ])

      // 5 June: no leadership meeting held in Q2, 25 days left → warning.
      harness.clock.set(day: "2026-06-05")
      let reply = try await session.expectOK("MEETINGS CHECK body=leadership_meeting")
      #expect(
        reply.contains(
          "* leadership_meeting\tbody:leadership_meeting\t2026-04-01\t2026-06-30\t0\t1\tbelowMinimum (secretariat warned)\t2026-08-31"
        ))
      #expect(reply.hasSuffix("OK 1 checked, 1 below the minimum and warned\n"))
      let warnings = try await harness.texts(
        "dtpc-nmi",
        "select recipient || ' ' || body from charter.notice_outbox where notice_kind = 'warning'")
      #expect(warnings.count == 1)
      #expect(warnings.first?.hasPrefix("office@dtpc.example.org ") == true)
      #expect(warnings.first?.contains("至少须开 1 次") == true)
      // The Q2 job is replaced by Q3's.
      #expect(
        try await pendingJobs() == [
          "minimum-meetings:body:leadership_meeting:2026-07-01 2026-08-31"
        ])
      let decision = try await harness.texts(
        "dtpc-nmi",
        "select code || ' ' || article from charter.decisions where subject = 'body:leadership_meeting'"
      )
      #expect(decision == ["belowMinimum DTPC art. 27"])

      // A leadership meeting is held on 15 July (a joint meeting does not count): on 31 August
      // the minimum is met, no warning; the next check is Q4's.
      try await harness.seedHeldMeeting("dtpc-nmi", body: "leadership_meeting", on: "2026-07-15")
      try await harness.seedHeldMeeting("dtpc-nmi", body: "joint_meeting", on: "2026-07-16")
      harness.clock.set(day: "2026-09-01")
      #expect(try await harness.fireDueJobs("dtpc-nmi") == ["governance.minimumMeetings"])
      #expect(
        try await pendingJobs() == [
          "minimum-meetings:body:leadership_meeting:2026-10-01 2026-12-01"
        ])
      let codes = try await harness.texts(
        "dtpc-nmi",
        "select code from charter.decisions where subject = 'body:leadership_meeting' order by id")
      #expect(codes == ["belowMinimum", "minimumMet"])

      // Q4 without a meeting: the job of 1 December warns the secretariat again.
      harness.clock.set(day: "2026-12-02")
      #expect(try await harness.fireDueJobs("dtpc-nmi") == ["governance.minimumMeetings"])
      let allWarnings = try await harness.texts(
        "dtpc-nmi", "select recipient from charter.notice_outbox where notice_kind = 'warning'")
      #expect(allWarnings.count == 2)
    }
  }
}

/// AITISA art. 10.1: each working group holds at least two meetings a year; the check runs
/// per group and warns the secretariat and the group's leader.
@Suite struct WorkingGroupMinimumMeetingsTests {
  @Test func aitisaGroupWithOneMeetingInNovemberIsWarned() async throws {
    try await Harness.with(start: "2026-11-10") { harness in
      let session = try await harness.tenant("aitisa")
      try await harness.setSecretariatMailbox("aitisa", "office@aitisa.example.org")
      let lead = try await harness.seedMember(
        "aitisa", name: "北京组长单位", tier: "member", email: "lead@example.com")
      let other = try await harness.seedMember("aitisa", name: "天津成员单位", tier: "member")
      let short = try await harness.seedWorkingGroup(
        "aitisa", name: "大模型推进组", members: [lead, other])
      let busy = try await harness.seedWorkingGroup("aitisa", name: "算力推进组", members: [other])
      try await harness.seedHeldMeeting(
        "aitisa", body: "working_group_meeting", on: "2026-05-10", group: short)
      try await harness.seedHeldMeeting(
        "aitisa", body: "working_group_meeting", on: "2026-03-10", group: busy)
      try await harness.seedHeldMeeting(
        "aitisa", body: "working_group_meeting", on: "2026-09-10", group: busy)
      let reply = try await session.expectOK("MEETINGS CHECK")
      let s = short.uuidString.lowercased()
      let b = busy.uuidString.lowercased()
      // One meeting missing and 51 days left: the warning starts 30 days before the year ends
      // [interp], so the job is set for 1 December.
      #expect(
        reply.contains(
          "* working_group_meeting\tworking-group:\(s)\t2026-01-01\t2026-12-31\t1\t2\tbelowMinimum\t2026-12-01"
        ))
      #expect(
        reply.contains(
          "* working_group_meeting\tworking-group:\(b)\t2026-01-01\t2026-12-31\t2\t2\tminimumMet\t2027-11-01"
        ))
      // 2 December: the job warns the secretariat and the group's leader.
      harness.clock.set(day: "2026-12-02")
      #expect(try await harness.fireDueJobs("aitisa") == ["governance.minimumMeetings"])
      let warned = try await harness.texts(
        "aitisa", "select recipient from charter.notice_outbox where notice_kind = 'warning'")
      #expect(Set(warned) == ["office@aitisa.example.org", "lead@example.com"])
    }
  }
}
