import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// REGISTER IMPORT BEGIN / ROWS / CHECK / APPLY: an existing register (a CSV file as REGISTER
/// EXPORT writes it) brought into a tenant. A request line holds at most 64 KiB, so the file
/// arrives in chunks kept in charter.register_import_chunks (SQL/0007_members.sql); CHECK is
/// the dry run (every error by line and column, nothing changes) and APPLY imports every row
/// in one transaction or none.
extension WorkflowService {
  func registerImportBegin(_ context: CommandContext) async throws -> CommandOutcome {
    try await change(context) { scope in
      let id = UUID()
      try await scope.connection.query(
        """
        insert into charter.register_import_batches (tenant_id, id, created_by)
        values (charter.current_tenant(), $1, $2)
        """, [id, scope.actor])
      let batch = id.uuidString.lowercased()
      return CommandOutcome(
        reply: .text(
          [
            "batch: \(batch)",
            "next: REGISTER IMPORT ROWS \(batch) \"<chunk of the file, line ends as \\n>\" (in order)",
          ], status: .ok("import batch \(batch)")))
    }
  }

  func registerImportRows(_ context: CommandContext) async throws -> CommandOutcome {
    let id = Self.batchArgument(context)
    let text = context.invocation.arguments.string("text") ?? ""
    return try await change(context) { scope in
      try await Self.lockOpenBatch(id, scope: scope)
      let seq = try await scope.connection.query(
        """
        insert into charter.register_import_chunks (tenant_id, batch_id, seq, text)
        select charter.current_tenant(), $1, coalesce(max(seq), 0) + 1, $2
        from charter.register_import_chunks where batch_id = $1
        returning seq
        """, [id, text]
      ).scalar(as: Int.self)
      return CommandOutcome(
        reply: .ok("batch \(id.uuidString.lowercased()): chunk \(seq), \(text.count) characters"))
    }
  }

  func registerImportCheck(_ context: CommandContext) async throws -> CommandOutcome {
    let id = Self.batchArgument(context)
    return try await read(context) { scope in
      try await Self.lockOpenBatch(id, scope: scope, lock: false)
      let checked = try await Self.checkImport(batch: id, scope: scope)
      let lines = checked.errors.map { "error: \($0)" }
      let verdict =
        checked.errors.isEmpty
        ? "ready: REGISTER IMPORT APPLY \(id.uuidString.lowercased())"
        : "\(checked.errors.count) errors"
      return CommandOutcome(
        reply: .text(
          lines,
          status: .ok("dry run: \(checked.rows.count) rows checked, \(verdict); nothing changed")))
    }
  }

  func registerImportApply(_ context: CommandContext) async throws -> CommandOutcome {
    let id = Self.batchArgument(context)
    return try await change(context) { scope in
      try await Self.lockOpenBatch(id, scope: scope)
      let checked = try await Self.checkImport(batch: id, scope: scope)
      guard checked.errors.isEmpty else {
        throw scope.failure(
          .conflict,
          "\(checked.errors.count) errors, nothing imported; first: \(checked.errors[0]); REGISTER IMPORT CHECK \(id.uuidString.lowercased()) lists them all"
        )
      }
      guard !checked.rows.isEmpty else {
        throw scope.failure(.conflict, "the batch holds no member rows; nothing imported")
      }
      try await Self.insert(checked.rows, batch: id, scope: scope)
      try await scope.connection.query(
        """
        update charter.register_import_batches set applied_at = now(), applied_rows = $2
        where id = $1
        """, [id, checked.rows.count])
      // One summary to the secretariat, not one announcement per imported member: the
      // members are not new, their register moved here.
      let profile = try scope.profile()
      let article = Article(profile.membership.kinds.citation)
      var transition = Transition(
        state: checked.rows.count, decision: Decision("registerImported", article))
      transition.notices.append(
        Notice(
          .announcement, to: [.secretariat], template: "register.imported",
          parameters: ["batch": id.uuidString.lowercased(), "rows": String(checked.rows.count)],
          zh: "成员名册已导入 \(checked.rows.count) 个成员（批次 \(id.uuidString.lowercased())）",
          en:
            "\(checked.rows.count) members imported into the register (batch \(id.uuidString.lowercased()))",
          article: article))
      let recorded = try await scope.record(
        transition, subject: .filedCase(CaseID("register-import:\(id.uuidString.lowercased())")),
        detail: ["rows": String(checked.rows.count)])
      return CommandOutcome(
        reply: .text(
          recorded.replyLines,
          status: .ok(
            "\(checked.rows.count) members imported from batch \(id.uuidString.lowercased())")))
    }
  }

  static func batchArgument(_ context: CommandContext) -> UUID {
    UUID(uuidString: context.invocation.arguments.string("batch") ?? "") ?? UUID()
  }

  /// The batch exists and was not applied; locked until the transaction ends when `lock`.
  static func lockOpenBatch(_ id: UUID, scope: WorkflowScope, lock: Bool = true) async throws {
    let row = try await scope.connection.query(
      """
      select applied_at is not null from charter.register_import_batches where id = $1
      \(lock ? "for update" : "")
      """, [id]
    ).rows.first
    guard let row else {
      throw scope.failure(.notFound, "no import batch \(id.uuidString.lowercased())")
    }
    if try row.decode(0, as: Bool.self) {
      throw scope.failure(.conflict, "batch \(id.uuidString.lowercased()) was applied already")
    }
  }

  // MARK: Checking

  struct ImportRow: Sendable {
    var line: Int
    var name: String
    var kind: MemberKind
    var creditCode: String?
    var tier: String
    var status: String
    var joined: CivilDate
    var left: CivilDate?
    var leftHow: LeavingKind?
    var contactName: String?
    var contactEmail: String?
    var contactPhone: String?
    var representativeName: String?
    var representativeTitle: String?
    var representativeRank: String?
    var representativeBirthDate: CivilDate?
  }

  struct CheckedImport {
    var rows: [ImportRow] = []
    var errors: [String] = []
  }

  /// Parses and validates the batch's text against the charter in force and the tenant's
  /// register; every error is named by line and column (the header is line 1).
  static func checkImport(batch: UUID, scope: WorkflowScope) async throws -> CheckedImport {
    let chunks = try await scope.connection.query(
      "select text from charter.register_import_chunks where batch_id = $1 order by seq", [batch])
    let text = try chunks.rows.map { try $0.decode(0, as: String.self) }.joined()
    var checked = CheckedImport()
    let records: [RegisterCSV.Record]
    switch RegisterCSV.parse(text) {
    case .failure(let error):
      checked.errors.append("line \(error.line), column \(error.column): \(error.message)")
      return checked
    case .success(let parsed):
      records = parsed
    }
    guard let header = records.first else {
      checked.errors.append("line 1: the file is empty; it needs the header line")
      return checked
    }
    var position: [String: Int] = [:]
    for (index, name) in header.fields.enumerated() {
      let column = name.trimmingCharacters(in: .whitespaces)
      if !RegisterCSV.columns.contains(column) {
        checked.errors.append(
          "line 1, column \(index + 1) (\(column)): unknown column; the columns are \(RegisterCSV.columns.joined(separator: ","))"
        )
      } else if position[column] != nil {
        checked.errors.append("line 1, column \(index + 1) (\(column)): column given twice")
      } else {
        position[column] = index
      }
    }
    for missing in RegisterCSV.requiredColumns.subtracting(position.keys).sorted() {
      checked.errors.append("line 1: the column \(missing) is missing")
    }
    guard checked.errors.isEmpty else { return checked }

    let profile = try scope.profile()
    let today = scope.engine.today
    var creditLines: [String: Int] = [:]
    for record in records.dropFirst() {
      var errors: [String] = []
      func fail(_ column: String, _ message: String) {
        let number = (position[column] ?? 0) + 1
        errors.append("line \(record.line), column \(number) (\(column)): \(message)")
      }
      guard record.fields.count == header.fields.count else {
        checked.errors.append(
          "line \(record.line): \(record.fields.count) fields, the header has \(header.fields.count)"
        )
        continue
      }
      func value(_ column: String) -> String? {
        guard let index = position[column] else { return nil }
        let text = record.fields[index].trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
      }
      func date(_ column: String) -> CivilDate? {
        guard let text = value(column) else { return nil }
        guard let day = CivilDate(iso: text) else {
          fail(column, "\(text) is not a date YYYY-MM-DD")
          return nil
        }
        return day
      }
      let name = value("name") ?? ""
      if name.isEmpty || name.count > 300 {
        fail("name", "a name of 1 to 300 characters is required")
      }
      if name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
      ) {
        fail("name", "control characters (a line break) are not allowed in a name")
      }
      let kind = MemberKind(rawValue: value("kind") ?? "")
      if kind == nil {
        fail("kind", "\(value("kind") ?? "(empty)") is not unit or individual")
      } else if let kind, !profile.membership.kinds.value.contains(kind) {
        fail(
          "kind",
          "the charter does not admit \(kind.rawValue) members (\(profile.membership.kinds.citation.article))"
        )
      }
      let credit = value("credit_code").map(normalisedCreditCode)
      if let credit {
        if !isCreditCode(credit) {
          fail("credit_code", "\(credit) is not a 统一社会信用代码 (18 letters and digits)")
        } else if let first = creditLines[credit] {
          fail("credit_code", "\(credit) is also on line \(first)")
        } else {
          creditLines[credit] = record.line
        }
      } else if kind == .unit {
        fail("credit_code", "a unit needs its 统一社会信用代码")
      }
      let tier = value("tier") ?? ""
      if profile.tier(tier) == nil {
        fail(
          "tier",
          "unknown tier \(tier.isEmpty ? "(empty)" : tier); the charter's tiers are \(profile.tiers.map(\.id).joined(separator: ", "))"
        )
      }
      let status = value("status") ?? ""
      if !["member", "suspended", "former"].contains(status) {
        fail(
          "status",
          status == "exit_pending"
            ? "exit_pending is not imported: import it as member, then MEMBER EXIT on the day of the notice"
            : "\(status.isEmpty ? "(empty)" : status) is not member, suspended or former")
      }
      let joined = date("joined_on")
      if value("joined_on") == nil { fail("joined_on", "the day of admission is required") }
      if let joined, today < joined { fail("joined_on", "\(joined) is after today") }
      let left = date("left_on")
      let leftHow = value("left_how").flatMap(LeavingKind.init(rawValue:))
      if let how = value("left_how"), leftHow == nil {
        fail(
          "left_how",
          "\(how) is not one of \(LeavingKind.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      if status == "former" {
        if value("left_on") == nil { fail("left_on", "a former member needs the day it left") }
        if value("left_how") == nil { fail("left_how", "a former member needs how it left") }
        if let left, let joined, left < joined {
          fail("left_on", "\(left) is before joined_on \(joined)")
        }
      } else if status == "member" || status == "suspended" {
        if value("left_on") != nil { fail("left_on", "only a former member has left_on") }
        if value("left_how") != nil { fail("left_how", "only a former member has left_how") }
      }
      let email = value("contact_email")
      if let email, !looksLikeEmail(email) {
        fail("contact_email", "\(email) is not an e-mail address")
      }
      let born = date("representative_birth_date")
      for column in [
        "contact_name", "contact_phone", "representative_name", "representative_title",
        "representative_rank",
      ] {
        if let text = value(column), text.count > 1_000 {
          fail(column, "longer than 1,000 characters")
        }
      }
      if errors.isEmpty, let kind, let joined {
        checked.rows.append(
          ImportRow(
            line: record.line, name: name, kind: kind, creditCode: credit, tier: tier,
            status: status, joined: joined, left: left, leftHow: leftHow,
            contactName: value("contact_name"), contactEmail: email,
            contactPhone: value("contact_phone"), representativeName: value("representative_name"),
            representativeTitle: value("representative_title"),
            representativeRank: value("representative_rank"), representativeBirthDate: born))
      } else {
        checked.errors += errors
      }
    }
    // A unit is one row for good (its credit code is unique in a tenant).
    if !creditLines.isEmpty {
      let taken = try await scope.connection.query(
        "select credit_code, name from charter.members where credit_code = any($1)",
        [Array(creditLines.keys)])
      let creditColumn = (position["credit_code"] ?? 0) + 1
      for row in taken.rows {
        let code = try row.decode(0, as: String.self)
        let line = creditLines[code] ?? 0
        checked.errors.append(
          "line \(line), column \(creditColumn) (credit_code): \(code) is already in the register as \(try row.decode(1, as: String.self))"
        )
      }
      checked.errors.sort { lineNumber($0) < lineNumber($1) }
    }
    return checked
  }

  private static func lineNumber(_ error: String) -> Int {
    Int(error.dropFirst("line ".count).prefix { $0.isNumber }) ?? 0
  }

  // MARK: Writing

  /// Inserts the members and their 'imported' register entries, 500 rows a statement.
  static func insert(_ rows: [ImportRow], batch: UUID, scope: WorkflowScope) async throws {
    let today = scope.engine.today
    let batchText = batch.uuidString.lowercased()
    var start = 0
    while start < rows.count {
      let slice = rows[start..<min(start + 500, rows.count)]
      start += slice.count
      var ids: [UUID] = []
      var columns = Array(repeating: [String](), count: 16)
      for row in slice {
        let id = UUID()
        ids.append(id)
        var record = MemberRecord(
          id: MemberID(id.uuidString.lowercased()), kind: row.kind, tier: row.tier,
          status: .active, since: row.joined, lastActivity: today)
        if row.status == "former", let left = row.left, let how = row.leftHow {
          record.status = .left(how, on: left)
        }
        if row.status == "suspended" { record.suspendedSince = today }
        let fields: [String] = [
          row.kind.rawValue, row.name, row.creditCode ?? "", row.contactName ?? "",
          row.contactEmail ?? "", row.contactPhone ?? "", MemberStore.status(of: record), row.tier,
          row.joined.description, row.left?.description ?? "", row.representativeName ?? "",
          row.representativeTitle ?? "", row.representativeRank ?? "",
          row.representativeBirthDate?.description ?? "", try EngineState.encode(record).text,
          "imported from CSV batch \(batchText), line \(row.line)",
        ]
        for (index, field) in fields.enumerated() { columns[index].append(field) }
      }
      try await scope.connection.query(
        """
        insert into charter.members
            (tenant_id, id, kind, name, credit_code, contact_name, contact_email, contact_phone,
             status, tier, joined_on, left_on, representative_name, representative_title,
             representative_rank, representative_birth_date, state, revision)
        select charter.current_tenant(), id, kind, name, nullif(credit, ''), nullif(cname, ''),
               nullif(email, ''), nullif(phone, ''), status, tier, joined::date,
               nullif(left_on, '')::date, nullif(rname, ''), nullif(rtitle, ''),
               nullif(rrank, ''), nullif(born, '')::date, state::jsonb, 1
        from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                    $13::text[], $14::text[], $15::text[], $16::text[])
            as r(id, kind, name, credit, cname, email, phone, status, tier, joined, left_on,
                 rname, rtitle, rrank, born, state)
        """,
        [ids as any PostgresEncodable] + columns[0..<15].map { $0 as any PostgresEncodable })
      try await scope.connection.query(
        """
        insert into charter.member_register
            (tenant_id, member_id, event, effective_on, tier, status, cause, charter_version,
             recorded_by, detail)
        select charter.current_tenant(), id, 'imported', $3::date, tier, status, cause, $4, $5,
               jsonb_build_object('batch', $6::text)
        from unnest($1::uuid[], $2::text[], $7::text[], $8::text[]) as r(id, cause, tier, status)
        """,
        [
          ids, columns[15], today.description, scope.charter?.version, scope.actor, batchText,
          columns[7], columns[6],
        ])
    }
  }
}
