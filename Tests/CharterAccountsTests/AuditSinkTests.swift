import CharterAdminServer
import CharterProtocol
import Foundation
import Testing

@testable import CharterAccounts

/// What the server reports through the audit sink.
@Suite struct AuditSinkTests {
  @Test func denialsGoToTheTenantOfTheAdministratorWithoutArguments() async throws {
    try await AccountsHarness.with { harness in
      let aitisa = try await harness.seedTenant("aitisa")
      let spec = try #require(CommandTable.admin.spec(named: "TENANT CREATE"))
      let denial = CommandDenial(
        spec: spec, principal: Principal(name: "bob", scope: .tenant("aitisa", .secretariat)),
        tenant: "aitisa", reason: "TENANT CREATE is for installation operators")
      let peer = PeerInfo(address: "192.0.2.99", port: 5)
      await harness.auditSink.recordDenial(denial, peer: peer, sessionID: 42)
      let rows = try await harness.tenantAudit(aitisa)
      #expect(rows.count == 1)
      #expect(rows.first?.command == "TENANT CREATE")
      #expect(rows.first?.outcome == "refused")
      #expect(rows.first?.detail.contains("192.0.2.99") == true)
      #expect(rows.first?.detail.contains(#""session": "42""#) == true)
    }
  }

  @Test func onlyAbusiveClosesAreRecorded() async throws {
    try await AccountsHarness.with { harness in
      let peer = PeerInfo(address: "192.0.2.98", port: 5)
      for reason in [CloseReason.quit, .peerClosed, .shutdown, .idleTimeout, .loginTimeout] {
        await harness.auditSink.recordClose(reason, principal: nil, peer: peer, sessionID: 1)
      }
      #expect(try await harness.installationAudit().isEmpty)
      await harness.auditSink.recordClose(.tooManyErrors, principal: nil, peer: peer, sessionID: 2)
      await harness.auditSink.recordClose(
        .preLoginBudgetExceeded, principal: nil, peer: peer, sessionID: 3)
      let rows = try await harness.installationAudit()
      #expect(rows.map(\.command) == ["SESSION CLOSED", "SESSION CLOSED"])
      #expect(rows.first?.detail.contains("tooManyErrors") == true)
    }
  }
}
