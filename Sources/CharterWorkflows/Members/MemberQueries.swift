import CharterAccounts
import CharterAdminServer
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// MEMBER SHOW and MEMBER HISTORY: one member as the register and the decisions keep it.
extension WorkflowService {
  func memberShow(_ context: CommandContext) async throws -> CommandOutcome {
    let id = Self.memberArgument(context)
    return try await read(context) { scope in
      let result = try await scope.connection.query(
        """
        select name, kind, coalesce(credit_code, ''), status, coalesce(tier, ''),
               coalesce(joined_on::text, ''), coalesce(left_on::text, ''),
               coalesce(contact_name, ''), coalesce(contact_email, ''),
               coalesce(contact_phone, ''), coalesce(representative_name, ''),
               coalesce(representative_title, ''), coalesce(representative_rank, ''),
               coalesce(representative_birth_date::text, ''), state, revision
        from charter.members where id = $1
        """, [id])
      guard let row = result.rows.first else {
        throw scope.failure(.notFound, "no member \(id.uuidString.lowercased())")
      }
      let names = [
        "name", "kind", "credit_code", "status", "tier", "joined", "left", "contact", "email",
        "phone", "representative", "title", "rank", "born",
      ]
      var rows: [[String]] = [["id", id.uuidString.lowercased()]]
      for (index, name) in names.enumerated() {
        rows.append([name, try row.decode(index, as: String.self)])
      }
      if let state = try row.decode(14, as: PostgresJSON?.self) {
        let record = try EngineState.decode(MemberRecord.self, from: state, row: "member \(id)")
        rows.append(["seats", record.seats.sorted().joined(separator: ", ")])
        rows.append(["last_activity", record.lastActivity.description])
        if let since = record.suspendedSince {
          rows.append(["suspended_since", since.description])
        }
        switch record.status {
        case .exitPending(let noticeOn, let effective):
          rows.append(["exit_notice", noticeOn.description])
          rows.append(["exit_effective", effective.description])
        case .left(let how, _):
          rows.append(["left_how", how.rawValue])
        case .active:
          break
        }
      }
      rows.append(["revision", String(try row.decode(15, as: Int.self))])
      return CommandOutcome(
        reply: .table(columns: ["field", "value"], rows: rows, status: .ok("")))
    }
  }

  /// The register entries and the decisions about one member, in the order they were
  /// recorded, keyset-paged on (recorded_at, source, id). The article of a register entry's
  /// decision is a lookup by primary key per entry: as a join, the planner hashed every
  /// decision of the tenant for one member's page.
  func memberHistory(_ context: CommandContext) async throws -> CommandOutcome {
    let id = Self.memberArgument(context)
    let page = try ListingPage(context)
    return try await read(context) { scope in
      let exists = try await scope.connection.query(
        "select exists (select 1 from charter.members where id = $1)", [id]
      ).scalar(as: Bool.self)
      guard exists else {
        throw scope.failure(.notFound, "no member \(id.uuidString.lowercased())")
      }
      var values: [any PostgresEncodable] = [id, "member:\(id.uuidString.lowercased())"]
      var after = ""
      if let key = page.after {
        guard key.count == 3, Int64(key[2]) != nil else {
          throw scope.failure(.badArguments, "after= is not a cursor of MEMBER HISTORY")
        }
        values += [key[0], key[1], key[2]]
        after = "where (at, source, id) > ($3::timestamptz, $4, $5::bigint)"
      }
      values.append(page.limit)
      let result = try await scope.connection.query(
        """
        select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), source, id,
               day, what, standing, article, cause, recorded_by
        from (
            select r.recorded_at as at, 'register' as source, r.id, r.effective_on::text as day,
                   r.event as what,
                   r.status || coalesce(' ' || r.tier, '') as standing,
                   coalesce(
                       (select d.article from charter.decisions d
                        where d.tenant_id = r.tenant_id
                          and d.id = (r.detail ->> 'decision')::bigint), '') as article,
                   r.cause, r.recorded_by
            from charter.member_register r
            where r.tenant_id = charter.current_tenant() and r.member_id = $1
            union all
            select d.recorded_at, 'decision', d.id, d.decided_on::text, d.code,
                   coalesce('v' || d.charter_version, ''), d.article,
                   coalesce(d.detail ->> 'reasons', ''), d.recorded_by
            from charter.decisions d
            where d.tenant_id = charter.current_tenant() and d.subject = $2
        ) h
        \(after)
        order by at, source, id
        limit $\(values.count)
        """, values)
      var rows: [[String]] = []
      var lastKey: [String]?
      for row in result.rows {
        let at = try row.decode(0, as: String.self)
        let source = try row.decode(1, as: String.self)
        let entry = String(try row.decode(2, as: Int64.self))
        rows.append(
          [at, source, entry] + (try (3...8).map { try row.decode($0, as: String.self) }))
        lastKey = [at, source, entry]
      }
      return CommandOutcome(
        reply: .table(
          columns: [
            "recorded", "source", "id", "day", "what", "standing", "article", "cause", "by",
          ], rows: rows,
          status: .ok(page.status(count: rows.count, noun: "record", lastKey: lastKey))))
    }
  }
}
