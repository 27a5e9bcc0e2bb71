import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterTestSupport
import Foundation
import Testing

@testable import CharterWorkflows

/// Issue 7, "upgrade path of a tenant's charter": an amendment loads a new profile version with
/// an effective date; decisions before it keep the old version, decisions from that day on
/// apply the new one and record it.
@Suite struct CharterAmendmentTests {
  /// A charters folder holding dtpc-nmi as shipped (v1, DTPC art. 16(1): 30 days' notice of
  /// exit) and, once `amend` ran, a v2 whose exit notice is 60 days.
  final class ChartersFolder: Sendable {
    let url: URL
    let original: String

    init() throws {
      url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "charter-amendment-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      original = try String(
        contentsOf: TestDatabase.repositoryRoot.appendingPathComponent(
          "Config/charters/dtpc-nmi.toml"), encoding: .utf8)
      try write(original)
    }

    func write(_ text: String) throws {
      try text.write(
        to: url.appendingPathComponent("dtpc-nmi.toml"), atomically: true, encoding: .utf8)
    }

    func amend() throws {
      let amended = original.replacingOccurrences(of: "version = 1\n", with: "version = 2\n")
        .replacingOccurrences(
          of: "notice = { calendar_days = 30, article = \"DTPC art. 16(1)\"",
          with: "notice = { calendar_days = 60, article = \"DTPC art. 16(1)\"")
      #expect(amended != original)
      try write(amended)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
  }

  /// Records an exit notice of a new member today; returns the exit job's due day and the
  /// charter version its decision recorded.
  func exitNotice(_ harness: Harness) async throws -> (due: String, version: Int) {
    let member = try await harness.seedMember(
      "dtpc-nmi", name: "成员 \(UUID().uuidString.prefix(4))", tier: "member")
    let tenant = try await harness.tenantID("dtpc-nmi")
    return try await harness.database.withTenant(tenant) { connection in
      let scope = try await harness.workflows.scope(
        tenant: .init(id: tenant, slug: "dtpc-nmi"), connection: connection, actor: "test",
        command: "test")
      var stored = try #require(try await MemberStore.load(member, on: connection))
      let record = try #require(stored.record)
      let transition = try record.apply(
        .exitNoticeReceived, profile: try scope.profile(), context: scope.engine)
      stored.record = transition.state
      try await MemberStore.save(stored, on: connection)
      let recorded = try await scope.record(transition, subject: .member(record.id))
      let due = try await connection.query(
        "select payload->>'due_day' from charter.deadline_jobs where unique_key = $1",
        ["exit-effective:\(record.id)"]
      ).scalar(as: String.self)
      let version = try await connection.query(
        "select charter_version from charter.decisions where id = $1", [recorded.decisionID]
      ).scalar(as: Int.self)
      return (due, version)
    }
  }

  @Test func decisionsBeforeTheEffectiveDateKeepTheOldVersion() async throws {
    let folder = try ChartersFolder()
    try await Harness.with(start: "2026-05-04", charters: folder.url) { harness in
      let session = try await harness.tenant("dtpc-nmi")
      try folder.amend()
      let loaded = try await session.expectOK(
        "CHARTER LOAD dtpc-nmi effective=2026-06-01 note=\"2026 amendment\"")
      #expect(loaded.contains("v2"))
      #expect(loaded.contains("in force from 2026-06-01"))

      // 2026-05-04, before the amendment: v1, 30 days (2026-06-03).
      let before = try await exitNotice(harness)
      #expect(before.version == 1)
      #expect(before.due == "2026-06-03")

      // 2026-06-01, the amendment's first day: v2, 60 days (2026-07-31).
      harness.clock.set(day: "2026-06-01")
      let after = try await exitNotice(harness)
      #expect(after.version == 2)
      #expect(after.due == "2026-07-31")

      let history = try await session.expectOK("CHARTER HISTORY")
      #expect(history.contains("2026 amendment"))
      let old = try await session.expectOK("CHARTER SHOW on=2026-05-31")
      #expect(old.contains("version⇥1".replacingOccurrences(of: "⇥", with: "\t")))
    }
  }

  @Test func anAmendmentCannotApplyRetroactively() async throws {
    let folder = try ChartersFolder()
    try await Harness.with(start: "2026-05-04", charters: folder.url) { harness in
      let session = try await harness.tenant("dtpc-nmi")
      try folder.amend()
      try await session.expectError("CONFLICT", "CHARTER LOAD dtpc-nmi effective=2019-12-31")
      try await session.expectOK("CHARTER LOAD dtpc-nmi effective=2026-05-04")
    }
  }
}
