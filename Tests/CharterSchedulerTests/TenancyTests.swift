import CharterPostgres
import CharterScheduler
import CharterStore
import Foundation
import Testing

/// The cross-tenant claim is one narrow hole: SECURITY DEFINER functions owned by the NOLOGIN,
/// BYPASSRLS role charter_dispatch. The run-time role itself still sees one tenant at a time.
@Suite struct TenancyTests {
  @Test func theRuntimeRoleAloneCannotSeeAnotherTenantsJobs() async throws {
    try await SchedulerFixture.with(tenants: 2) { fixture in
      let (a, b) = (fixture.tenants[0], fixture.tenants[1])
      try await fixture.enqueue(tenant: a, subject: "secret of A", due: .after(.seconds(3600)))
      try await fixture.database.withConnection(as: .app) { app in
        // No context: nothing.
        #expect(
          try await app.query("select count(*) from charter.deadline_jobs", []).scalar(
            as: Int64.self) == 0)
        // Tenant B's context: nothing of A's, and A's job cannot be changed either.
        try await app.transaction(settings: [TenancySettings.tenant: b.description]) { app in
          #expect(
            try await app.query("select count(*) from charter.deadline_jobs", []).scalar(
              as: Int64.self) == 0)
          let updated = try await app.query(
            "update charter.deadline_jobs set state = 'cancelled' where tenant_id = $1", [a])
          #expect(updated.affectedRows == 0)
        }
      }
      #expect(try await JobAdministration(database: fixture.app).list(tenant: b).jobs.isEmpty)
      #expect(try await JobAdministration(database: fixture.app).list(tenant: a).jobs.count == 1)
    }
  }

  @Test func theClaimFunctionReturnsNoPayloadAndOnlyTheRuntimeRoleMayCallIt() async throws {
    try await SchedulerFixture.with(tenants: 2) { fixture in
      try await fixture.insertDueJobs(perTenant: 2)
      try await fixture.database.withConnection(as: .app) { app in
        let result = try await app.query(
          "select * from charter.claim_due_jobs('probe', interval '30 seconds', 10)", [])
        #expect(result.columnNames == ["tenant_id", "job_id", "kind", "attempt", "lease_token"])
        #expect(result.rows.count == 4)
        // Arguments are bounded: no lease of a year, no claim of the whole table.
        let tooLong = await sqlState {
          try await app.query(
            "select * from charter.claim_due_jobs('probe', interval '1 year', 10)", [])
        }
        #expect(tooLong == "22023")
        let tooMany = await sqlState {
          try await app.query(
            "select * from charter.claim_due_jobs('probe', interval '1 minute', 100000)", [])
        }
        #expect(tooMany == "22023")
      }
      try await fixture.database.withConnection(as: .superuser) { superuser in
        let rows = try await superuser.query(
          """
          select p.oid::regprocedure::text, pg_get_userbyid(p.proowner)::text, p.prosecdef,
                 has_function_privilege('charter_app', p.oid, 'EXECUTE'),
                 has_function_privilege('charter_owner', p.oid, 'EXECUTE') and false,
                 exists (select 1 from aclexplode(p.proacl) a where a.grantee = 0)
          from pg_proc p where pg_get_userbyid(p.proowner) = 'charter_dispatch'
          order by 1
          """, []
        ).rows
        #expect(
          try rows.map { try $0.decode(0, as: String.self) } == [
            "charter.claim_due_jobs(text,interval,integer)",
            "charter.claim_due_notices(text,interval,integer)", "charter.next_due_at()",
            "charter.next_notice_due_at()", "charter.rescue_expired_leases()",
            "charter.rescue_expired_notice_leases()",
          ])
        for row in rows {
          #expect(try row.decode(2, as: Bool.self), "SECURITY DEFINER")
          #expect(try row.decode(3, as: Bool.self), "charter_app may execute")
          #expect(try row.decode(5, as: Bool.self) == false, "PUBLIC may not execute")
        }
        let role = try await superuser.query(
          """
          select rolcanlogin, rolbypassrls, rolsuper,
                 pg_has_role('charter_app', oid, 'MEMBER'), pg_has_role('charter_owner', oid, 'MEMBER')
          from pg_roles where rolname = 'charter_dispatch'
          """, []
        ).rows[0]
        #expect(try role.decode(0, as: Bool.self) == false, "NOLOGIN")
        #expect(try role.decode(1, as: Bool.self), "BYPASSRLS")
        #expect(try role.decode(2, as: Bool.self) == false)
        #expect(try role.decode(3, as: Bool.self) == false, "charter_app is not a member")
        #expect(try role.decode(4, as: Bool.self), "charter_owner is, to hand the functions over")
      }
    }
  }

  @Test func thePostureCheckPassesAndCatchesTheRuntimeRoleGrantedDispatch() async throws {
    // A run-time role of its own: roles are cluster-wide and other tests run at the same time.
    let role = "charter_app_dispatch_" + UUID().uuidString.prefix(8).lowercased()
    try await SchedulerFixture.with(tenants: 1) { fixture in
      let clean = try await fixture.database.withConnection(as: .app) { app in
        try await PostureCheck.violations(connection: app)
      }
      #expect(clean == [])
      try await fixture.database.withConnection(as: .superuser) { superuser in
        try await superuser.executeScript("create role \(role) login in role charter_runtime")
        do {
          #expect(try await PostureCheck.violations(connection: superuser, runtimeRole: role) == [])
          try await superuser.executeScript("grant charter_dispatch to \(role)")
          let found = try await PostureCheck.violations(connection: superuser, runtimeRole: role)
          #expect(
            found.contains(
              .init(kind: .runtimeInDispatchRole, object: "\(role) reaches charter_dispatch")))
          #expect(found.contains(.init(kind: .bypassRLS, object: "charter_dispatch")))
        } catch {
          try await superuser.executeScript("drop role \(role)")
          throw error
        }
        try await superuser.executeScript("drop role \(role)")
      }
    }
  }

  @Test func thePostureCheckRefusesADispatchRoleThatCanLogIn() async throws {
    // Checked against a dispatch role of its own: charter_dispatch is shared by parallel tests.
    let role = "charter_dispatch_login_" + UUID().uuidString.prefix(8).lowercased()
    try await SchedulerFixture.with(tenants: 1) { fixture in
      try await fixture.database.withConnection(as: .superuser) { superuser in
        try await superuser.executeScript("create role \(role) login bypassrls")
        let found: [PostureViolation.Violation]
        do {
          found = try await PostureCheck.violations(
            connection: superuser, runtimeRole: RoleBootstrap.appRole, dispatchRole: role)
        } catch {
          try await superuser.executeScript("drop role \(role)")
          throw error
        }
        try await superuser.executeScript("drop role \(role)")
        #expect(found.contains(.init(kind: .dispatchRoleCanLogin, object: role)))
        let missing = try await PostureCheck.violations(
          connection: superuser, runtimeRole: RoleBootstrap.appRole, dispatchRole: role)
        #expect(missing.contains(.init(kind: .dispatchRoleMissing, object: role)))
      }
    }
  }

  @Test func thePostureCheckNamesAnythingElseTheDispatchRoleOwnsOrMayRun() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      try await fixture.database.withConnection(as: .owner) { owner in
        try await owner.executeScript(
          """
          grant create on schema charter to charter_dispatch;
          create function charter.peek_payloads() returns setof jsonb language sql
              as 'select payload from charter.deadline_jobs';
          alter function charter.peek_payloads() owner to charter_dispatch;
          revoke create on schema charter from charter_dispatch;
          grant execute on function charter.next_due_at() to public;
          """)
      }
      try await fixture.database.withConnection(as: .app) { app in
        let found = try await PostureCheck.violations(connection: app)
        #expect(
          found.contains(
            .init(kind: .dispatchRoleOwnsObject, object: "function charter.peek_payloads()")))
        #expect(
          found.contains(.init(kind: .dispatchFunctionUnsafe, object: "charter.next_due_at()")))
      }
    }
  }

  /// PLATFORM.md: the claim must walk the partial index on due_at whatever the statistics say.
  /// The claim's text is taken from the function itself and planned as the function plans it
  /// (its settings in force, the values known: plan_cache_mode = force_custom_plan).
  @Test func theClaimPlanIsIndexOrderedOnAnEmptyAndOnAFullTable() async throws {
    try await SchedulerFixture.with(tenants: 1) { fixture in
      try await fixture.database.withConnection(as: .superuser) { superuser in
        let source = try await superuser.query(
          "select prosrc from pg_proc where proname = 'claim_due_jobs'", []
        ).scalar(as: String.self)
        let claim = try #require(Self.claimStatement(in: source))
        // Statistics of an empty table, and no autovacuum to refresh them behind our back.
        try await superuser.executeScript(
          "alter table charter.deadline_jobs set (autovacuum_enabled = false)")
        try await superuser.executeScript("vacuum analyze charter.deadline_jobs")
        // The function's own settings (plan_cache_mode, enable_*), as in force while it runs.
        let settings = try await superuser.query(
          "select unnest(proconfig) from pg_proc where proname = 'claim_due_jobs'", []
        ).rows.map { try $0.decode(0, as: String.self) }
        #expect(settings.contains("plan_cache_mode=force_custom_plan"))
        for setting in settings where !setting.hasPrefix("search_path=") {
          let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
          try await superuser.query("select set_config($1, $2, false)", [parts[0], parts[1]])
        }
        try await superuser.executeScript("prepare claim(text, interval, integer) as \(claim)")
        let explain = "explain (format json) execute claim('w', interval '30 seconds', 100)"
        let emptyPlan = try await superuser.query(explain, []).scalar(as: PostgresJSON.self).text
        try await fixture.insertDueJobs(perTenant: 5000)
        let fullPlan = try await superuser.query(explain, []).scalar(as: PostgresJSON.self).text
        try await superuser.executeScript("analyze charter.deadline_jobs")
        let analysedPlan = try await superuser.query(explain, []).scalar(as: PostgresJSON.self).text
        for (name, plan) in [
          ("empty", emptyPlan), ("full, stale statistics", fullPlan), ("full", analysedPlan),
        ] {
          #expect(
            plan.contains("\"Index Name\": \"deadline_jobs_pending_due\""), "\(name): \(plan)")
          #expect(!plan.contains("Seq Scan"), "\(name): \(plan)")
          #expect(!plan.contains("Hash"), "\(name): \(plan)")
          #expect(plan.contains("\"Node Type\": \"Tid Scan\""), "\(name): \(plan)")
        }
      }
    }
  }

  /// The statement between the claim:begin and claim:end marks, with the function's
  /// parameters as $1, $2, $3.
  static func claimStatement(in source: String) -> String? {
    guard let begin = source.range(of: "-- claim:begin"), let end = source.range(of: "-- claim:end")
    else { return nil }
    var text = String(source[begin.upperBound..<end.lowerBound])
    // Replacement templates read `$n` as a capture group: escape the dollar.
    for (name, parameter) in [("worker", "\\$1"), ("lease", "\\$2"), ("max_jobs", "\\$3")] {
      text = text.replacingOccurrences(
        of: "\\b\(name)\\b", with: parameter, options: .regularExpression)
    }
    return text
  }
}

/// Runs `body` and returns the SQLSTATE it failed with, or nil if it succeeded.
func sqlState<T>(of body: () async throws -> T) async -> String? {
  do {
    _ = try await body()
    return nil
  } catch let error as PostgresError {
    return error.sqlState ?? "no sqlstate: \(error)"
  } catch {
    return "not a PostgresError: \(error)"
  }
}
