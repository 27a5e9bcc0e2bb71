import CharterCalendar
import Foundation
import Testing

@testable import CharterGovernance

private let vicePresidentRank = OfficeExtensions(minimumRank: [
  "chair": Ruled(.vicePresident, Article("tjsia-ai §5")),
  "director": Ruled(.vicePresident, Article("tjsia-ai §5")),
])

private func candidate(
  born: String, rank: RepresentativeRank? = .president, terms: Int = 0,
  standing: MemberStanding = .inGoodStanding
) throws -> OfficeTerm.Candidate {
  OfficeTerm.Candidate(
    person: "zhang", unit: "u1", birthDate: try Fixtures.day(born), rank: rank,
    consecutiveTermsHeld: terms,
    standing: standing)
}

private func elect(
  _ c: OfficeTerm.Candidate, to post: String = "chair", on iso: String, holders: Int = 0,
  profile: CharterProfile = Charters.tjsiaAI
) throws -> Transition<OfficeTerm> {
  try OfficeTerm.elect(
    c, to: post, currentHolders: holders, parentTermEnd: try Fixtures.day("2027-12-31"),
    profile: profile,
    extensions: vicePresidentRank, context: try Fixtures.context(iso))
}

private func refused(_ article: String, _ code: String) -> (any Error) -> Bool {
  { error in (error as? Refusal)?.article == Article(article) && (error as? Refusal)?.code == code }
}

@Suite("tjsia-ai §5")
struct TJSIA_5 {
  /// Born 1954-06-20: 70 from 2024-06-20 until 2025-06-19; 71 on 2025-06-20.
  @Test func tjsia_5_chairOver70Refused() throws {
    let c = try candidate(born: "1954-06-20")
    #expect(throws: Never.self) { try elect(c, on: "2024-06-20") }
    #expect(throws: Never.self) { try elect(c, on: "2025-06-19") }
    #expect { try elect(c, on: "2025-06-20") } throws: { refused("tjsia-ai §5", "overAge")($0) }
  }

  @Test func tjsia_5_directorOver65Refused() throws {
    let c = try candidate(born: "1959-03-01")
    #expect(throws: Never.self) { try elect(c, to: "director", on: "2025-02-28") }
    #expect { try elect(c, to: "director", on: "2025-03-01") } throws: {
      refused("tjsia-ai §5", "overAge")($0)
    }
  }

  @Test func tjsia_5_ageOfLeapDayBirth() throws {
    let born = try Fixtures.day("1956-02-29")
    #expect(OfficeTerm.age(bornOn: born, on: try Fixtures.day("2026-02-28")) == 69)
    #expect(OfficeTerm.age(bornOn: born, on: try Fixtures.day("2026-03-01")) == 70)
  }

  @Test func tjsia_5_thirdConsecutiveTermRefused() throws {
    #expect(throws: Never.self) {
      try elect(try candidate(born: "1970-01-01", terms: 1), on: "2024-06-20")
    }
    #expect {
      try elect(try candidate(born: "1970-01-01", terms: 2), on: "2024-06-20")
    } throws: { refused("tjsia-ai §5", "termLimit")($0) }
  }

  @Test func tjsia_5_representativeBelowVicePresidentRefused() throws {
    #expect {
      try elect(try candidate(born: "1970-01-01", rank: .director), on: "2024-06-20")
    } throws: { refused("tjsia-ai §5", "rankTooLow")($0) }
    #expect(throws: Never.self) {
      try elect(try candidate(born: "1970-01-01", rank: .vicePresident), on: "2024-06-20")
    }
  }

  @Test func tjsia_5_termEndsWithParentCouncilTerm() throws {
    let t = try elect(try candidate(born: "1970-01-01"), on: "2024-06-20")
    let job = try #require(t.jobs.first)
    #expect(job.kind == .termEnd)
    #expect(job.dueDay == (try Fixtures.day("2027-12-31")))
    #expect(job.key == "term-end:chair:zhang:2024-06-20")
    #expect {
      try OfficeTerm.elect(
        try candidate(born: "1970-01-01"), to: "chair", currentHolders: 0, parentTermEnd: nil,
        profile: Charters.tjsiaAI,
        extensions: vicePresidentRank, context: try Fixtures.context("2024-06-20"))
    } throws: { refused("tjsia-ai §5", "parentTermUnknown")($0) }
  }

  @Test func tjsia_5_secondChairRefused() throws {
    #expect {
      try elect(try candidate(born: "1970-01-01"), on: "2024-06-20", holders: 1)
    } throws: { refused("tjsia-ai §5", "postFull")($0) }
  }

  @Test func tjsia_5_shippedProfileChairAgeLimit() throws {
    let tjsia = try ProfileFixtures.profile("tjsia-ai")
    let post = try #require(tjsia.post("chair"))
    #expect(post.maximumAge?.value == 70)
    #expect {
      try elect(try candidate(born: "1954-06-20"), on: "2025-06-20", profile: tjsia)
    } throws: { error in (error as? Refusal)?.article.citation.hasPrefix("tjsia-ai §5") == true }
  }
}

@Suite("DTPC art. 12")
struct DTPC_12 {
  @Test func dtpc_12_directorUnitTermEndsAfterFiveYears() throws {
    let dtpc = try ProfileFixtures.profile("dtpc-nmi")
    let day = try Fixtures.day("2021-01-04")
    let member = MemberRecord(
      id: "u1", kind: .unit, tier: "member", status: .active, since: day, lastActivity: day)
    let t = try member.apply(
      .changeTier(to: "director"), profile: dtpc, context: try Fixtures.context("2024-03-04"))
    let job = try #require(t.jobs.first)
    #expect(job.kind == .termEnd)
    #expect(job.dueDay == (try Fixtures.day("2029-03-03")))
    #expect(job.article == Article("DTPC art. 12"))
  }
}

@Suite("DTPC art. 22")
struct DTPC_22 {
  @Test func dtpc_22_eighthDeputySecretaryGeneralRefused() throws {
    let dtpc = try ProfileFixtures.profile("dtpc-nmi")
    let cap = try #require(dtpc.post("deputy_secretary_general")?.cap)
    #expect(cap.value == 7)
    let c = OfficeTerm.Candidate(
      person: "li", unit: nil, birthDate: try Fixtures.day("1980-01-01"), rank: nil,
      consecutiveTermsHeld: 0,
      standing: .inGoodStanding)
    #expect(throws: Never.self) {
      try OfficeTerm.elect(
        c, to: "deputy_secretary_general", currentHolders: 6, parentTermEnd: nil, profile: dtpc,
        extensions: .init(),
        context: try Fixtures.context("2024-03-04"))
    }
    #expect {
      try OfficeTerm.elect(
        c, to: "deputy_secretary_general", currentHolders: 7, parentTermEnd: nil, profile: dtpc,
        extensions: .init(),
        context: try Fixtures.context("2024-03-04"))
    } throws: { error in (error as? Refusal)?.code == "postFull" }
  }
}

extension DTPC_15 {
  @Test func dtpc_15_suspendedMemberMayNotHoldOffice() throws {
    let dtpc = try ProfileFixtures.profile("dtpc-nmi")
    let c = OfficeTerm.Candidate(
      person: "li", unit: "u1", birthDate: try Fixtures.day("1980-01-01"), rank: nil,
      consecutiveTermsHeld: 0,
      standing: .suspended)
    #expect {
      try OfficeTerm.elect(
        c, to: "secretary_general", currentHolders: 0, parentTermEnd: nil, profile: dtpc,
        extensions: .init(),
        context: try Fixtures.context("2024-03-04"))
    } throws: { error in
      (error as? Refusal)?.code == "suspendedMayNotHoldOffice"
        && (error as? Refusal)?.article.citation.hasPrefix("DTPC art. 15") == true
    }
  }
}

extension TJSIA_5 {
  @Test func tjsia_5_officeEndsOnlyOnItsLastDay() throws {
    let term = try elect(try candidate(born: "1970-01-01"), on: "2024-06-20").state
    #expect {
      try term.apply(
        .termEndReached, profile: Charters.tjsiaAI, context: try Fixtures.context("2027-12-30"))
    } throws: { refused("tjsia-ai §5", "termNotEnded")($0) }
    let ended = try term.apply(
      .termEndReached, profile: Charters.tjsiaAI, context: try Fixtures.context("2027-12-31"))
    #expect(ended.state.status == .ended(on: try Fixtures.day("2027-12-31"), cause: "termEnded"))
    #expect(ended.cancelledJobKeys == ["term-end:chair:zhang:2024-06-20"])
  }
}
