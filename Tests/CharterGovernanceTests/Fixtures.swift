import Foundation
import Testing

@testable import CharterGovernance

/// Shared values for the engine tests: the tenants' parameters as the seed charters state
/// them, the Shanghai zone and the statutory working calendar.
enum Fixtures {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    static func day(_ iso: String) throws -> CivilDate {
        try #require(CivilDate(iso: iso))
    }

    /// An instant in the middle of a civil day in Shanghai.
    static func noon(_ iso: String) throws -> Date {
        let d = try day(iso)
        return d.endOfDay(in: shanghai).addingTimeInterval(-12 * 3600)
    }

    static func context(_ iso: String) throws -> EngineContext {
        EngineContext(now: try noon(iso), timeZone: shanghai, calendar: try StatutoryCalendar.load())
    }

    static let aitisa = WorkingGroupParameters(
        minimumSponsors: Ruled(5, Article("AITISA art. 4.1")),
        reviewNoticePeriod: Ruled(.workingDays(10), Article("AITISA art. 4.2")),
        reviewReminderLead: Ruled(2, Article("AITISA art. 4.2 [interp]")),
        rejectionNoticePeriod: Ruled(.calendarDays(10), Article("AITISA art. 4.3")),
        decidingBody: Ruled("chairs_office", Article("AITISA art. 4.3")),
        renameArticle: Article("AITISA art. 5"),
        dissolutionRequestShare: Ruled(Proportion(1, 2), Article("AITISA art. 6")),
        dissolutionNoticePeriod: Ruled(.calendarDays(10), Article("AITISA art. 6")),
        objectionPeriod: Ruled(.calendarDays(10), Article("AITISA art. 6")),
        minimumMembers: Ruled(5, Article("AITISA art. 7")),
        joiningArticle: Article("AITISA art. 7.1"),
        oneGroupPerLeader: Ruled(true, Article("AITISA art. 7.4")),
        onePostPerUnit: Ruled(true, Article("AITISA art. 7.5")),
        absence: Ruled(
            AbsenceRule(consecutive: 3, remindAfter: 2, countedMarks: [.absent, .excused]), Article("AITISA art. 7.6")),
        budgetArticle: Article("AITISA art. 12"),
        activityRulesArticle: Article("AITISA art. 14"))

    static func members(_ ids: String...) -> [MemberID: MemberStanding] {
        Dictionary(uniqueKeysWithValues: ids.map { (MemberID($0), MemberStanding.inGoodStanding) })
    }
}
