import CharterStore
import Foundation
import Testing

@testable import CharterAccounts

#if canImport(Glibc)
  import Glibc
#endif

/// The first operator and its one-time password (issue 3 item 5).
@Suite struct FirstOperatorTests {
  @Test func theFirstStartCreatesAdminWithAOneTimePasswordInA0600File() async throws {
    try await AccountsHarness.with { harness in
      let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("charter-first-operator-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }

      let file = try #require(
        try await FirstOperator.ensure(
          database: harness.database, dataDirectory: directory, passwordPolicy: testPasswordPolicy))
      #expect(file.lastPathComponent == "initial-operator-password")
      var info = stat()
      #expect(stat(file.path, &info) == 0)
      #expect(info.st_mode & 0o777 == 0o600)
      let password = try String(contentsOf: file, encoding: .utf8)
        .trimmingCharacters(in: .newlines)
      #expect(password.count == 19)  // four groups of four and three dashes

      // A second start creates nothing.
      #expect(
        try await FirstOperator.ensure(
          database: harness.database, dataDirectory: directory, passwordPolicy: testPasswordPolicy)
          == nil)

      let session = harness.session()
      #expect(
        await session.send("LOGIN admin \(password)")
          == "OK logged in as admin (operator); change your one-time password now: ADMIN PASSWD admin <new password>\n"
      )
      // Until the password changes, nothing but WHOAMI, LOGOUT and ADMIN PASSWD (own) runs.
      let refusal =
        "ERR FORBIDDEN change your one-time password first: ADMIN PASSWD admin <new password>\n"
      #expect(await session.send("TENANT LIST") == refusal)
      #expect(await session.send(#"TENANT CREATE aitisa "中关村视听产业技术创新联盟""#) == refusal)
      #expect(await session.send("ADMIN LIST") == refusal)
      #expect(await session.send("ADMIN PASSWD someone-else longpassword1") == refusal)
      #expect(await session.send("AUDIT TAIL") == refusal)
      #expect(await session.status("WHOAMI") == "OK")
      #expect(await session.status("PING") == "OK PONG")
      #expect(await session.status("HELP").hasPrefix("OK"))
      #expect(
        await session.send(#"ADMIN PASSWD admin "a long new passphrase""#)
          == "OK password of admin changed\n")
      #expect(await session.send("TENANT LIST") == "# slug\tname\tstatus\tcreated\nOK 0 tenants\n")
      // The one-time password no longer works; the new one does.
      #expect(
        await harness.session().status("LOGIN admin \(password)").hasPrefix("ERR AUTH_FAILED"))
      #expect(
        await harness.session().send(#"LOGIN admin "a long new passphrase""#)
          == "OK logged in as admin (operator)\n")
      // The refusals were audited; the next start removes the stale file.
      let rows = try await harness.installationAudit()
      #expect(rows.filter { $0.outcome == "refused" && $0.actor == "admin" }.count == 5 + 1)
      #expect(rows.first?.command == "FIRST OPERATOR admin")
      #expect(
        try await FirstOperator.ensure(
          database: harness.database, dataDirectory: directory, passwordPolicy: testPasswordPolicy)
          == nil)
      #expect(!FileManager.default.fileExists(atPath: file.path))
    }
  }

  @Test func noFileWhenOperatorsExist() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("alice", password: "operator passphrase")
      let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("charter-first-operator-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      #expect(
        try await FirstOperator.ensure(
          database: harness.database, dataDirectory: directory, passwordPolicy: testPasswordPolicy)
          == nil)
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
  }
}
