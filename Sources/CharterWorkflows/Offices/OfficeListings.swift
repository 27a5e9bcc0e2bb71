import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// OFFICE LIST (who serves now) and OFFICE HISTORY (every term), keyset-paged.
extension WorkflowService {
  func officeList(_ context: CommandContext) async throws -> CommandOutcome {
    let page = try ListingPage(context)
    let post = context.invocation.arguments.string("post")
    return try await read(context) { scope in
      let after = page.after ?? []
      let result = try await scope.connection.query(
        """
        select post, person_name, coalesce(member_id::text, ''), starts_on::text,
               coalesce(ends_on::text, ''), id::text
        from charter.office_terms
        where status = 'serving' and ($1::text is null or post = $1)
          and ($2::text is null or (post, person_name, id::text) > ($2::text, $3::text, $4::text))
        order by post, person_name, id::text limit $5
        """,
        [
          post, after.count == 3 ? after[0] : nil, after.count == 3 ? after[1] : nil,
          after.count == 3 ? after[2] : nil, page.limit,
        ])
      let rows = try result.rows.map { row in
        try (0..<6).map { try row.decode($0, as: String.self) }
      }
      let last = rows.last.map { [$0[0], $0[1], $0[5]] }
      return CommandOutcome(
        reply: .table(
          columns: ["post", "person", "member", "start", "last_day", "term"], rows: rows,
          status: .ok(page.status(count: rows.count, noun: "holder", lastKey: last))))
    }
  }

  func officeHistory(_ context: CommandContext) async throws -> CommandOutcome {
    let page = try ListingPage(context)
    let arguments = context.invocation.arguments
    let post = arguments.string("post")
    let person = arguments.string("person")
    return try await read(context) { scope in
      let after = page.after ?? []
      let result = try await scope.connection.query(
        """
        select post, person_name, starts_on::text, coalesce(ends_on::text, ''), status, state,
               id::text
        from charter.office_terms
        where ($1::text is null or post = $1) and ($2::text is null or person_name = $2)
          and ($3::text is null or (post, starts_on, id::text) > ($3::text, $4::date, $5::text))
        order by post, starts_on, id::text limit $6
        """,
        [
          post, person, after.count == 3 ? after[0] : nil, after.count == 3 ? after[1] : nil,
          after.count == 3 ? after[2] : nil, page.limit,
        ])
      var rows: [[String]] = []
      for row in result.rows {
        let id = try row.decode(6, as: String.self)
        let term = try EngineState.decode(
          OfficeTerm.self, from: try row.decode(5, as: PostgresJSON.self), row: "office term \(id)")
        var cause = ""
        if case .ended(_, let why) = term.status { cause = why }
        rows.append([
          try row.decode(0, as: String.self), try row.decode(1, as: String.self),
          try row.decode(2, as: String.self), try row.decode(3, as: String.self),
          try row.decode(4, as: String.self), cause, id,
        ])
      }
      let last = rows.last.map { [$0[0], $0[2], $0[6]] }
      return CommandOutcome(
        reply: .table(
          columns: ["post", "person", "start", "end", "status", "cause", "term"], rows: rows,
          status: .ok(page.status(count: rows.count, noun: "term", lastKey: last))))
    }
  }
}
