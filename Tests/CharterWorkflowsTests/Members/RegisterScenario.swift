import CharterPostgres
import CharterProtocol
import Foundation
import Testing

@testable import CharterWorkflows

/// The register (DTPC art. 17): the listing with filters and keyset pages, the CSV export
/// (UTF-8 with BOM, RFC 4180 quoting) and the import of an existing register in chunks, with
/// its dry run, its errors by line and column, and all or nothing.
@Suite struct RegisterScenario {
  static let header =
    "name,kind,credit_code,tier,status,joined_on,left_on,left_how,contact_name,contact_email,contact_phone,representative_name,representative_title,representative_rank,representative_birth_date"

  /// Sends `csv` into a new import batch in chunks of `chunk` characters; returns the batch.
  static func upload(_ csv: String, chunk: Int = 90, session: ScenarioSession) async throws
    -> String
  {
    let begun = try await session.expectOK("REGISTER IMPORT BEGIN")
    let batch = try #require(MemberReplies.value("batch", in: begun))
    var rest = Substring(csv)
    while !rest.isEmpty {
      let piece = rest.prefix(chunk)
      rest = rest.dropFirst(piece.count)
      let escaped = piece.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        .replacingOccurrences(of: "\r", with: "\\r")
      try await session.expectOK("REGISTER IMPORT ROWS \(batch) \"\(escaped)\"")
    }
    return batch
  }

  /// The export as the shell writes it to a file: the text lines, each ended by LF.
  static func exported(_ session: ScenarioSession) async throws -> String {
    let wire = try await session.expectOK("REGISTER EXPORT")
    let reply = try MemberReplies.decoded(wire)
    #expect(reply.status == .ok(""))
    #expect(reply.columns.isEmpty)
    return reply.rows.map { ($0.first ?? "") + "\n" }.joined()
  }

  @Test func aCSVRoundTripIntoAnotherTenantGivesTheSameFile() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let source = try await harness.tenant("dtpc-nmi")
      try await harness.setMailboxes("dtpc-nmi")
      let csv = """
        \(Self.header)
        "北京示例科技有限公司, 第一分公司",unit,91110000MA01000001,director,member,2021-05-10,,,"张""小""三",zhang@example.com,010-1234567,李四,总经理,正高级,1968-02-29
        内蒙古示例数据有限公司,unit,91150100MA0N000002,member,suspended,2022-01-04,,,王五,wang@example.com,,,,,
        呼和浩特旧成员有限公司,unit,91150100MA0N000003,member,former,2019-03-01,2024-06-30,voluntary_exit,,,,,,,

        """
      let batch = try await Self.upload(csv, session: source)
      let dryRun = try await source.expectOK("REGISTER IMPORT CHECK \(batch)")
      #expect(dryRun.contains("3 rows checked, ready"))
      #expect(try await harness.count("dtpc-nmi", "select count(*)::int from charter.members") == 0)
      let applied = try await source.expectOK("REGISTER IMPORT APPLY \(batch)")
      #expect(applied.contains("3 members imported"))
      #expect(
        try await harness.text(
          "dtpc-nmi",
          "select string_agg(distinct event, ',') from charter.member_register") == "imported")
      // One summary to the secretariat.
      #expect(
        try await harness.count(
          "dtpc-nmi",
          "select count(*)::int from charter.notice_outbox where recipient = 'secretariat@example.org' and body like '%导入 3 个成员%'"
        ) == 1)
      // An applied batch is not applied twice.
      try await source.expectError("CONFLICT", "REGISTER IMPORT APPLY \(batch)")

      let first = try await Self.exported(source)
      #expect(first.hasPrefix("\u{FEFF}name,kind,credit_code"))
      #expect(
        first.contains("\"北京示例科技有限公司, 第一分公司\",unit,91110000MA01000001,director,member,2021-05-10"))
      #expect(first.contains("\"张\"\"小\"\"三\""))
      #expect(
        first.contains(
          "呼和浩特旧成员有限公司,unit,91150100MA0N000003,member,former,2019-03-01,2024-06-30,voluntary_exit"))
      #expect(first.split(separator: "\n").count == 4)

      // In pages (limit=, after=): the same lines, the header on the first page only.
      var paged = ""
      var after: String?
      repeat {
        let wire = try await source.expectOK(
          "REGISTER EXPORT limit=2" + (after.map { " after=\($0)" } ?? ""))
        let page = try MemberReplies.decoded(wire)
        paged += page.rows.map { ($0.first ?? "") + "\n" }.joined()
        after = page.status.message.range(of: "more: after=").map {
          String(page.status.message[$0.upperBound...])
        }
      } while after != nil
      #expect(paged == first)

      // Into another tenant, then exported again: identical.
      let target = try await harness.tenant("dtpc-copy", profile: "dtpc-nmi")
      let copied = try await Self.upload(first, chunk: 57, session: target)
      try await target.expectOK("REGISTER IMPORT APPLY \(copied)")
      let second = try await Self.exported(target)
      #expect(second == first)

      // The listing: filters and keyset pages in name order.
      let page1 = try await target.expectOK("REGISTER LIST limit=2")
      let reply1 = try MemberReplies.decoded(page1)
      #expect(reply1.rows.count == 2)
      guard case .ok(let status) = reply1.status, let range = status.range(of: "after=") else {
        Issue.record("no cursor in \(page1)")
        return
      }
      let cursor = String(status[range.upperBound...])
      let page2 = try MemberReplies.decoded(
        try await target.expectOK("REGISTER LIST limit=2 after=\(cursor)"))
      #expect(page2.rows.count == 1)
      let names = (reply1.rows + page2.rows).map { $0[1] }
      #expect(names == names.sorted())
      #expect(Set(names).count == 3)
      let suspended = try MemberReplies.decoded(
        try await target.expectOK("REGISTER LIST status=suspended"))
      #expect(suspended.rows.map { $0[1] } == ["内蒙古示例数据有限公司"])
      let directors = try MemberReplies.decoded(
        try await target.expectOK("REGISTER LIST tier=director"))
      #expect(directors.rows.map { $0[1] } == ["北京示例科技有限公司, 第一分公司"])

      // An imported former member is banned from rejoining like any other (DTPC art. 16(6)).
      let banned = try await target.expectError(
        "REFUSED", "MEMBER APPLY unit \"呼和浩特旧成员有限公司\" credit=91150100MA0N000003")
      #expect(banned.contains("DTPC art. 16(6)"))
    }
  }

  @Test func importErrorsAreNamedByLineAndColumnAndAFailedImportChangesNothing() async throws {
    try await Harness.with(start: "2026-03-02") { harness in
      let session = try await harness.tenant("dtpc-nmi")
      let existing = try await harness.seedMember("dtpc-nmi", name: "既有成员", tier: "member")
      try await harness.inTenant("dtpc-nmi") { connection in
        try await connection.query(
          "update charter.members set credit_code = '91150100MA0N000009' where id = $1", [existing])
      }
      let csv = """
        \(Self.header)
        甲科技有限公司,unit,91150100MA0N000001,member,member,2021-05-10,,,,,,,,,
        乙科技有限公司,unit,91150100MA0N000002,vip,member,2021-13-01,,,,not-an-email,,,,,
        丙科技有限公司,unit,91150100MA0N000001,member,former,2021-05-10,,,,,,,,,
        丁科技有限公司,unit,91150100MA0N000009,member,member,2021-05-10,,,,,,,,,
        戊科技有限公司,unit,,member,member
        """
      let batch = try await Self.upload(csv, session: session)
      let before = try await harness.footprint("dtpc-nmi")
      let checked = try MemberReplies.decoded(
        try await session.expectOK("REGISTER IMPORT CHECK \(batch)"))
      let errors = checked.rows.map { $0[0] }
      #expect(errors.contains { $0.hasPrefix("error: line 3, column 4 (tier): unknown tier vip") })
      #expect(
        errors.contains {
          $0.hasPrefix("error: line 3, column 6 (joined_on): 2021-13-01 is not a date")
        })
      #expect(errors.contains { $0.hasPrefix("error: line 3, column 10 (contact_email)") })
      #expect(
        errors.contains {
          $0.hasPrefix(
            "error: line 4, column 3 (credit_code): 91150100MA0N000001 is also on line 2")
        })
      #expect(
        errors.contains { $0.hasPrefix("error: line 4, column 7 (left_on): a former member needs") }
      )
      #expect(errors.contains { $0.hasPrefix("error: line 4, column 8 (left_how)") })
      #expect(
        errors.contains {
          $0.hasPrefix(
            "error: line 5, column 3 (credit_code): 91150100MA0N000009 is already in the register")
        })
      #expect(errors.contains { $0.hasPrefix("error: line 6: 5 fields, the header has 15") })
      #expect(checked.status.message.contains("nothing changed"))
      // The dry run changed nothing, and neither does the failed import.
      #expect(try await harness.footprint("dtpc-nmi") == before)
      let failed = try await session.expectError("CONFLICT", "REGISTER IMPORT APPLY \(batch)")
      #expect(failed.contains("nothing imported; first: line 3, column 4 (tier)"))
      #expect(try await harness.footprint("dtpc-nmi") == before)

      // A syntax error names its line and column too.
      let broken = try await Self.upload(
        "\(Self.header)\n\"未闭合的名称,unit,91150100MA0N000001,member,member,2021-05-10,,,,,,,,,\n",
        session: session)
      let syntax = try await session.expectOK("REGISTER IMPORT CHECK \(broken)")
      #expect(syntax.contains("error: line 2, column 1: a quoted field is not closed"))
      let header = try await Self.upload("name,kind,colour\n", session: session)
      let headerCheck = try await session.expectOK("REGISTER IMPORT CHECK \(header)")
      #expect(headerCheck.contains("line 1, column 3 (colour): unknown column"))
      #expect(headerCheck.contains("line 1: the column tier is missing"))
    }
  }
}
