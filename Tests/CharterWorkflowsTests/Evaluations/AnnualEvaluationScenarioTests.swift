import CharterCalendar
import CharterGovernance
import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// AITISA art. 11: the group reports in writing to the secretariat, the secretariat rates, the
/// chair's office approves, the result is published; excellent → commendation, failing →
/// warning and rectification.
@Suite struct AnnualEvaluationScenarioTests {
  @Test func aitisaEvaluationCycleFromRequestToPublicationWithItsJobs() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("aitisa")
      try await harness.setSecretariatMailbox("aitisa", "office@aitisa.example.org")
      let leadA = try await harness.seedMember(
        "aitisa", name: "北京甲科技", tier: "member", email: "lead-a@example.com")
      let memberA = try await harness.seedMember(
        "aitisa", name: "上海乙智能", tier: "member", email: "member-a@example.com")
      let leadB = try await harness.seedMember(
        "aitisa", name: "深圳丙数据", tier: "member", email: "lead-b@example.com")
      let groupA = try await harness.seedWorkingGroup(
        "aitisa", name: "智能网联推进组", members: [leadA, memberA])
      let groupB = try await harness.seedWorkingGroup(
        "aitisa", name: "数据安全推进组", members: [leadB])
      let a = groupA.uuidString.lowercased()
      let b = groupB.uuidString.lowercased()

      // Request: report due 30 days later [interp], reminder 7 days before.
      let requested = try await session.expectOK("EVALUATION REQUEST \(a) 2025")
      #expect(requested.contains("OK 2025 report of 智能网联推进组 requested; due 2026-04-01"))
      #expect(requested.contains("decision: reportRequested (AITISA art. 11"))
      try await session.expectOK("EVALUATION REQUEST \(b) 2025")
      try await session.expectError("CONFLICT", "EVALUATION REQUEST \(a) 2025")
      let jobs = try await harness.texts(
        "aitisa",
        """
        select kind || ' ' || (due_at at time zone 'Asia/Shanghai')::date || ' ' || unique_key
        from charter.deadline_jobs where subject = $1 order by kind
        """, ["working-group:\(a)"])
      #expect(
        jobs == [
          "governance.annualEvaluationReminder 2026-03-25 annual-evaluation-reminder:\(a):2025",
          "governance.annualEvaluationReport 2026-04-01 annual-evaluation:\(a):2025",
        ])
      let request = try await harness.texts(
        "aitisa", "select recipient from charter.notice_outbox where body like '%书面报告%'")
      #expect(Set(request) == ["lead-a@example.com", "lead-b@example.com"])

      // Publishing before the secretariat's rating is out of order.
      let early = try await session.expectError("REFUSED", "EVALUATION PUBLISH \(a) 2025")
      #expect(early.contains("AITISA art. 11"))

      // The reminder is due at the end of 25 March: on the 26th both groups have had it.
      harness.clock.set(day: "2026-03-26")
      let reminded = try await harness.fireDueJobs("aitisa")
      #expect(reminded == Array(repeating: "governance.annualEvaluationReminder", count: 2))

      // Group A reports in time: its deadline job is cancelled.
      try await session.expectOK("EVALUATION REPORT \(a) 2025")
      let stateA = try await harness.texts(
        "aitisa", "select state from charter.deadline_jobs where unique_key = $1",
        ["annual-evaluation:\(a):2025"])
      #expect(stateA == ["cancelled"])

      // 2 April: group B is overdue; the secretariat and B's leader are told.
      harness.clock.set(day: "2026-04-02")
      let overdue = try await harness.fireDueJobs("aitisa")
      #expect(overdue == ["governance.annualEvaluationReport"])
      let escalation = try await harness.texts(
        "aitisa", "select recipient from charter.notice_outbox where body like '%已逾期%'")
      #expect(Set(escalation) == ["lead-b@example.com", "office@aitisa.example.org"])

      // A: rated failing, returned by the chair's office, re-rated excellent, approved,
      // published → commendation.
      try await session.expectOK("EVALUATION RATE \(a) 2025 failing")
      let returned = try await session.expectOK(
        "EVALUATION APPROVE \(a) 2025 decision=returned")
      #expect(returned.contains("report_submitted"))
      try await session.expectOK("EVALUATION RATE \(a) 2025 excellent")
      try await session.expectOK("EVALUATION APPROVE \(a) 2025")
      let published = try await session.expectOK("EVALUATION PUBLISH \(a) 2025")
      #expect(published.contains("published, rated excellent"))

      // B: late report, failing → warning and rectification request.
      try await session.expectOK("EVALUATION REPORT \(b) 2025")
      try await session.expectOK("EVALUATION RATE \(b) 2025 failing")
      try await session.expectOK("EVALUATION APPROVE \(b) 2025")
      try await session.expectOK("EVALUATION PUBLISH \(b) 2025")

      let announcement = try await harness.texts(
        "aitisa",
        "select recipient from charter.notice_outbox where body like '%年度评估结果：优秀%'")
      #expect(
        Set(announcement) == ["lead-a@example.com", "member-a@example.com", "lead-b@example.com"])
      let commendation = try await harness.texts(
        "aitisa", "select recipient from charter.notice_outbox where body like '%予以表彰%'")
      #expect(Set(commendation) == ["lead-a@example.com", "member-a@example.com"])
      let warning = try await harness.texts(
        "aitisa", "select recipient from charter.notice_outbox where body like '%限期整改%'")
      #expect(Set(warning) == ["lead-b@example.com"])
      let facts = try await harness.texts(
        "aitisa",
        "select kind || ' ' || subject from charter.facts where kind in ('groupCommended', 'groupWarned') order by kind"
      )
      #expect(facts == ["groupCommended working-group:\(a)", "groupWarned working-group:\(b)"])
      let late = try await harness.texts(
        "aitisa",
        "select details->>'late' from charter.facts where kind = 'evaluationReportSubmitted' and subject = $1",
        ["working-group:\(b)"])
      #expect(late == ["true"])

      let list = try await session.expectOK("EVALUATION LIST year=2025")
      #expect(list.contains("* 2025\t智能网联推进组\t\(a)\tpublished\texcellent"))
      #expect(list.contains("* 2025\t数据安全推进组\t\(b)\tpublished\tfailing"))
      #expect(list.hasSuffix("OK 2 evaluations\n"))
      let audit = try await harness.texts(
        "aitisa",
        "select command from charter.audit_log where command like 'EVALUATION PUBLISH%' and outcome = 'succeeded' order by id"
      )
      #expect(audit.count == 2)
    }
  }
}
