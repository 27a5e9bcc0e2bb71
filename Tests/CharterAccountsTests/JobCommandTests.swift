import CharterPostgres
import CharterStore
import Foundation
import Testing

@testable import CharterAccounts

/// JOBS LIST / SHOW / RETRY / CANCEL, STATS and NOTICES (issue 6) through the protocol's own
/// session, on a real PostgreSQL: what a tenant administrator sees and may change, and that
/// another tenant's jobs look exactly like missing ones (RELIABILITY S1, S6).
@Suite struct JobCommandTests {
  /// Writes a job as the scheduler would, in the tenant's own transaction.
  @discardableResult
  static func seedJob(
    _ harness: AccountsHarness, in tenant: TenantID, kind: String = "review_notice_reminder",
    subject: String, dueIn seconds: Int, state: String = "pending", attempts: Int = 0,
    lastError: String? = nil
  ) async throws -> UUID {
    let id = UUID()
    try await harness.database.withTenant(tenant) { connection in
      try await connection.query(
        """
        insert into charter.deadline_jobs
            (tenant_id, id, kind, subject, unique_key, due_at, payload, state, attempts,
             last_error, finished_at)
        values ($1, $2, $3, $4, $4, now() + make_interval(secs => $5::integer),
                '{"application": "2026-031"}', $6, $7::integer, $8,
                case when $6 in ('done', 'dead') then now() end)
        """, [tenant, id, kind, subject, seconds, state, attempts, lastError])
    }
    return id
  }

  static func jobState(_ harness: AccountsHarness, _ id: UUID, in tenant: TenantID) async throws
    -> (String, Int)?
  {
    try await harness.database.withTenant(tenant) { connection in
      guard
        let row = try await connection.query(
          "select state, attempts from charter.deadline_jobs where id = $1", [id]
        ).rows.first
      else { return nil }
      return (try row.decode(0, as: String.self), Int(try row.decode(1, as: Int32.self)))
    }
  }

  /// The data rows of a table reply, split into fields.
  static func rows(_ reply: String) -> [[String]] {
    reply.split(separator: "\n").filter { $0.hasPrefix("* ") }.map {
      $0.dropFirst(2).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    }
  }

  static func field(_ reply: String, _ name: String) -> String? {
    rows(reply).first { $0.first == name }?.last
  }

  static func lowercased(_ id: UUID) -> String { id.uuidString.lowercased() }

  @Test func aSecretariatListsShowsRetriesCancelsAndReadsStatistics() async throws {
    try await AccountsHarness.with { harness in
      let alpha = try await harness.seedTenant("alpha")
      try await harness.seedAdministrator("sec", in: alpha, password: "alpha passphrase")
      let dead = try await Self.seedJob(
        harness, in: alpha, subject: "application 2026-031", dueIn: -86_400, state: "dead",
        attempts: 5, lastError: "handler failed: no secretariat address")
      let overdue = try await Self.seedJob(
        harness, in: alpha, kind: "meeting_notice", subject: "meeting 7", dueIn: -600)
      let done = try await Self.seedJob(
        harness, in: alpha, subject: "application 2026-030", dueIn: -300, state: "done")
      let later = try await Self.seedJob(
        harness, in: alpha, subject: "application 2026-032", dueIn: 3_600)

      let session = harness.session()
      #expect(await session.status(#"LOGIN sec@alpha "alpha passphrase""#).hasPrefix("OK"))

      // Due order, all of them.
      let all = await session.send("JOBS LIST")
      #expect(all.hasPrefix("# id\tkind\tsubject\tstate\tdue\tattempts\tlast_error\n"))
      #expect(Self.rows(all).map(\.[0]) == [dead, overdue, done, later].map(Self.lowercased))
      #expect(all.hasSuffix("OK 4 jobs\n"))
      #expect(Self.rows(all)[0][5] == "5/5")

      // Filters.
      let deadOnly = await session.send("JOBS LIST state=dead")
      #expect(Self.rows(deadOnly).map(\.[0]) == [Self.lowercased(dead)])
      #expect(Self.rows(deadOnly)[0][6] == "handler failed: no secretariat address")
      let meetings = await session.send("JOBS LIST kind=meeting_notice")
      #expect(Self.rows(meetings).map(\.[0]) == [Self.lowercased(overdue)])
      #expect(await session.status("JOBS LIST kind=nothing_of_that_kind") == "OK 0 jobs")

      // Pages: the cursor of the status line gives the rest, and the last page says no more.
      let first = await session.send("JOBS LIST limit=3")
      #expect(Self.rows(first).count == 3)
      let status = first.split(separator: "\n").last.map(String.init) ?? ""
      #expect(status.hasPrefix("OK 3 jobs; more: after="))
      let cursor = status.components(separatedBy: "after=").last ?? ""
      let second = await session.send("JOBS LIST limit=3 after=\(cursor)")
      #expect(Self.rows(second).map(\.[0]) == [Self.lowercased(later)])
      #expect(second.hasSuffix("OK 1 job\n"))
      #expect(await session.send("JOBS LIST after=garbage").hasPrefix("ERR BAD_ARGUMENTS"))

      // One job.
      let shown = await session.send("JOBS SHOW \(Self.lowercased(dead))")
      #expect(Self.field(shown, "state") == "dead")
      #expect(Self.field(shown, "tenant") == "alpha")
      #expect(Self.field(shown, "payload")?.contains("2026-031") == true)
      #expect(Self.field(shown, "unique_key") == "application 2026-031")

      // Statistics before the changes.
      let before = await session.send("STATS")
      #expect(Self.field(before, "scope") == "alpha")
      #expect(Self.field(before, "pending") == "2")
      #expect(Self.field(before, "dead") == "1")
      #expect(Self.field(before, "done") == "1")
      #expect(Self.field(before, "failures") == "1")
      let lateness = Double(Self.field(before, "lateness_seconds") ?? "") ?? 0
      #expect(lateness >= 599 && lateness < 3_600)
      #expect(Self.field(before, "oldest_pending_due")?.hasSuffix("+08:00") == true)

      // RETRY a dead job: pending again, attempts from zero, audited.
      #expect(
        await session.send("JOBS RETRY \(Self.lowercased(dead))")
          == "OK job \(Self.lowercased(dead)) retried\n")
      #expect(try await Self.jobState(harness, dead, in: alpha)! == ("pending", 0))
      #expect(
        await session.send("JOBS RETRY \(Self.lowercased(dead))")
          == "ERR CONFLICT job \(Self.lowercased(dead)) is pending; "
          + "JOBS RETRY applies to dead or failed jobs\n")

      // CANCEL a pending job; a finished one cannot be cancelled.
      #expect(
        await session.send("JOBS CANCEL \(Self.lowercased(later))")
          == "OK job \(Self.lowercased(later)) cancelled\n")
      #expect(try await Self.jobState(harness, later, in: alpha)?.0 == "cancelled")
      #expect(
        await session.send("JOBS CANCEL \(Self.lowercased(done))").hasPrefix("ERR CONFLICT"))
      #expect(try await Self.jobState(harness, done, in: alpha)?.0 == "done")

      let after = await session.send("STATS")
      #expect(Self.field(after, "pending") == "2")
      #expect(Self.field(after, "dead") == "0")
      #expect(Self.field(after, "cancelled") == "1")

      // The changes and the refused ones are in the tenant's log.
      let audit = try await harness.tenantAudit(alpha)
      let jobs = audit.filter { $0.command.hasPrefix("JOBS") }
      let retried = Self.lowercased(dead)
      let cancelled = Self.lowercased(later)
      #expect(
        jobs.map { "\($0.command.prefix(11)) \($0.outcome)" } == [
          "JOBS LIST a failed", "JOBS RETRY  succeeded", "JOBS RETRY  failed",
          "JOBS CANCEL succeeded", "JOBS CANCEL failed",
        ])
      #expect(jobs[1].command.contains(retried) && jobs[3].command.contains(cancelled))
      #expect(jobs.allSatisfy { $0.actor == "sec" })
    }
  }

  @Test func anotherTenantsJobLooksMissingAndTheAttemptIsAudited() async throws {
    try await AccountsHarness.with { harness in
      let alpha = try await harness.seedTenant("alpha")
      let beta = try await harness.seedTenant("beta")
      try await harness.seedAdministrator("sec", in: alpha, password: "alpha passphrase")
      try await Self.seedJob(harness, in: alpha, subject: "alpha's own", dueIn: 60)
      let betaDead = try await Self.seedJob(
        harness, in: beta, subject: "beta secret subject", dueIn: -60, state: "dead",
        attempts: 5)
      let betaPending = try await Self.seedJob(
        harness, in: beta, subject: "beta pending", dueIn: 60)
      let missing = UUID()

      let attacker = harness.session(address: "198.51.100.66")
      #expect(await attacker.status(#"LOGIN sec@alpha "alpha passphrase""#).hasPrefix("OK"))

      // Byte for byte the reply of an id that exists nowhere.
      for command in ["JOBS SHOW", "JOBS RETRY", "JOBS CANCEL"] {
        for target in [betaDead, betaPending] {
          let reply = await attacker.send("\(command) \(Self.lowercased(target))")
          let missingReply = await attacker.send("\(command) \(Self.lowercased(missing))")
          #expect(reply == "ERR NOT_FOUND no job \(Self.lowercased(target))\n")
          #expect(
            reply.replacingOccurrences(of: Self.lowercased(target), with: "ID")
              == missingReply.replacingOccurrences(of: Self.lowercased(missing), with: "ID"))
        }
      }
      // Nothing changed in B.
      #expect(try await Self.jobState(harness, betaDead, in: beta)! == ("dead", 5))
      #expect(try await Self.jobState(harness, betaPending, in: beta)?.0 == "pending")

      // Lists and statistics show only A.
      let list = await attacker.send("JOBS LIST")
      #expect(!list.contains("beta"))
      #expect(list.hasSuffix("OK 1 job\n"))
      let stats = await attacker.send("STATS")
      #expect(Self.field(stats, "pending") == "1")
      #expect(Self.field(stats, "dead") == "0")

      // Every attempt on B's ids is a refused row in A's log; B's log has none.
      let refused = try await harness.tenantAudit(alpha).filter {
        $0.outcome == "refused" && $0.command.hasPrefix("JOBS")
      }
      #expect(refused.count == 12)
      #expect(refused.filter { $0.command.contains(Self.lowercased(betaDead)) }.count == 3)
      #expect(refused.allSatisfy { $0.detail.contains("198.51.100.66") })
      #expect(try await harness.tenantAudit(beta).isEmpty)
    }
  }

  @Test func aViewerReadsJobsButCannotRetryOrCancel() async throws {
    try await AccountsHarness.with { harness in
      let alpha = try await harness.seedTenant("alpha")
      try await harness.seedAdministrator(
        "reader", in: alpha, role: "viewer", password: "viewer passphrase")
      try await harness.seedAdministrator(
        "chair", in: alpha, role: "chairs_office", password: "chair passphrase")
      let dead = try await Self.seedJob(
        harness, in: alpha, subject: "application 1", dueIn: -60, state: "dead", attempts: 5)
      let pending = try await Self.seedJob(harness, in: alpha, subject: "application 2", dueIn: 60)

      for (name, password) in [("reader", "viewer passphrase"), ("chair", "chair passphrase")] {
        let session = harness.session()
        #expect(await session.status(#"LOGIN \#(name)@alpha "\#(password)""#).hasPrefix("OK"))
        #expect(Self.rows(await session.send("JOBS LIST")).count == 2)
        #expect(await session.status("STATS") == "OK")
        #expect(
          await session.send("JOBS RETRY \(Self.lowercased(dead))").hasPrefix("ERR FORBIDDEN"))
        #expect(
          await session.send("JOBS CANCEL \(Self.lowercased(pending))").hasPrefix(
            "ERR FORBIDDEN"))
        #expect(
          await session.send("NOTICES RETRY \(Self.lowercased(UUID()))").hasPrefix(
            "ERR FORBIDDEN"))
      }
      #expect(try await Self.jobState(harness, dead, in: alpha)! == ("dead", 5))
      #expect(try await Self.jobState(harness, pending, in: alpha)?.0 == "pending")
      let refused = try await harness.tenantAudit(alpha).filter {
        $0.outcome == "refused" && ($0.command.contains("RETRY") || $0.command.contains("CANCEL"))
      }
      #expect(refused.count == 6)
    }
  }

  @Test func anOperatorChoosesATenantOrSeesTheInstallation() async throws {
    try await AccountsHarness.with { harness in
      try await harness.seedOperator("root", password: "operator passphrase")
      let alpha = try await harness.seedTenant("alpha")
      let beta = try await harness.seedTenant("beta")
      try await Self.seedJob(harness, in: alpha, subject: "a1", dueIn: -120)
      try await Self.seedJob(harness, in: beta, subject: "b1", dueIn: 60)
      try await Self.seedJob(harness, in: beta, subject: "b2", dueIn: -60, state: "dead")

      let session = harness.session()
      #expect(await session.status(#"LOGIN root "operator passphrase""#).hasPrefix("OK"))
      #expect(
        await session.send("JOBS LIST") == "ERR NO_TENANT_SELECTED TENANT USE <slug> first\n")
      let installation = await session.send("STATS")
      #expect(Self.field(installation, "scope") == "installation")
      #expect(Self.field(installation, "pending") == "2")
      #expect(Self.field(installation, "dead") == "1")
      #expect((Double(Self.field(installation, "lateness_seconds") ?? "") ?? 0) >= 119)

      await session.send("TENANT USE beta")
      let list = await session.send("JOBS LIST")
      #expect(Self.rows(list).map(\.[2]) == ["b2", "b1"])
      let betaStats = await session.send("STATS")
      #expect(Self.field(betaStats, "scope") == "beta")
      #expect(Self.field(betaStats, "pending") == "1")
      let deadID = Self.rows(list)[0][0]
      #expect(await session.status("JOBS RETRY \(deadID)") == "OK job \(deadID) retried")
      let audit = try await harness.tenantAudit(beta)
      #expect(audit.contains { $0.actor == "root" && $0.command.hasPrefix("JOBS RETRY") })
    }
  }

  @Test func deadNoticesAreListedAndSentAgain() async throws {
    try await AccountsHarness.with { harness in
      let alpha = try await harness.seedTenant("alpha")
      let beta = try await harness.seedTenant("beta")
      try await harness.seedAdministrator("sec", in: alpha, password: "alpha passphrase")
      func seedNotice(_ tenant: TenantID, _ key: String, state: String) async throws -> UUID {
        let id = UUID()
        try await harness.database.withTenant(tenant) { connection in
          try await connection.query(
            """
            insert into charter.notice_outbox
                (tenant_id, id, notice_key, channel, recipient, subject, body, state, attempts,
                 last_error, dead_at)
            values ($1, $2, $3, 'email', 'secretariat@alpha.example', '审查提醒 Review reminder',
                    'body', $4, 14, '550 mailbox unavailable',
                    case when $4 = 'dead' then now() end)
            """, [tenant, id, key, state])
        }
        return id
      }
      let dead = try await seedNotice(alpha, "review-reminder:1", state: "dead")
      try await seedNotice(alpha, "review-reminder:2", state: "sent")
      let betaDead = try await seedNotice(beta, "review-reminder:1", state: "dead")

      let session = harness.session()
      #expect(await session.status(#"LOGIN sec@alpha "alpha passphrase""#).hasPrefix("OK"))
      let deadList = await session.send("NOTICES LIST state=dead")
      #expect(Self.rows(deadList).map(\.[0]) == [Self.lowercased(dead)])
      #expect(Self.rows(deadList)[0][8] == "550 mailbox unavailable")
      #expect(await session.status("NOTICES LIST") == "OK 2 notices")

      #expect(
        await session.send("NOTICES RETRY \(Self.lowercased(dead))")
          == "OK notice \(Self.lowercased(dead)) will be sent again\n")
      #expect(Self.rows(await session.send("NOTICES LIST state=pending")).count == 1)
      #expect(
        await session.send("NOTICES RETRY \(Self.lowercased(dead))").hasPrefix("ERR CONFLICT"))
      #expect(
        await session.send("NOTICES RETRY \(Self.lowercased(betaDead))")
          == "ERR NOT_FOUND no notice \(Self.lowercased(betaDead))\n")
      let audit = try await harness.tenantAudit(alpha).filter {
        $0.command.hasPrefix("NOTICES RETRY")
      }
      #expect(audit.map(\.outcome) == ["succeeded", "failed", "refused"])
    }
  }
}
