import CharterCalendar
import Foundation
import Testing

@testable import CharterGovernance

private let sponsors: [MemberID] = ["m1", "m2", "m3", "m4", "m5"]
private let standing = Fixtures.members("m1", "m2", "m3", "m4", "m5", "m6")

private func received(_ iso: String) throws -> Transition<GroupApplication> {
  try GroupApplication.receive(
    id: "app-7", proposedName: "智能制造推进组", sponsors: sponsors, leadUnit: "m1", standing: standing,
    parameters: Fixtures.aitisa, context: try Fixtures.context(iso))
}

@Suite("AITISA art. 4.1")
struct AITISA_4_1 {
  @Test func aitisa_4_1_fourSponsorsRefused() throws {
    #expect {
      try GroupApplication.receive(
        id: "a", proposedName: "x", sponsors: ["m1", "m2", "m3", "m4", "m4"], leadUnit: "m1",
        standing: standing,
        parameters: Fixtures.aitisa, context: try Fixtures.context("2024-09-27"))
    } throws: { error in
      let refusal = error as? Refusal
      return refusal?.code == "tooFewSponsors" && refusal?.article == Article("AITISA art. 4.1")
    }
  }

  @Test func aitisa_4_1_suspendedSponsorRefused() throws {
    var s = standing
    s["m3"] = .suspended
    #expect {
      try GroupApplication.receive(
        id: "a", proposedName: "x", sponsors: sponsors + ["m6"], leadUnit: "m1", standing: s,
        parameters: Fixtures.aitisa, context: try Fixtures.context("2024-09-27"))
    } throws: { error in
      (error as? Refusal)?.code == "sponsorNotInGoodStanding"
        && (error as? Refusal)?.article == Article("AITISA art. 4.1")
    }
  }

  @Test func aitisa_4_1_fiveMembersInGoodStandingAccepted() throws {
    let t = try received("2024-09-27")
    #expect(t.facts.map(\.kind) == [.groupApplicationReceived])
    #expect(t.decision.article == Article("AITISA art. 4.2"))
  }
}

@Suite("AITISA art. 4.2")
struct AITISA_4_2 {
  /// Received Friday 2024-09-27: Sunday 29 Sept is a working day, 1–7 Oct are the National
  /// Day holidays, Saturday 12 Oct is a working day. The 10th working day after is 16 Oct.
  @Test func aitisa_4_2_reviewNoticeDueOnTenthWorkingDay() throws {
    let t = try received("2024-09-27")
    let escalation = try #require(t.jobs.first { $0.kind == .reviewNoticeEscalation })
    #expect(escalation.dueDay == (try Fixtures.day("2024-10-16")))
    #expect(escalation.due == (try Fixtures.day("2024-10-16")).endOfDay(in: Fixtures.shanghai))
    #expect(escalation.key == "review-notice:app-7")
    #expect(escalation.article == Article("AITISA art. 4.2"))
    #expect(escalation.subject == .filedCase("app-7"))
    #expect(t.state.stage == .underReview(reviewDue: try Fixtures.day("2024-10-16")))
  }

  @Test func aitisa_4_2_reminderTwoWorkingDaysBeforeDeadline() throws {
    let t = try received("2024-09-27")
    let reminder = try #require(t.jobs.first { $0.kind == .reviewNoticeReminder })
    #expect(reminder.dueDay == (try Fixtures.day("2024-10-14")))
    #expect(reminder.key == "review-notice-reminder:app-7")
  }

  @Test func aitisa_4_2_repeatedReceiptSchedulesSameKeys() throws {
    let first = try received("2024-09-27")
    let again = try received("2024-09-27")
    #expect(first.jobs.map(\.key) == again.jobs.map(\.key))
    #expect(Set(first.jobs.map(\.key)).count == first.jobs.count)
  }

  @Test func aitisa_4_2_notForwardedWithoutReasonsRefused() throws {
    let app = try received("2024-09-27").state
    #expect {
      try app.apply(
        .reviewNoticeSent(forwarded: false, reasons: "  "), parameters: Fixtures.aitisa,
        context: try Fixtures.context("2024-10-08"))
    } throws: { error in
      (error as? Refusal)?.code == "reasonsRequired"
        && (error as? Refusal)?.article == Article("AITISA art. 4.2")
    }
  }

  @Test func aitisa_4_2_noticeSentCancelsReminderAndEscalation() throws {
    let app = try received("2024-09-27").state
    let t = try app.apply(
      .reviewNoticeSent(forwarded: true, reasons: nil), parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-10-08"))
    #expect(Set(t.cancelledJobKeys) == ["review-notice:app-7", "review-notice-reminder:app-7"])
    #expect(t.state.stage == .forwarded(noticeSentOn: try Fixtures.day("2024-10-08")))
    #expect(t.notices.first?.recipients.count == 5)
    #expect(t.warnings.isEmpty)
  }

  @Test func aitisa_4_2_lateNoticeIsRecordedAsLate() throws {
    let app = try received("2024-09-27").state
    let t = try app.apply(
      .reviewNoticeSent(forwarded: true, reasons: nil), parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-10-17"))
    #expect(t.facts.first?.details["late"] == "true")
    #expect(t.warnings.map(\.code) == ["reviewNoticeLate"])
  }

  @Test func aitisa_4_2_escalationOnlyAfterDeadline() throws {
    let app = try received("2024-09-27").state
    #expect(throws: Refusal.self) {
      try app.apply(
        .reviewDeadlinePassed, parameters: Fixtures.aitisa,
        context: try Fixtures.context("2024-10-16"))
    }
    let t = try app.apply(
      .reviewDeadlinePassed, parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-10-17"))
    #expect(t.notices.map(\.kind) == [.escalation])
    #expect(t.notices.first?.recipients.contains(.chairsOffice) == true)
  }

  @Test func aitisa_4_2_escalationAfterNoticeDoesNothing() throws {
    let sent = try received("2024-09-27").state.apply(
      .reviewNoticeSent(forwarded: true, reasons: nil), parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-10-08"))
    let t = try sent.state.apply(
      .reviewDeadlinePassed, parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-10-17"))
    #expect(t.notices.isEmpty)
    #expect(t.decision.code == "nothingDue")
  }
}

@Suite("AITISA art. 4.3")
struct AITISA_4_3 {
  private func forwarded() throws -> GroupApplication {
    try received("2024-09-27").state.apply(
      .reviewNoticeSent(forwarded: true, reasons: nil), parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-10-08")
    ).state
  }

  @Test func aitisa_4_3_decisionRefusedBeforeSecretariatForwards() throws {
    let app = try received("2024-09-27").state
    #expect {
      try app.apply(
        .chairsOfficeDecided(approved: true, reasons: nil, group: "wg-1"),
        parameters: Fixtures.aitisa,
        context: try Fixtures.context("2024-10-08"))
    } throws: { error in
      (error as? Refusal)?.code == "notForwarded"
    }
  }

  @Test func aitisa_4_3_approvalEstablishesGroupWithSponsors() throws {
    let t = try forwarded().apply(
      .chairsOfficeDecided(approved: true, reasons: nil, group: "wg-1"),
      parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-10-20"))
    #expect(
      t.decision
        == Decision("groupApproved", Article("AITISA art. 4.3"), profile: Fixtures.aitisa.profile))
    let group = try #require(WorkingGroup.established(from: t.state))
    #expect(Set(group.members.keys) == Set(sponsors))
    #expect(group.leadUnit == "m1")
  }

  /// Rejected Monday 2024-11-04: 10 days later is Thursday 14 Nov.
  @Test func aitisa_4_3_rejectionNoticeDueTenDaysAfterDecision() throws {
    let t = try forwarded().apply(
      .chairsOfficeDecided(approved: false, reasons: "与现有推进组重叠", group: "wg-1"),
      parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-11-04"))
    let job = try #require(t.jobs.first)
    #expect(job.kind == .rejectionNotice)
    #expect(job.dueDay == (try Fixtures.day("2024-11-14")))
    #expect(job.key == "rejection-notice:app-7")
    #expect(job.article == Article("AITISA art. 4.3"))
  }

  /// Rejected Thursday 2024-09-26: day 10 is Sunday 6 Oct, inside the National Day holidays;
  /// the deadline moves to the next working day, Tuesday 8 Oct (RULES.md §0 [interp]).
  @Test func aitisa_4_3_rejectionNoticeDeadlineMovesPastHolidays() throws {
    let t = try forwarded().apply(
      .chairsOfficeDecided(approved: false, reasons: "重叠", group: "wg-1"),
      parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-09-26"))
    #expect(t.jobs.first?.dueDay == (try Fixtures.day("2024-10-08")))
  }

  @Test func aitisa_4_3_rejectionWithoutReasonsRefused() throws {
    #expect {
      try forwarded().apply(
        .chairsOfficeDecided(approved: false, reasons: nil, group: "wg-1"),
        parameters: Fixtures.aitisa,
        context: try Fixtures.context("2024-11-04"))
    } throws: { error in
      (error as? Refusal)?.article == Article("AITISA art. 4.3")
    }
  }

  @Test func aitisa_4_3_rejectionNoticeSentTellsApplicantsAndCancelsJob() throws {
    let rejected = try forwarded().apply(
      .chairsOfficeDecided(approved: false, reasons: "重叠", group: "wg-1"),
      parameters: Fixtures.aitisa,
      context: try Fixtures.context("2024-11-04"))
    let t = try rejected.state.apply(
      .rejectionNoticeSent, parameters: Fixtures.aitisa, context: try Fixtures.context("2024-11-05")
    )
    #expect(t.cancelledJobKeys == ["rejection-notice:app-7"])
    #expect(t.notices.first?.parameters["reasons"] == "重叠")
    #expect(t.notices.first?.recipients == sponsors.map { .memberContact($0) })
  }
}

extension AITISA_4_2 {
  /// The calendar has no 2027 arrangement: the deadline cannot be computed and the engine
  /// refuses, citing the rule; with the Monday–Friday fallback it computes and warns.
  @Test func aitisa_4_2_deadlineInYearWithoutCalendarData() throws {
    let context = try Fixtures.context("2026-12-28")
    #expect {
      try GroupApplication.receive(
        id: "app-8", proposedName: "x", sponsors: ["m1", "m2", "m3", "m4", "m5"], leadUnit: "m1",
        standing: Fixtures.members("m1", "m2", "m3", "m4", "m5"), parameters: Fixtures.aitisa,
        context: context)
    } throws: { error in
      (error as? Refusal)?.code == "calendarUnavailable"
        && (error as? Refusal)?.article == Article("AITISA art. 4.2")
    }
    var fallback = context
    fallback.calendar = context.calendar.withFallback(.mondayToFriday)
    let t = try GroupApplication.receive(
      id: "app-8", proposedName: "x", sponsors: ["m1", "m2", "m3", "m4", "m5"], leadUnit: "m1",
      standing: Fixtures.members("m1", "m2", "m3", "m4", "m5"), parameters: Fixtures.aitisa,
      context: fallback)
    #expect(t.warnings.map(\.code).contains("calendarFallback"))
  }
}

extension AITISA_4_1 {
  @Test func aitisa_4_profileWithoutWorkingGroupRulesIsAGap() throws {
    #expect(throws: ProfileGap(profile: "aii", key: "working_groups")) {
      try WorkingGroupParameters(profile: Charters.aii, extensions: Fixtures.aitisaExtensions)
    }
  }
}
