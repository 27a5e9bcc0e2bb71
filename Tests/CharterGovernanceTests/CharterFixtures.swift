import CharterCalendar
import Foundation

@testable import CharterGovernance

/// Charter profiles of the seed tenants, as RULES.md digests them, built in code for the
/// engine tests.
enum Charters {
  static let start = CivilDate(year: 2020, month: 1, day: 1)!

  static func cite(_ article: String, interp: Bool = false) -> Citation {
    Citation(article: article, interpretation: interp)
  }

  static let dtpc: CharterProfile = {
    let tiers = [
      Tier(id: "member", name: "成员单位", rights: [.vote], citation: cite("DTPC art. 12")),
      Tier(
        id: "vice_director", name: "副主任单位", rights: [.vote, .councilSeat],
        citation: cite("DTPC art. 12")),
      Tier(
        id: "director", name: "主任单位", rights: [.vote, .councilSeat], citation: cite("DTPC art. 12")),
    ]
    let joint = Body(
      id: "joint_meeting", name: "主任联席会",
      composition: Cited(.tiers(["director", "vice_director"]), cite("DTPC art. 19")),
      voting: VotingRules(
        quorum: Cited(Threshold(.twoThirds, .inclusive, of: .members), cite("DTPC art. 20")),
        pass: Cited(Threshold(.half, .inclusive, of: .present), cite("DTPC art. 20")),
        proxyCountsAsPresent: Cited(true, cite("RULES.md §0", interp: true)),
        correspondenceCountsAsPresent: Cited(true, cite("DTPC art. 20", interp: true))),
      notice: Cited(.calendarDays(15), cite("DTPC art. 20")),
      citation: cite("DTPC art. 19"))
    let leadership = Body(
      id: "leadership", name: "领导小组会议", composition: Cited(.appointed, cite("DTPC art. 27")),
      minimumMeetings: Cited(Recurrence(count: 1, per: .quarter), cite("DTPC art. 27")),
      citation: cite("DTPC art. 27"))
    let membership = MembershipRules(
      kinds: Cited([.unit], cite("DTPC art. 10")),
      admission: AdmissionProcess(steps: [
        AdmissionStep(kind: .application, citation: cite("DTPC art. 11")),
        AdmissionStep(
          kind: .preliminaryReview, body: "secretariat", citation: cite("DTPC art. 11")),
        AdmissionStep(kind: .filing, body: "joint_meeting", citation: cite("DTPC art. 11")),
      ]),
      exit: ExitRules(
        notice: Cited(.calendarDays(30), cite("DTPC art. 16(1)")),
        voluntary: cite("DTPC art. 16(1)"),
        filedWith: "joint_meeting", announced: Cited(true, cite("DTPC art. 16(4)")),
        licenceRevocationEndsMembership: Cited(true, cite("DTPC art. 16(3)"))),
      absence: [
        AbsenceRule(
          body: "joint_meeting", subjects: .bodyMembers, consecutive: 3, excusedCounts: false,
          proxyCountsAsPresent: true,
          correspondenceCountsAsPresent: true, consequence: .lossOfSeat,
          citation: cite("DTPC art. 19"))
      ],
      inactivity: Cited(InactivityRule(years: 2), cite("DTPC art. 16(2)")),
      rejoin: Cited(
        RejoinRule(policy: .never, appliesTo: Set(LeavingKind.allCases)),
        cite("DTPC art. 16(6)", interp: true)),
      discipline: DisciplineLadder(
        steps: DisciplineMeasure.allCases.map { Cited($0, cite("DTPC art. 15")) },
        decidedBy: ["secretariat"], byVote: false,
        filedWith: "joint_meeting",
        suspension: Cited(
          SuspensionEffect(
            mayVote: false, mayHoldOffice: false, receivesNotices: true, keepsDuties: true),
          cite("DTPC art. 15", interp: true)),
        citation: cite("DTPC art. 15")))
    return CharterProfile(
      id: "dtpc-nmi", version: 1, effectiveDate: start, name: "有色金属行业数字化转型推进中心",
      sourceDocument: "章程（草案）",
      tiers: tiers, bodies: [joint, leadership], membership: membership)
  }()

  static let aii: CharterProfile = {
    let tiers = [
      Tier(id: "ordinary", name: "普通会员单位", rights: [.vote], citation: cite("AII art. 12")),
      Tier(
        id: "director", name: "理事单位", rights: [.vote, .councilSeat], citation: cite("AII art. 13")),
      Tier(
        id: "vice_chair", name: "副理事长单位", rights: [.vote, .councilSeat],
        citation: cite("AII art. 13")),
      Tier(
        id: "chair", name: "理事长单位", rights: [.vote, .councilSeat], citation: cite("AII art. 13")),
    ]
    let council = Body(
      id: "council", name: "理事会",
      composition: Cited(.tiers(["director", "vice_chair", "chair"]), cite("AII art. 23")),
      voting: VotingRules(
        quorum: Cited(Threshold(.twoThirds, .inclusive, of: .members), cite("AII art. 23")),
        pass: Cited(Threshold(.twoThirds, .inclusive, of: .present), cite("AII art. 23")),
        proxyCountsAsPresent: Cited(true, cite("RULES.md §0", interp: true)),
        correspondenceCountsAsPresent: Cited(true, cite("AII art. 23"))),
      minimumMeetings: Cited(Recurrence(count: 1, per: .year), cite("AII art. 23")),
      citation: cite("AII art. 23"))
    let membership = MembershipRules(
      kinds: Cited([.unit], cite("AII art. 10")),
      admission: AdmissionProcess(steps: [
        AdmissionStep(kind: .application, body: "secretariat", citation: cite("AII art. 11")),
        AdmissionStep(kind: .preliminaryReview, body: "secretariat", citation: cite("AII art. 11")),
        AdmissionStep(kind: .decision, body: "standing_council", citation: cite("AII art. 11")),
      ]),
      exit: ExitRules(
        notice: nil, voluntary: cite("AII art. 15(1)"),
        licenceRevocationEndsMembership: Cited(true, cite("AII art. 15(2)"))),
      absence: [
        AbsenceRule(
          body: "council", subjects: .tiers(["director", "vice_chair", "chair"]), consecutive: 3,
          excusedCounts: true,
          proxyCountsAsPresent: true, correspondenceCountsAsPresent: true,
          consequence: .downgrade(tiers: 1),
          citation: cite("AII art. 13"))
      ],
      rejoin: Cited(RejoinRule(policy: .allowed, appliesTo: []), cite("AII art. 15")),
      discipline: DisciplineLadder(
        steps: [Cited(.expulsion, cite("AII art. 16"))],
        decidedBy: ["council", "standing_council"], byVote: true,
        citation: cite("AII art. 16")))
    return CharterProfile(
      id: "aii", version: 1, effectiveDate: start, name: "工业互联网产业联盟", sourceDocument: "章程（2020年修订）",
      tiers: tiers,
      bodies: [council], membership: membership)
  }()

  static let tjsiaAI: CharterProfile = {
    let chair = Post(
      id: "chair", name: "会长", cap: Cited(1, cite("tjsia-ai §5")), electedBy: "council",
      term: Cited(.parentTerm, cite("tjsia-ai §5")),
      maxConsecutiveTerms: Cited(2, cite("tjsia-ai §5")),
      maximumAge: Cited(70, cite("tjsia-ai §5")),
      requirements: [Cited("representative at vice-president level or above", cite("tjsia-ai §5"))],
      citation: cite("tjsia-ai §5"))
    let director = Post(
      id: "director", name: "理事", electedBy: "general_assembly",
      term: Cited(.parentTerm, cite("tjsia-ai §5")),
      maximumAge: Cited(65, cite("tjsia-ai §5")), citation: cite("tjsia-ai §5"))
    let council = Body(
      id: "council", name: "理事会",
      composition: Cited(.postHolders(["director"]), cite("tjsia-ai §5")),
      minimumMeetings: Cited(Recurrence(count: 2, per: .year), cite("tjsia-ai §3")),
      posts: [chair, director],
      citation: cite("tjsia-ai §5"))
    let membership = MembershipRules(
      kinds: Cited([.unit, .individual], cite("tjsia-ai §2")),
      parent: ParentRequirement(
        profileId: "tjsia", name: "天津市软件行业协会", appliesTo: [.unit], citation: cite("tjsia-ai §2")),
      admission: AdmissionProcess(steps: [
        AdmissionStep(kind: .application, citation: cite("tjsia-ai §2")),
        AdmissionStep(kind: .parentMembershipCheck, citation: cite("tjsia-ai §2")),
        AdmissionStep(kind: .preliminaryReview, body: "secretariat", citation: cite("tjsia-ai §2")),
      ]),
      exit: ExitRules(notice: nil, voluntary: cite("tjsia-ai §2")),
      rejoin: Cited(RejoinRule(policy: .allowed, appliesTo: []), cite("tjsia-ai §2")))
    return CharterProfile(
      id: "tjsia-ai", version: 1, effectiveDate: start, name: "天津市软件行业协会人工智能分会",
      sourceDocument: "分会管理办法",
      tiers: [], bodies: [council], membership: membership)
  }()
}
