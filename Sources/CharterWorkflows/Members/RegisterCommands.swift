import CharterAccounts
import CharterAdminServer
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// The register: listing, history, CSV export and import (issue 5, DTPC art. 17).
extension WorkflowService {
  var registerCommands: [(String, Handler)] {
    [
      ("REGISTER LIST", { try await self.registerList($0) }),
      ("REGISTER EXPORT", { try await self.registerExport($0) }),
      ("REGISTER IMPORT BEGIN", { try await self.registerImportBegin($0) }),
      ("REGISTER IMPORT ROWS", { try await self.registerImportRows($0) }),
      ("REGISTER IMPORT CHECK", { try await self.registerImportCheck($0) }),
      ("REGISTER IMPORT APPLY", { try await self.registerImportApply($0) }),
    ]
  }

  /// Keyset-paged by (name, id): with `status=` the members_listing index
  /// (tenant_id, status, name, id) gives the order, with `tier=` members_by_tier, without a
  /// filter members_by_name; each page is one index range scan at any depth.
  func registerList(_ context: CommandContext) async throws -> CommandOutcome {
    let page = try ListingPage(context)
    let arguments = context.invocation.arguments
    let status = arguments.string("status")
    let tier = arguments.string("tier")
    return try await read(context) { scope in
      var cursor: (name: String, id: UUID)?
      if let after = page.after {
        guard after.count == 2, let id = UUID(uuidString: after[1]) else {
          throw scope.failure(.badArguments, "after= is not a cursor of REGISTER LIST")
        }
        cursor = (after[0], id)
      }
      let query = Self.registerListQuery(
        status: status, tier: tier, after: cursor, limit: page.limit)
      let result = try await scope.connection.query(query.sql, query.values)
      var rows: [[String]] = []
      for row in result.rows {
        rows.append(
          [try row.decode(0, as: UUID.self).uuidString.lowercased()]
            + (try (1...7).map { try row.decode($0, as: String.self) }))
      }
      let lastKey = rows.last.map { [$0[1], $0[0]] }
      return CommandOutcome(
        reply: .table(
          columns: ["id", "name", "kind", "credit_code", "status", "tier", "joined", "left"],
          rows: rows,
          status: .ok(page.status(count: rows.count, noun: "member", lastKey: lastKey))))
    }
  }

  /// The statement of one page of REGISTER LIST (tests EXPLAIN it: an index range scan, no
  /// sort, at any depth).
  static func registerListQuery(
    status: String?, tier: String?, after: (name: String, id: UUID)?, limit: Int
  ) -> (sql: String, values: [any PostgresEncodable]) {
    var conditions = ["tenant_id = charter.current_tenant()"]
    var values: [any PostgresEncodable] = []
    if let status {
      values.append(status)
      conditions.append("status = $\(values.count)")
    }
    if let tier {
      values.append(tier)
      conditions.append("tier = $\(values.count)")
    }
    if let after {
      values += [after.name, after.id]
      conditions.append("(name, id) > ($\(values.count - 1), $\(values.count))")
    }
    values.append(limit)
    let sql = """
      select id, name, kind, coalesce(credit_code, ''), status, coalesce(tier, ''),
             coalesce(joined_on::text, ''), coalesce(left_on::text, '')
      from charter.members
      where \(conditions.joined(separator: " and "))
      order by name, id
      limit $\(values.count)
      """
    return (sql, values)
  }

  /// The register (members, suspended, exit pending, former; not applicants) as CSV text
  /// lines, ordered by name, credit code and id: the first page starts with the byte-order
  /// mark and the header. Without `limit=` the whole register comes with a bare OK, so the
  /// shell prints exactly the lines and `charter -c 'REGISTER EXPORT' > register.csv` writes a
  /// valid file; with `limit=` a full page ends `OK more: after=<cursor>` (the shell's
  /// `\export-register FILE` pages so, for registers past a reply's 16 MiB).
  func registerExport(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let limit = arguments.integer("limit")
    let after = try arguments.string("after").map { token in
      guard let key = ListingPage.decode(token), key.count == 3, UUID(uuidString: key[2]) != nil
      else {
        throw CommandFailure.failure(
          .badArguments, "after= is not a cursor of REGISTER EXPORT; use the one its page printed")
      }
      return key
    }
    return try await read(context) { scope in
      var values: [any PostgresEncodable] = []
      var keyset = ""
      if let after {
        values += [after[0], after[1], after[2]]
        // `name >= $1` follows from the row comparison; spelt out, it lets the page's scan of
        // members_by_name (incremental sort on the presorted name) start at the cursor
        // instead of reading and filtering every earlier member.
        keyset =
          "and name >= $1 and (name, coalesce(credit_code, ''), id) > ($1, $2, $3::uuid)"
      }
      var limitClause = ""
      if let limit {
        values.append(limit)
        limitClause = "limit $\(values.count)"
      }
      let result = try await scope.connection.query(
        """
        select name, kind, coalesce(credit_code, ''), coalesce(tier, ''), status,
               coalesce(joined_on::text, ''), coalesce(left_on::text, ''),
               coalesce(state #>> '{status,left,_0}', ''),
               coalesce(contact_name, ''), coalesce(contact_email, ''),
               coalesce(contact_phone, ''), coalesce(representative_name, ''),
               coalesce(representative_title, ''), coalesce(representative_rank, ''),
               coalesce(representative_birth_date::text, ''), id
        from charter.members
        where tenant_id = charter.current_tenant()
          and status in ('member', 'exit_pending', 'suspended', 'former') \(keyset)
        order by name, coalesce(credit_code, ''), id
        \(limitClause)
        """, values)
      var lines: [String] = []
      lines.reserveCapacity(result.rows.count + 1)
      if after == nil {
        lines.append(RegisterCSV.byteOrderMark + RegisterCSV.line(RegisterCSV.columns))
      }
      var lastKey: [String]?
      for row in result.rows {
        let fields = try (0..<RegisterCSV.columns.count).map { try row.decode($0, as: String.self) }
        lines.append(RegisterCSV.line(fields))
        lastKey = [fields[0], fields[2], try row.decode(15, as: UUID.self).uuidString.lowercased()]
      }
      var status = ""
      if let limit, result.rows.count == limit, let lastKey {
        status = "more: after=\(ListingPage.encode(lastKey))"
      }
      return CommandOutcome(reply: .text(lines, status: .ok(status)))
    }
  }
}
