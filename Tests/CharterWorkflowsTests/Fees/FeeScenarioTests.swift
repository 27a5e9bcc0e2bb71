import CharterCalendar
import CharterGovernance
import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// zgc-ai fee rules (会费收取管理办法): a fee per tier and year; a payment is kept for good; a
/// member who has not paid in full is reminded 30 days after 1 January [interp] and shows in
/// the arrears. DTPC art. 28(1): no fees.
@Suite struct FeeScenarioTests {
  @Test func zgcFeesWithAPaymentArrearsAndReminders() async throws {
    try await Harness.with(start: "2026-01-05") { harness in
      let session = try await harness.tenant("zgc-ai")
      let director = try await harness.seedMember(
        "zgc-ai", name: "中关村示例科技", tier: "director", email: "director@example.com")
      let member = try await harness.seedMember(
        "zgc-ai", name: "海淀示例智能", tier: "member", email: "member@example.com")
      let d = director.uuidString.lowercased()
      let m = member.uuidString.lowercased()

      let set = try await session.expectOK("FEE SET 2026 director 20000")
      #expect(set.contains("OK fee 2026 director: 20000.00 yuan"))
      #expect(set.contains("decision: feeSet (zgc-ai report [interp]"))
      try await session.expectOK("FEE SET 2026 member 5000.00")
      try await session.expectError("NOT_FOUND", "FEE SET 2026 council 1000")
      try await session.expectError("BAD_ARGUMENTS", "FEE SET 2026 member 50.001")

      // Reminders: 1 January + 30 days = 31 January, a Saturday → Monday 2 February.
      let scheduled = try await session.expectOK("FEE REMINDERS")
      #expect(scheduled.contains("OK 2 fee reminders scheduled due 2026-02-02"))
      let keys = try await harness.texts(
        "zgc-ai",
        """
        select unique_key || ' ' || (due_at at time zone 'Asia/Shanghai')::date
        from charter.deadline_jobs where kind = 'governance.feeReminder' order by unique_key
        """)
      #expect(
        Set(keys) == [
          "fee-reminder:\(d):2026-01-01 2026-02-02", "fee-reminder:\(m):2026-01-01 2026-02-02",
        ])

      // The director pays in full: its reminder is cancelled. The member pays part.
      let paid = try await session.expectOK(
        "FEE PAY \(d) 2026 20000 paid=2026-01-20 reference=BOC-2026-0117")
      #expect(paid.contains("year 2026: due 20000.00, paid 20000.00, owing 0.00"))
      #expect(paid.contains("OK 中关村示例科技 paid 20000.00 yuan for 2026"))
      let partial = try await session.expectOK("FEE PAY \(m) 2026 2000")
      #expect(partial.contains("year 2026: due 5000.00, paid 2000.00, owing 3000.00"))
      let states = try await harness.texts(
        "zgc-ai",
        "select state from charter.deadline_jobs where unique_key = $1 or unique_key = $2 order by unique_key = $1 desc",
        ["fee-reminder:\(d):2026-01-01", "fee-reminder:\(m):2026-01-01"])
      #expect(states == ["cancelled", "pending"])
      // Running FEE REMINDERS again neither duplicates nor revives a reminder.
      let again = try await session.expectOK("FEE REMINDERS")
      #expect(again.contains("OK 0 fee reminders scheduled"))
      let count = try await harness.texts(
        "zgc-ai",
        "select count(*)::text from charter.deadline_jobs where kind = 'governance.feeReminder' and state = 'pending'"
      )
      #expect(count == ["1"])

      let arrears = try await session.expectOK("FEE ARREARS year=2026")
      #expect(arrears.contains("* \(m)\t海淀示例智能\tmember\t5000.00\t2000.00\t3000.00"))
      #expect(!arrears.contains(d))
      #expect(arrears.hasSuffix("OK 2026: 1 member in arrears\n"))

      // 3 February: only the member who has not paid in full is reminded.
      harness.clock.set(day: "2026-02-03")
      #expect(try await harness.fireDueJobs("zgc-ai") == ["governance.feeReminder"])
      let reminders = try await harness.texts(
        "zgc-ai",
        "select recipient || ' ' || body from charter.notice_outbox where notice_kind = 'reminder'")
      #expect(reminders.count == 1)
      #expect(reminders.first?.hasPrefix("member@example.com ") == true)
      #expect(reminders.first?.contains("2026 年度会费尚未缴清（应缴 5000.00 元，已缴 2000.00 元）") == true)

      // Payments are append-only.
      await #expect(throws: (any Error).self) {
        try await harness.inTenant("zgc-ai") { connection in
          try await connection.query("delete from charter.fee_payments", [])
        }
      }
    }
  }

  @Test func dtpcCollectsNoFees() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      let refused = try await session.expectError("REFUSED", "FEE SET 2026 member 1000")
      #expect(refused.contains("DTPC art. 28(1)"))
      let rows = try await harness.texts(
        "dtpc-nmi", "select count(*)::text from charter.fee_schedule")
      #expect(rows == ["0"])
    }
  }

  /// DTPC art. 33: the use of funds is published to the member units each year; the job of
  /// the year reminds the secretariat on its last day when it is not published.
  @Test func dtpcFundUsePublicationJobAndPublication() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      try await harness.setSecretariatMailbox("dtpc-nmi", "office@dtpc.example.org")
      try await harness.seedMember(
        "dtpc-nmi", name: "内蒙古示例能源", tier: "member", email: "a@example.com")
      try await harness.seedMember(
        "dtpc-nmi", name: "包头示例制造", tier: "member", email: "b@example.com")
      let fundJobs = {
        try await harness.texts(
          "dtpc-nmi",
          """
          select unique_key || ' ' || (due_at at time zone 'Asia/Shanghai')::date || ' ' || state
          from charter.deadline_jobs where kind = 'governance.fundUsePublication' order by unique_key
          """)
      }
      // CHARTER LOAD scheduled the 2026 job, due on 31 December.
      #expect(try await fundJobs() == ["fund-use-publication:2026-01-01 2026-12-31 pending"])

      // 1 January 2027: not published → the secretariat is reminded; the 2027 job follows.
      harness.clock.set(day: "2027-01-01")
      let fired = try await harness.fireDueJobs("dtpc-nmi")
      #expect(fired.contains("governance.fundUsePublication"))
      #expect(
        try await fundJobs() == [
          "fund-use-publication:2026-01-01 2026-12-31 done",
          "fund-use-publication:2027-01-01 2027-12-31 pending",
        ])
      let reminder = try await harness.texts(
        "dtpc-nmi",
        "select recipient from charter.notice_outbox where body like '%2026 年度资金使用情况尚未向成员单位公布%'")
      #expect(reminder == ["office@dtpc.example.org"])

      // Publication: announced to every member unit; a second one for the year is refused.
      let published = try await session.expectOK(
        "FUNDS PUBLISH 2026 \"2026年度经费收入120万元，支出98万元\"")
      #expect(published.contains("decision: fundUsePublished (DTPC art. 33"))
      let announced = try await harness.texts(
        "dtpc-nmi",
        "select recipient from charter.notice_outbox where body like '%2026 年度资金使用情况：2026年度经费收入120万元%'"
      )
      #expect(Set(announced) == ["a@example.com", "b@example.com"])
      try await session.expectError("CONFLICT", "FUNDS PUBLISH 2026 again")
      let stored = try await harness.texts(
        "dtpc-nmi", "select published_on::text || ' ' || summary from charter.fund_use_publications"
      )
      #expect(stored == ["2027-01-01 2026年度经费收入120万元，支出98万元"])

      // Publishing 2027 in time cancels its reminder and schedules 2028's.
      harness.clock.set(day: "2027-12-20")
      try await session.expectOK("FUNDS PUBLISH 2027 见官网公告")
      #expect(
        try await fundJobs() == [
          "fund-use-publication:2026-01-01 2026-12-31 done",
          "fund-use-publication:2027-01-01 2027-12-31 cancelled",
          "fund-use-publication:2028-01-01 2028-12-31 pending",
        ])
    }
  }
}
