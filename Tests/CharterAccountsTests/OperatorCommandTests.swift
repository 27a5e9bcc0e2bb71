import CharterPostgres
import CharterStore
import Foundation
import Testing

@testable import CharterAccounts

/// TENANT and ADMIN commands as docs/protocol.md shows them.
@Suite struct OperatorCommandTests {
  @Test func anOperatorCreatesATenantAndItsSecretariat() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("root", password: "operator passphrase")
      let session = harness.session()
      await session.send(#"LOGIN root "operator passphrase""#)
      #expect(
        await session.send(
          #"TENANT CREATE aitisa "中关村视听产业技术创新联盟" timezone=Asia/Shanghai"#)
          == "OK tenant aitisa created\n")
      #expect(
        await session.send(#"TENANT CREATE aitisa "again""#)
          == "ERR CONFLICT tenant aitisa exists\n")
      #expect(
        await session.status(#"TENANT CREATE cesa "x" timezone=Mars/Olympus"#)
          .hasPrefix("ERR BAD_ARGUMENTS unknown time zone Mars/Olympus"))
      let list = await session.send("TENANT LIST")
      #expect(list.hasPrefix("# slug\tname\tstatus\tcreated\n* aitisa\t中关村视听产业技术创新联盟\tactive\t20"))
      #expect(list.hasSuffix("OK 1 tenant\n"))
      let show = await session.send("TENANT SHOW aitisa")
      #expect(show.contains("* timezone\tAsia/Shanghai\n"))
      #expect(show.contains("* administrators\t0\n"))
      #expect(await session.send("TENANT SHOW nope") == "ERR NOT_FOUND no tenant nope\n")

      #expect(
        await session.send("ADMIN CREATE lisi viewer")
          == "ERR NO_TENANT_SELECTED TENANT USE <slug> first\n")
      #expect(await session.send("TENANT USE nope") == "ERR NOT_FOUND no tenant nope\n")
      #expect(await session.send("TENANT USE aitisa") == "OK using tenant aitisa\n")
      #expect(session.tenant == "aitisa")
      let created = await session.send(#"ADMIN CREATE zhangsan secretariat display="张 三""#)
      let lines = created.split(separator: "\n").map(String.init)
      #expect(lines.first == "# name\trole\tone_time_password")
      #expect(lines.last == "OK administrator zhangsan created")
      let fields = lines[1].split(separator: "\t").map(String.init)
      #expect(fields.prefix(2) == ["* zhangsan", "secretariat"])
      let oneTime = try #require(fields.last)
      #expect(oneTime.count == 14)
      #expect(
        await session.status("ADMIN CREATE wang@x viewer")
          .hasPrefix("ERR BAD_ARGUMENTS <name> wang@x is not a login name"))
      let show2 = await session.send("ADMIN SHOW zhangsan")
      #expect(
        show2.hasPrefix(
          "# field\tvalue\n* name\tzhangsan\n* display\t张 三\n* role\tsecretariat\n* tenant\taitisa\n* status\tactive\n* password_change_required\tyes\n"
        ))

      // The new secretariat logs in with the one-time password, must change it, then works.
      let secretariat = harness.session()
      #expect(
        await secretariat.status("LOGIN zhangsan@aitisa \(oneTime)")
          .hasSuffix("change your one-time password now: ADMIN PASSWD zhangsan <new password>"))
      #expect(await secretariat.status("ADMIN LIST").hasPrefix("ERR FORBIDDEN change your"))
      #expect(
        await secretariat.status(#"ADMIN PASSWD zhangsan "short""#)
          .hasPrefix("ERR BAD_ARGUMENTS the password must have at least 10 characters"))
      #expect(
        await secretariat.send(#"ADMIN PASSWD zhangsan "张三的新口令 long""#)
          == "OK password of zhangsan changed\n")
      let list2 = await secretariat.send("ADMIN LIST")
      #expect(
        list2.hasPrefix(
          "# name\trole\tdisplay\tstatus\tlast_login\n* zhangsan\tsecretariat\t张 三\tactive\t20"))
      #expect(list2.hasSuffix("OK 1 administrator\n"))

      // Operators without TENANT USE manage operators.
      let other = harness.session()
      await other.send(#"LOGIN root "operator passphrase""#)
      #expect(await other.status("ADMIN CREATE ops2 operator").hasPrefix("OK administrator ops2"))
      #expect(await other.send("ADMIN LIST").contains("* ops2\toperator\tops2\tactive\t\n"))
      #expect(
        await other.send("ADMIN DISABLE root") == "ERR CONFLICT you cannot disable yourself\n")
      #expect(
        await secretariat.status("ADMIN CREATE x operator")
          == "ERR FORBIDDEN only operators create operators")

      // The installation log has the operator's own work, the tenant's log the rest.
      let installation = try await harness.installationAudit().map(\.command)
      #expect(
        installation.contains(#"TENANT CREATE "aitisa" "中关村视听产业技术创新联盟" timezone="Asia/Shanghai""#))
      #expect(installation.contains(#"ADMIN CREATE "ops2" "operator""#))
      let tail = await other.send("AUDIT TAIL limit=3")
      #expect(tail.hasPrefix("# at\tadmin\ttenant\taddress\tcommand\toutcome\tdetail\n"))
      #expect(
        tail.contains(
          "\troot\t\t192.0.2.7\tADMIN DISABLE \"root\"\terror\tCONFLICT: you cannot disable yourself\n"
        ))
    }
  }

  /// A disabled administrator cannot log in, and an open session of theirs is logged out
  /// at its next command; ENABLE restores the login.
  @Test func disablingEndsTheRightsOfAnOpenSession() async throws {
    try await AccountsHarness.with { harness in
      let aitisa = try await harness.seedTenant("aitisa")
      try await harness.seedAdministrator("sec", in: aitisa, password: "sec passphrase")
      try await harness.seedAdministrator(
        "bob", in: aitisa, role: "chairs_office", password: "bob passphrase")
      let bob = harness.session()
      await bob.send(#"LOGIN bob@aitisa "bob passphrase""#)
      let sec = harness.session()
      await sec.send(#"LOGIN sec@aitisa "sec passphrase""#)
      #expect(await sec.send("ADMIN DISABLE bob") == "OK bob disabled\n")
      #expect(
        await bob.send("WHOAMI")
          == "ERR NOT_LOGGED_IN your account is disabled; you are logged out\n")
      #expect(bob.principal == nil)
      #expect(
        await harness.session().status(#"LOGIN bob@aitisa "bob passphrase""#)
          == "ERR AUTH_FAILED wrong name or password")
      #expect(await sec.send("ADMIN ENABLE bob") == "OK bob enabled\n")
      #expect(await harness.session().status(#"LOGIN bob@aitisa "bob passphrase""#).hasPrefix("OK"))
      #expect(await sec.send("ADMIN DISABLE sec") == "ERR CONFLICT you cannot disable yourself\n")
    }
  }
}
