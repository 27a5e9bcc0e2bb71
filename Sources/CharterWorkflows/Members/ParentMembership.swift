import CharterPostgres
import CharterStore
import Foundation

/// tjsia-ai §2: a unit joins the branch (分会) only as a member of the parent association, a
/// tenant of the same installation (TENANT CREATE … parent=<slug>).
extension WorkflowService {
  /// Whether the unit of `creditCode` is a current member of the parent of `scope`'s tenant;
  /// nil when the tenant has no parent here (the engine then refuses: not confirmed).
  ///
  /// The question is asked in a transaction of its own in the parent tenant, read only, and
  /// answers one yes or no: no other row of the parent ever reaches the branch.
  func isParentMember(creditCode: String, scope: WorkflowScope) async throws -> Bool? {
    let parent = try await scope.connection.query(
      "select parent_tenant_id from charter.tenants where id = $1", [scope.tenant.id]
    ).rows.first?.decode(0, as: UUID?.self)
    guard let parent = parent ?? nil else { return nil }
    return try await database.withTenant(TenantID(parent)) { connection in
      try await connection.query("set transaction read only", [])
      return try await connection.query(
        """
        select exists (
            select 1 from charter.members
            where tenant_id = charter.current_tenant() and credit_code = $1
              and status in ('member', 'exit_pending', 'suspended'))
        """, [creditCode]
      ).scalar(as: Bool.self)
    }
  }
}
