import CharterAdminServer
import CharterPostgres
import CharterProtocol
import CharterStore
import Foundation

/// TENANT CREATE / LIST / SHOW / USE: operators only (the session refuses everyone else
/// before a handler runs, and the refusal is audited through the audit sink).
extension AccountsService {
  func tenantCreate(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let slug = arguments.string("slug") ?? ""
    let name = arguments.string("name") ?? ""
    let timeZone = arguments.string("timezone") ?? "Asia/Shanghai"
    let usage = context.invocation.spec.usage
    guard (1...200).contains(name.count) else {
      throw CommandFailure(.badArguments, "<name> must have 1 to 200 characters; usage: \(usage)")
    }
    let entry = Self.successEntry(context)
    return try await database.withInstallationScope { connection in
      let known = try await connection.query(
        "select exists (select 1 from pg_timezone_names where name = $1)", [timeZone])
      guard try known.scalar(as: Bool.self) else {
        throw CommandFailure(
          .badArguments,
          "unknown time zone \(String(timeZone.prefix(64))); usage: \(usage)"
        )
      }
      // tjsia-ai §2: a branch's unit applicants must be members of the parent tenant.
      var parentID: UUID?
      if let parent = arguments.string("parent") {
        parentID = try await connection.query(
          "select id from charter.tenants where slug = $1", [parent]
        ).rows.first?.decode(0, as: UUID.self)
        guard parentID != nil else {
          throw CommandFailure(.notFound, "no tenant \(parent) to be the parent; usage: \(usage)")
        }
      }
      let id = UUID()
      do {
        try await connection.savepoint { connection in
          try await connection.query(
            """
            insert into charter.tenants (id, slug, name, time_zone, parent_tenant_id)
            values ($1, $2, $3, $4, $5)
            """,
            [id, slug, name, timeZone, parentID])
        }
      } catch let error as PostgresError where error.isUniqueViolation {
        throw CommandFailure(.conflict, "tenant \(slug) exists")
      }
      let tenant = TenantRef(id: TenantID(id), slug: slug)
      try await AuditLog.append(entry, to: .installation(targetTenant: tenant), on: connection)
      return CommandOutcome(reply: .ok("tenant \(slug) created"))
    }
  }

  func tenantList(_ context: CommandContext) async throws -> CommandOutcome {
    let rows = try await database.withInstallationScope { connection in
      let result = try await connection.query(
        """
        select slug, name, case when disabled_at is null then 'active' else 'disabled' end,
               to_char(created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')
        from charter.tenants order by slug
        """, [])
      return try result.rows.map { row in try (0..<4).map { try row.decode($0, as: String.self) } }
    }
    return CommandOutcome(
      reply: .table(
        columns: ["slug", "name", "status", "created"], rows: rows,
        status: .ok(Self.count(rows.count, "tenant"))))
  }

  func tenantShow(_ context: CommandContext) async throws -> CommandOutcome {
    let slug = context.invocation.arguments.string("slug") ?? ""
    guard let tenant = try await tenants.resolve(slug) else {
      throw CommandFailure(.notFound, "no tenant \(slug)")
    }
    let fields = try await database.withInstallationScope { connection in
      let result = try await connection.query(
        """
        select name, time_zone, case when disabled_at is null then 'active' else 'disabled' end,
               to_char(created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
               coalesce((select p.slug from charter.tenants p where p.id = t.parent_tenant_id), '')
        from charter.tenants t where id = $1
        """, [tenant.id])
      guard let row = result.rows.first else { return [String]?.none }
      return try (0..<5).map { try row.decode($0, as: String.self) }
    }
    guard let fields else { throw CommandFailure(.notFound, "no tenant \(slug)") }
    let administrators = try await database.withTenant(tenant.id) { connection in
      try await AccountStore.count(in: .tenant(tenant), on: connection)
    }
    var rows = [
      ["slug", slug], ["name", fields[0]], ["timezone", fields[1]], ["status", fields[2]],
      ["created", fields[3]], ["administrators", String(administrators)],
    ]
    // A branch (分会) names its parent association (tjsia-ai §2).
    if !fields[4].isEmpty { rows.append(["parent", fields[4]]) }
    return CommandOutcome(reply: .table(columns: ["field", "value"], rows: rows, status: .ok("")))
  }

  func tenantUse(_ context: CommandContext) async throws -> CommandOutcome {
    let slug = context.invocation.arguments.string("slug") ?? ""
    guard try await tenants.resolve(slug) != nil else {
      throw CommandFailure(.notFound, "no tenant \(slug)")
    }
    return CommandOutcome(reply: .ok("using tenant \(slug)"), change: .tenantSelected(slug))
  }

  static func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }
}
