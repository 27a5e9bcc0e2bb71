import CharterPostgres
import CharterStore
import CharterTestSupport
import Foundation
import Testing

@testable import CharterStore

@Suite struct RoleBootstrapTests {
  @Test func deployRolesFileRunsTheSameStatementsAsTheBootstrap() throws {
    let file = TestDatabase.repositoryRoot.appendingPathComponent("Deploy/postgres/roles.sql")
    let text = try String(contentsOf: file, encoding: .utf8)
    let statements = RoleBootstrap.rolesSQL.split(separator: "\n").map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    let fileLines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let start = try #require(fileLines.firstIndex(of: statements[0]))
    #expect(Array(fileLines[start..<min(fileLines.count, start + statements.count)]) == statements)
  }

  @Test func rolesHaveTheAgreedAttributesAndRunningAgainIsHarmless() async throws {
    try await TestDatabase.with(migrated: false) { database in
      try await database.withConnection(as: .superuser) { superuser in
        try await RoleBootstrap.createRoles(superuser: superuser)
        try await RoleBootstrap.createRoles(superuser: superuser)
        let rows = try await superuser.query(
          """
          select rolname::text, rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,
                 pg_has_role(oid, 'charter_runtime', 'MEMBER'), pg_has_role(oid, 'charter_owner', 'MEMBER')
          from pg_roles where rolname in ('charter_owner', 'charter_runtime', 'charter_app')
          order by 1
          """, []
        ).rows
        #expect(rows.count == 3)
        for row in rows {
          let name = try row.decode(0, as: String.self)
          let canLogin = try row.decode(1, as: Bool.self)
          #expect(canLogin == (name != "charter_runtime"), "\(name) login")
          for column in 2...5 {
            #expect(try row.decode(column, as: Bool.self) == false, "\(name) attribute \(column)")
          }
          if name == "charter_app" {
            #expect(try row.decode(6, as: Bool.self), "charter_app is in charter_runtime")
            #expect(
              try row.decode(7, as: Bool.self) == false, "charter_app must not reach the owner")
          }
        }
        let owner = try await superuser.query(
          "select pg_get_userbyid(datdba)::text from pg_database where datname = current_database()",
          [])
        #expect(try owner.rows[0].decode(0, as: String.self) == "charter_owner")
        // Creating the same database again is not an error.
        try await RoleBootstrap.createDatabase(named: database.name, superuser: superuser)
      }
    }
  }

  @Test func databaseNamesThatAreNotPlainIdentifiersAreRefused() async throws {
    #expect(RoleBootstrap.isPlainIdentifier("charter"))
    #expect(RoleBootstrap.isPlainIdentifier("charter_t_01"))
    #expect(!RoleBootstrap.isPlainIdentifier("Charter"))
    #expect(!RoleBootstrap.isPlainIdentifier("x\"; drop database postgres; --"))
    #expect(!RoleBootstrap.isPlainIdentifier(""))
    #expect(!RoleBootstrap.isPlainIdentifier(String(repeating: "a", count: 64)))
  }

  @Test func setPasswordStoresAHashNotTheText() async throws {
    try await TestDatabase.with(migrated: false) { database in
      try await database.withConnection(as: .superuser) { superuser in
        let password = "pw-" + UUID().uuidString + "'; drop role charter_app; --"
        try await RoleBootstrap.setPassword(password, for: .app, superuser: superuser)
        let stored = try await superuser.query(
          "select rolpassword from pg_authid where rolname = 'charter_app'", []
        ).scalar(as: String.self)
        #expect(stored.hasPrefix("SCRAM-SHA-256$"))
        #expect(!stored.contains(password))
      }
    }
  }
}
