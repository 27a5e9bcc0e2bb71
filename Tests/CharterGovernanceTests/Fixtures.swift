import CharterCalendar
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

  static func cite(_ article: String, interp: Bool = false) -> Citation {
    Citation(article: article, interpretation: interp)
  }

  /// The AITISA working-group rules as a charter profile states them (RULES.md §4).
  static let aitisaProfile: CharterProfile = {
    let groupMeeting = "working_group_meeting"
    let wg = WorkingGroupRules(
      meetingBody: groupMeeting,
      foundingMinimum: Cited(5, cite("AITISA art. 4.1")),
      minimumMembers: Cited(5, cite("AITISA art. 7")),
      approvingBody: Cited("chairs_office", cite("AITISA art. 4.3")),
      reviewingBody: Cited("secretariat", cite("AITISA art. 4.2")),
      reviewNotice: Cited(.workingDays(10), cite("AITISA art. 4.2")),
      rejectionNotice: Cited(.calendarDays(10), cite("AITISA art. 4.3")),
      dissolutionNotice: Cited(.calendarDays(10), cite("AITISA art. 6")),
      dissolutionObjectionWindow: Cited(.calendarDays(10), cite("AITISA art. 6")),
      dissolutionRequest: Cited(Threshold(.half, .inclusive, of: .members), cite("AITISA art. 6")),
      oneLeadershipPerPerson: Cited(true, cite("AITISA art. 7.4")),
      onePostPerUnitPerGroup: Cited(true, cite("AITISA art. 7.5")),
      membersOnly: Cited(true, cite("AITISA art. 7.1")),
      joiningApprovedBy: Cited("leader", cite("AITISA art. 7.2")),
      budgetRequired: Cited(true, cite("AITISA art. 12")))
    func absence(_ n: Int, _ consequence: AbsenceConsequence) -> AbsenceRule {
      AbsenceRule(
        body: groupMeeting, subjects: .bodyMembers, consecutive: n, excusedCounts: true,
        proxyCountsAsPresent: true,
        correspondenceCountsAsPresent: true, consequence: consequence,
        citation: cite("AITISA art. 7.6"))
    }
    let membership = MembershipRules(
      kinds: Cited([.unit], cite("AITISA art. 7")),
      admission: AdmissionProcess(steps: []),
      exit: ExitRules(notice: nil, voluntary: cite("AITISA art. 7")),
      absence: [absence(2, .reminder), absence(3, .automaticExit)],
      rejoin: Cited(RejoinRule(policy: .allowed, appliesTo: []), cite("AITISA art. 7")))
    let groupMeetingBody = Body(
      id: groupMeeting, name: "推进组全体成员会议",
      composition: Cited(.workingGroupMembers, cite("AITISA art. 10")),
      voting: VotingRules(
        quorum: Cited(Threshold(.half, .inclusive, of: .members), cite("AITISA art. 10")),
        pass: Cited(Threshold(.twoThirds, .inclusive, of: .present), cite("AITISA art. 10")),
        proxyCountsAsPresent: Cited(true, cite("AITISA art. 10.1", interp: true)),
        correspondenceCountsAsPresent: Cited(true, cite("AITISA art. 10"))),
      minimumMeetings: Cited(Recurrence(count: 2, per: .year), cite("AITISA art. 10")),
      citation: cite("AITISA art. 10"))
    return CharterProfile(
      id: "aitisa", version: 1, effectiveDate: CivilDate(year: 2019, month: 1, day: 1)!,
      name: "新一代人工智能产业技术创新战略联盟", sourceDocument: "推进组管理办法", tiers: [], bodies: [groupMeetingBody],
      membership: membership, workingGroups: wg)
  }()

  static let aitisaExtensions = WorkingGroupExtensions(
    reviewReminderLead: Ruled(2, Article("AITISA art. 4.2")),
    renameArticle: Article("AITISA art. 5"),
    activityRulesArticle: Article("AITISA art. 14"))

  static let aitisa: WorkingGroupParameters = {
    do {
      return try WorkingGroupParameters(profile: aitisaProfile, extensions: aitisaExtensions)
    } catch {
      preconditionFailure("the AITISA fixture profile is complete: \(error)")
    }
  }()

  static func members(_ ids: String...) -> [MemberID: MemberStanding] {
    Dictionary(uniqueKeysWithValues: ids.map { (MemberID($0), MemberStanding.inGoodStanding) })
  }
}
