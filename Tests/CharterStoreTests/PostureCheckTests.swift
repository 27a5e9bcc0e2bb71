import CharterPostgres
import CharterTestSupport
import Foundation
import Testing

@testable import CharterStore

/// RELIABILITY S3 and R14: the start-up posture check passes on a good database and names the
/// object at fault for each kind of violation.
@Suite struct PostureCheckTests {
  typealias Kind = PostureViolation.Violation.Kind

  /// The violations `verify` throws, or [] when it passes.
  static func violations(
    _ connection: PostgresConnection, runtimeRole: String? = nil
  ) async throws -> [PostureViolation.Violation] {
    do {
      try await PostureCheck.verify(connection: connection, runtimeRole: runtimeRole)
      return []
    } catch let error as PostureViolation {
      #expect(!error.violations.isEmpty)
      return error.violations
    }
  }

  @Test func aFreshlyMigratedDatabasePasses() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .app) { app in
        let found = try await Self.violations(app)
        #expect(found == [])
      }
      try await database.withConnection(as: .superuser) { superuser in
        let found = try await Self.violations(superuser, runtimeRole: RoleBootstrap.appRole)
        #expect(found == [])
      }
    }
  }

  @Test func aTenantTableWithoutForcedRowSecurityIsNamed() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .owner) { owner in
        try await owner.query("alter table charter.members no force row level security", [])
      }
      try await database.withConnection(as: .app) { app in
        let found = try await Self.violations(app)
        #expect(found == [.init(kind: .rowSecurityNotForced, object: "charter.members")])
        #expect(PostureViolation(violations: found).description.contains("charter.members"))
      }
    }
  }

  @Test func aTenantTableWithoutPolicyOrRowSecurityIsNamed() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .owner) { owner in
        try await owner.query("drop policy tenant_isolation on charter.audit_log", [])
        try await owner.query("alter table charter.notice_outbox disable row level security", [])
      }
      try await database.withConnection(as: .app) { app in
        let found = try await Self.violations(app)
        #expect(found.contains(.init(kind: .noPolicy, object: "charter.audit_log")))
        #expect(found.contains(.init(kind: .rowSecurityDisabled, object: "charter.notice_outbox")))
      }
    }
  }

  @Test func aRuntimeRoleWithBypassRLSIsNamed() async throws {
    // A role of its own: roles are cluster-wide and other tests run at the same time.
    let role = "charter_app_bypass_" + UUID().uuidString.prefix(8).lowercased()
    try await TestDatabase.with { database in
      try await database.withConnection(as: .superuser) { superuser in
        try await superuser.executeScript(
          "create role \(role) login bypassrls in role charter_runtime")
        let found: [PostureViolation.Violation]
        do {
          found = try await Self.violations(superuser, runtimeRole: role)
        } catch {
          try await superuser.executeScript("drop role \(role)")
          throw error
        }
        try await superuser.executeScript("drop role \(role)")
        #expect(found == [.init(kind: .bypassRLS, object: role)])
      }
    }
  }

  @Test func aRuntimeRoleThatOwnsATableOrIsSuperuserIsNamed() async throws {
    let role = "charter_app_owner_" + UUID().uuidString.prefix(8).lowercased()
    try await TestDatabase.with { database in
      try await database.withConnection(as: .superuser) { superuser in
        try await superuser.executeScript(
          "create role \(role) login superuser in role charter_runtime")
        try await superuser.executeScript("alter table charter.audit_log owner to \(role)")
        let found = try await Self.violations(superuser, runtimeRole: role)
        try await superuser.executeScript("alter table charter.audit_log owner to charter_owner")
        try await superuser.executeScript("drop role \(role)")
        #expect(found.contains(.init(kind: .superuser, object: role)))
        #expect(
          found.contains { $0.kind == .ownsRelation && $0.object.hasPrefix("charter.audit_log") })
      }
    }
  }

  @Test func anUnloggedTableIsNamed() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .owner) { owner in
        try await owner.query(
          "create unlogged table charter.scratch_jobs (id bigint primary key, due_at timestamptz)",
          [])
      }
      try await database.withConnection(as: .app) { app in
        let found = try await Self.violations(app)
        #expect(found.contains(.init(kind: .unloggedRelation, object: "charter.scratch_jobs")))
      }
    }
  }

  @Test func synchronousCommitOffForTheRuntimeSessionIsRefused() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .owner) { owner in
        try await owner.executeScript(
          "alter database \(database.name) set synchronous_commit = off")
      }
      try await database.withConnection(as: .app) { app in
        let found = try await Self.violations(app)
        #expect(found.contains(.init(kind: .synchronousCommitOffInSession, object: "off")))
        #expect(found.contains { $0.kind == .synchronousCommitOffInRoleSetting })
      }
    }
  }

  @Test func aViewOverTenantTablesNeedsSecurityInvoker() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .owner) { owner in
        try await owner.executeScript(
          """
          create view charter.member_names as select tenant_id, name from charter.members;
          create view charter.member_names_invoker with (security_invoker)
              as select tenant_id, name from charter.members;
          """)
      }
      try await database.withConnection(as: .app) { app in
        let found = try await Self.violations(app)
        #expect(found == [.init(kind: .viewWithoutSecurityInvoker, object: "charter.member_names")])
      }
    }
  }

  @Test func aPermissivePolicyThatIgnoresTheTenantIsNamed() async throws {
    try await TestDatabase.with { database in
      try await database.withConnection(as: .owner) { owner in
        try await owner.query("create policy everyone on charter.members using (true)", [])
      }
      try await database.withConnection(as: .app) { app in
        let found = try await Self.violations(app)
        #expect(
          found == [
            .init(kind: .policyWithoutTenantPredicate, object: "charter.members (policy everyone)")
          ])
      }
    }
  }

  @Test func everyKindTheQueryReportsIsKnown() throws {
    let posture = try Regex(#"(?:select|then|else) '([a-z_]+)'"#)
    let postureKinds = PostureCheck.query.matches(of: posture).map {
      String($0.output[1].substring ?? "")
    }
    #expect(postureKinds.count >= PostureViolation.Violation.Kind.allCases.count)
    for kind in postureKinds {
      #expect(PostureViolation.Violation.Kind(rawValue: kind) != nil, "\(kind)")
    }
    let citusKinds = CitusReadiness.query.matches(of: posture).map {
      String($0.output[1].substring ?? "")
    }
    #expect(citusKinds.count >= CitusReadinessViolation.Kind.allCases.count)
    for kind in citusKinds {
      #expect(CitusReadinessViolation.Kind(rawValue: kind) != nil, "\(kind)")
    }
  }
}
