import CharterCalendar
import CharterGovernance
import CharterPostgres
import Foundation
import Testing

@testable import CharterWorkflows

/// Offices as a secretariat records them: the engine's eligibility checks refuse with their
/// article and change nothing; an accepted election writes the term, its decision, its
/// announcement and its `termEnd` job.
@Suite struct OfficeScenarioTests {
  /// tjsia-ai §5(一)5: chair at most 70 (周岁, completed years on the election day); the term
  /// follows the parent council's (tjsia-ai §5); the representative of a unit must be at
  /// vice-president level or above (tjsia-ai §5(一)3).
  @Test func tjsiaChairAgeLimitRefusesAt71AndElectsTheDayBeforeThe71stBirthday() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("tjsia-ai")
      let unit = try await harness.seedMember(
        "tjsia-ai", name: "天津示例智能科技有限公司", tier: "member", email: "unit@example.com")
      let member = unit.uuidString.lowercased()

      // Born 1955-03-02: 71 on the election day 2026-03-02.
      let tooOld = try await session.expectError(
        "REFUSED",
        "OFFICE ELECT chair 王建国 member=\(member) birth=1955-03-02 rank=president until=2029-06-30"
      )
      #expect(tooOld.contains("tjsia-ai §5(一)5"))
      #expect(tooOld.contains("71"))
      // A manager-level representative: tjsia-ai §5(一)3.
      let lowRank = try await session.expectError(
        "REFUSED",
        "OFFICE ELECT chair 李明 member=\(member) birth=1960-01-01 rank=manager until=2029-06-30")
      #expect(lowRank.contains("tjsia-ai §5(一)3"))
      // The term follows the parent council's: its last day is needed (tjsia-ai §5).
      try await session.expectError(
        "REFUSED", "OFFICE ELECT chair 李明 member=\(member) birth=1960-01-01 rank=president")
      let refusedRows = try await harness.inTenant("tjsia-ai") { connection in
        try await connection.query("select count(*)::int8 from charter.office_terms", []).scalar(
          as: Int64.self)
      }
      #expect(refusedRows == 0)

      // Born 1955-03-03: 70 until the day before the 71st birthday, so eligible.
      let reply = try await session.expectOK(
        "OFFICE ELECT chair 张伟 member=\(member) birth=1955-03-03 rank=vice-president until=2029-06-30"
      )
      #expect(reply.contains("OK 张伟 takes chair from 2026-03-02; term until 2029-06-30"))
      #expect(reply.contains("decision: officeTaken"))

      let stored = try await harness.inTenant("tjsia-ai") { connection in
        let term = try await connection.query(
          """
          select status, ends_on::text, member_id::text, birth_date::text
          from charter.office_terms where person_name = '张伟'
          """, [])
        let job = try await connection.query(
          """
          select unique_key, (due_at at time zone 'Asia/Shanghai')::date::text, state
          from charter.deadline_jobs where kind = 'governance.termEnd'
          """, [])
        let decision = try await connection.query(
          "select code, article, charter_version from charter.decisions where subject = 'person:张伟'",
          [])
        let outbox = try await connection.query(
          "select string_agg(recipient, ',') , string_agg(body, ' ') from charter.notice_outbox",
          [])
        return (term.rows, job.rows, decision.rows, outbox.rows)
      }
      let term = try #require(stored.0.first)
      #expect(try term.decode(0, as: String.self) == "serving")
      #expect(try term.decode(1, as: String.self) == "2029-06-30")
      #expect(try term.decode(2, as: String.self) == member)
      #expect(try term.decode(3, as: String.self) == "1955-03-03")
      let job = try #require(stored.1.first)
      #expect(try job.decode(0, as: String.self) == "term-end:chair:张伟:2026-03-02")
      #expect(try job.decode(1, as: String.self) == "2029-06-30")
      #expect(try job.decode(2, as: String.self) == "pending")
      let decision = try #require(stored.2.first)
      #expect(try decision.decode(0, as: String.self) == "officeTaken")
      #expect(try decision.decode(1, as: String.self).contains("tjsia-ai §2, §5"))
      #expect(try decision.decode(2, as: Int.self) == 1)
      // The announcement goes to all members (the unit's contact address).
      let outbox = try #require(stored.3.first)
      #expect(try outbox.decode(0, as: String?.self)?.contains("unit@example.com") == true)
      #expect(try outbox.decode(1, as: String?.self)?.contains("张伟 任理事长") == true)

      // The post has one holder (tjsia-ai §2: cap 1).
      try await session.expectError(
        "REFUSED",
        "OFFICE ELECT chair 赵敏 member=\(member) birth=1970-01-01 rank=president until=2029-06-30")
      let list = try await session.expectOK("OFFICE LIST")
      #expect(list.contains("* chair\t张伟\t\(member)\t2026-03-02\t2029-06-30\t"))
      #expect(list.hasSuffix("OK 1 holder\n"))

      // The term-end job on the last day ends the term (the members part dispatches
      // `term-end:` keys to officeTermEnded).
      harness.clock.set(day: "2029-06-30")
      let tenant = try await harness.tenantID("tjsia-ai")
      try await harness.database.withTenant(tenant) { connection in
        let scope = try await harness.workflows.scope(
          tenant: .init(id: tenant, slug: "tjsia-ai"), connection: connection, actor: "system",
          command: "job governance.termEnd")
        let context = DeadlineJobContext(
          kind: .termEnd, subject: .person(PersonID("张伟")), key: "term-end:chair:张伟:2026-03-02",
          dueAt: Date(), payload: ["post": "chair", "person": "张伟"], attempt: 1)
        let outcome = try await harness.workflows.officeTermEnded(scope, context)
        guard case .done = outcome else {
          Issue.record("the term-end job did not finish: \(outcome)")
          return
        }
      }
      let history = try await session.expectOK("OFFICE HISTORY post=chair")
      #expect(history.contains("* chair\t张伟\t2026-03-02\t2029-06-30\tended\ttermEnded\t"))
      let empty = try await session.expectOK("OFFICE LIST")
      #expect(empty.hasSuffix("OK 0 holders\n"))
    }
  }

  /// DTPC art. 22: at most 7 deputy secretaries-general; the 8th is refused until one leaves.
  @Test func dtpcEighthDeputySecretaryGeneralIsRefused() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      let names = ["甲一", "乙二", "丙三", "丁四", "戊五", "己六", "庚七"]
      var terms: [String] = []
      for name in names {
        let reply = try await session.expectOK("OFFICE ELECT deputy_secretary_general \(name)")
        // DTPC art. 12: no term set for the post here; the reply names the term id.
        let line = try #require(reply.split(separator: "\n").first { $0.hasPrefix("* term ") })
        terms.append(String(line.dropFirst("* term ".count)))
      }
      let refused = try await session.expectError(
        "REFUSED", "OFFICE ELECT deputy_secretary_general 辛八")
      #expect(refused.contains("DTPC art. 22"))
      #expect(refused.contains("7"))
      let count = try await harness.inTenant("dtpc-nmi") { connection in
        try await connection.query(
          "select count(*)::int8 from charter.office_terms where post = 'deputy_secretary_general'",
          []
        ).scalar(as: Int64.self)
      }
      #expect(count == 7)
      // A secretary-general is elected by the joint meeting, not appointed.
      try await session.expectError("CONFLICT", "OFFICE APPOINT secretary_general 壬九")
      // A removal needs its reason; a resignation frees a seat.
      try await session.expectError("BAD_ARGUMENTS", "OFFICE END \(terms[0]) removed")
      let ended = try await session.expectOK("OFFICE END \(terms[0]) resigned")
      #expect(ended.contains("OK 甲一 leaves deputy_secretary_general on 2026-03-02 (resigned)"))
      try await session.expectError("CONFLICT", "OFFICE END \(terms[0]) resigned")
      try await session.expectOK("OFFICE ELECT deputy_secretary_general 辛八")
      // Paging: 7 serving, 3 a page.
      let first = try await session.expectOK("OFFICE LIST post=deputy_secretary_general limit=3")
      let cursor = try #require(first.split(separator: "after=").last).trimmingCharacters(
        in: .whitespacesAndNewlines)
      let second = try await session.expectOK(
        "OFFICE LIST post=deputy_secretary_general limit=3 after=\(cursor)")
      #expect(first.contains("OK 3 holders; more: after="))
      #expect(second.contains("OK 3 holders; more: after="))
      let history = try await session.expectOK("OFFICE HISTORY person=甲一")
      #expect(history.contains("\tended\tresigned\t"))
    }
  }

  /// tjsia-ai §5: at most 2 consecutive terms; a third back to back is refused.
  @Test func tjsiaThirdConsecutiveTermIsRefused() async throws {
    try await Harness.with(start: "2020-07-01") { harness in
      let session = try await harness.tenant("tjsia-ai")
      let unit = try await harness.seedMember(
        "tjsia-ai", name: "天津连任科技", tier: "member", since: "2019-01-02")
      let member = unit.uuidString.lowercased()
      let elect =
        "OFFICE ELECT vice_chair 陈静 member=\(member) birth=1970-05-05 rank=president"
      let first = try await session.expectOK(elect + " until=2023-06-30")
      let firstTerm = try #require(
        first.split(separator: "\n").first { $0.hasPrefix("* term ") }?.dropFirst(7))
      harness.clock.set(day: "2023-06-30")
      try await session.expectOK("OFFICE END \(firstTerm) term-ended")
      harness.clock.set(day: "2023-07-01")
      let second = try await session.expectOK(elect + " until=2026-06-30")
      let secondTerm = try #require(
        second.split(separator: "\n").first { $0.hasPrefix("* term ") }?.dropFirst(7))
      harness.clock.set(day: "2026-06-30")
      try await session.expectOK("OFFICE END \(secondTerm) term-ended")
      harness.clock.set(day: "2026-07-01")
      let third = try await session.expectError("REFUSED", elect + " until=2029-06-30")
      #expect(third.contains("tjsia-ai §5"))
      #expect(third.contains("2"))
    }
  }
}

/// The other eligibility rules: a suspended member holds no office (DTPC art. 15
/// [interp]); a director of tjsia-ai is at most 65 (tjsia-ai §5(二)3) and is appointed by the
/// chair (tjsia-ai §2).
@Suite struct OfficeEligibilityTests {
  @Test func dtpcSuspendedMemberMayNotHoldOffice() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      let unit = try await harness.seedMember("dtpc-nmi", name: "停权示例公司", tier: "member")
      var member = try #require(try await harness.member("dtpc-nmi", unit))
      member.record?.suspendedSince = CivilDate(iso: "2026-02-01")
      let suspended = member
      try await harness.inTenant("dtpc-nmi") { connection in
        try await MemberStore.save(suspended, on: connection)
      }
      let refused = try await session.expectError(
        "REFUSED",
        "OFFICE ELECT deputy_secretary_general 钱十 member=\(unit.uuidString.lowercased())")
      #expect(refused.contains("DTPC art. 15"))
      let terms = try await harness.texts(
        "dtpc-nmi", "select count(*)::text from charter.office_terms")
      #expect(terms == ["0"])
      let audit = try await harness.texts(
        "dtpc-nmi", "select outcome from charter.audit_log where command like 'OFFICE ELECT%'")
      #expect(audit == ["refused"])
    }
  }

  @Test func tjsiaDirectorOver65IsRefusedAndIsAppointedNotElected() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("tjsia-ai")
      let unit = try await harness.seedMember("tjsia-ai", name: "天津理事单位", tier: "member")
      let member = unit.uuidString.lowercased()
      // Born 1960-03-01: 66 on 2026-03-02.
      let old = try await session.expectError(
        "REFUSED",
        "OFFICE APPOINT director 周强 member=\(member) birth=1960-03-01 rank=vice-president")
      #expect(old.contains("tjsia-ai §5(二)3"))
      try await session.expectError(
        "CONFLICT",
        "OFFICE ELECT director 周强 member=\(member) birth=1960-03-03 rank=vice-president")
      try await session.expectError(
        "BAD_ARGUMENTS", "OFFICE APPOINT director 周强 member=\(member) rank=vice-president")
      // Born 1960-03-03: 65 until 2 March 2026 inclusive → appointed; no term is set.
      let reply = try await session.expectOK(
        "OFFICE APPOINT director 周强 member=\(member) birth=1960-03-03 rank=vice-president")
      #expect(reply.contains("OK 周强 takes director from 2026-03-02; term until no set day"))
      let jobs = try await harness.texts(
        "tjsia-ai",
        "select count(*)::text from charter.deadline_jobs where kind = 'governance.termEnd'")
      #expect(jobs == ["0"])
    }
  }
}
