import CharterCalendar
import Foundation
import Testing

@testable import CharterGovernance

private let extensions = EvaluationExtensions(
  reportPeriod: Ruled(.calendarDays(30), Article("AITISA art. 11")),
  reminderLead: Ruled(7, Article("AITISA art. 11")))

@Suite("AITISA art. 11")
struct AITISA_11 {
  private func requested() throws -> (CharterProfile, Transition<AnnualEvaluation>) {
    let profile = try ProfileFixtures.profile("aitisa")
    let t = try AnnualEvaluation.request(
      group: "wg-1", year: 2024, profile: profile, extensions: extensions,
      context: try Fixtures.context("2024-12-02"))
    return (profile, t)
  }

  /// Requested Monday 2024-12-02: 30 days later is Wednesday 1 January 2025, New Year's Day,
  /// so the report is due on Thursday 2 January; the reminder a week before.
  @Test func aitisa_11_reportRequestSchedulesDeadlineAndReminder() throws {
    let (_, t) = try requested()
    let report = try #require(t.jobs.first { $0.kind == .annualEvaluationReport })
    #expect(report.dueDay == (try Fixtures.day("2025-01-02")))
    #expect(report.key == "annual-evaluation:wg-1:2024")
    #expect(
      t.jobs.first { $0.kind == .annualEvaluationReminder }?.dueDay
        == (try Fixtures.day("2024-12-26")))
    #expect(t.decision.article == Article("AITISA art. 11"))
  }

  @Test func aitisa_11_failingGroupWarnedAndAskedToRectify() throws {
    let (profile, t) = try requested()
    let ctx = try Fixtures.context("2025-01-10")
    var e = try t.state.apply(.reportSubmitted, profile: profile, context: ctx).state
    #expect {
      try e.apply(.rated(.failing, by: "chair_office"), profile: profile, context: ctx)
    } throws: { error in (error as? Refusal)?.code == "wrongBody" }
    e = try e.apply(.rated(.failing, by: "secretariat"), profile: profile, context: ctx).state
    #expect(throws: Refusal.self) { try e.apply(.published, profile: profile, context: ctx) }
    e = try e.apply(
      .chairsOfficeDecided(approved: true, by: "chair_office"), profile: profile, context: ctx
    ).state
    let published = try e.apply(.published, profile: profile, context: ctx)
    #expect(published.facts.map(\.kind) == [.evaluationPublished, .groupWarned])
    #expect(published.notices.map(\.kind) == [.announcement, .warning])
    #expect(published.notices.last?.templateKey == "wg.evaluation.warning")
  }

  @Test func aitisa_11_excellentGroupCommended() throws {
    let (profile, t) = try requested()
    let ctx = try Fixtures.context("2025-01-10")
    var e = try t.state.apply(.reportSubmitted, profile: profile, context: ctx).state
    e = try e.apply(.rated(.excellent, by: "secretariat"), profile: profile, context: ctx).state
    e = try e.apply(
      .chairsOfficeDecided(approved: true, by: "chair_office"), profile: profile, context: ctx
    ).state
    let published = try e.apply(.published, profile: profile, context: ctx)
    #expect(published.facts.map(\.kind) == [.evaluationPublished, .groupCommended])
  }

  @Test func aitisa_11_submittedReportCancelsJobsAndStopsReminders() throws {
    let (profile, t) = try requested()
    let submitted = try t.state.apply(
      .reportSubmitted, profile: profile, context: try Fixtures.context("2024-12-20"))
    #expect(
      Set(submitted.cancelledJobKeys) == [
        "annual-evaluation:wg-1:2024", "annual-evaluation-reminder:wg-1:2024",
      ])
    let late = try submitted.state.apply(
      .reportDeadlinePassed, profile: profile, context: try Fixtures.context("2025-01-03"))
    #expect(late.notices.isEmpty)
  }
}
