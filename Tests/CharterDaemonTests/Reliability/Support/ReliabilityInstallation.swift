import CharterDelivery
import CharterPostgres
import CharterPostgresServer
import CharterScheduler
import CharterStore
import Dispatch
import Foundation
import Testing

/// A Charter installation of its own for one reliability test: a private PostgreSQL cluster
/// (never the shared test server: the tests kill daemons and restart the server) created and
/// migrated by `charterd migrate`, tenants whose e-mail goes to the test's SMTP sink, and the
/// queries that watch the jobs and the outbox as the superuser.
final class ReliabilityInstallation {
  let root: URL
  let cluster: EmbeddedPostgres
  /// The run-time role, as the daemons use it: tenants and jobs are written through it.
  let app: Database
  /// The superuser, to watch every tenant's rows.
  let observer: PostgresPool
  static let messageIDDomain = "reliability.example"

  private init(root: URL, cluster: EmbeddedPostgres) throws {
    self.root = root
    self.cluster = cluster
    app = Database(
      pool: PostgresPool(
        configuration: try PostgresConfiguration(
          url: cluster.url(user: RoleBootstrap.appRole, database: "charter")),
        maxConnections: 4, acquireTimeout: .seconds(120)))
    observer = PostgresPool(
      configuration: try PostgresConfiguration(
        url: cluster.url(user: "postgres", database: "charter")),
      maxConnections: 2, acquireTimeout: .seconds(120))
  }

  /// `charterd migrate` creates the cluster, the roles and the schema (and stops the
  /// cluster); the test then runs the cluster itself, for daemons pointed at it by URL.
  static func create() async throws -> ReliabilityInstallation {
    let root = temporaryDataDirectory()
    let migrate = try await DaemonProcess.runToEnd([
      "migrate", "--data-dir", root.appendingPathComponent("embedded").path,
    ])
    guard migrate.status == 0 else {
      throw SinkFailure(description: "charterd migrate failed: \(migrate.output)")
    }
    let cluster = EmbeddedPostgres(
      directory: root.appendingPathComponent("embedded/postgres"),
      binaries: try PostgresBinaries.locate())
    try await blocking { try cluster.start() }
    return try ReliabilityInstallation(root: root, cluster: cluster)
  }

  /// The environment of daemon `slot`: the shared database by URL, a data folder of its own
  /// (its TLS certificate), an admin port picked by the kernel, and shorter leases when asked.
  func daemonEnvironment(slot: Int, schedulerLease: String? = nil, deliveryLease: String? = nil)
    -> [String: String]
  {
    var environment = [
      "CHARTER_DATABASE_URL": cluster.url(user: RoleBootstrap.appRole, database: "charter"),
      "CHARTER_DATABASE_MIGRATION_URL": cluster.url(
        user: RoleBootstrap.ownerRole, database: "charter"),
      "CHARTER_DATA_DIR": root.appendingPathComponent("daemon-\(slot)").path,
      "CHARTER_LISTEN": "127.0.0.1:0",
      "CHARTER_LOG_FORMAT": "text",
    ]
    environment["CHARTER_SCHEDULER_LEASE"] = schedulerLease
    environment["CHARTER_DELIVERY_LEASE"] = deliveryLease
    return environment
  }

  /// `count` tenants, each with delivery settings sending to the sink without TLS.
  func addTenants(_ count: Int, smtpPort: Int) async throws -> [TenantID] {
    var tenants: [TenantID] = []
    for index in 0..<count {
      let tenant = TenantID(UUID())
      try await app.withInstallationScope { connection in
        _ = try await connection.query(
          "insert into charter.tenants (id, slug, name) values ($1, $2, $3)",
          [tenant, "rel-\(index)-\(tenant.description.prefix(8))", "可靠性联盟 \(index)"])
      }
      try await app.withTenant(tenant) { connection in
        try await DeliverySettings(
          smtpURL: "smtp://127.0.0.1:\(smtpPort)", smtpSecurity: .none,
          mailFrom: "secretariat@reliability.example", mailFromName: "联盟秘书处",
          messageIDDomain: Self.messageIDDomain
        ).save(on: connection)
      }
      tenants.append(tenant)
    }
    return tenants
  }

  /// Writes `count` `notice.deliver` jobs spread round-robin over `tenants`, due from
  /// `start` on and spread evenly over `window`, each to one recipient of its own, through
  /// `JobQueue.enqueue` (one transaction per tenant, NOTIFY at commit).
  func enqueueNotices(
    label: String, count: Int, tenants: [TenantID], start: Duration = .zero,
    window: Duration = .zero, maxAttempts: Int = 5, firstIndex: Int = 0
  ) async throws {
    for (slot, tenant) in tenants.enumerated() {
      let indexes = Array(
        stride(from: firstIndex + slot, to: firstIndex + count, by: tenants.count))
      try await app.withTenant(tenant) { connection in
        for index in indexes {
          let offset = start + window * (Double(index - firstIndex) / Double(max(count, 1)))
          let payload = NoticeDeliveryPayload(
            noticeKind: "reminder", recipients: ["member-\(label)-\(index)@reliability.example"],
            summaryZh: "第 \(index) 号提醒（\(label)）", summaryEn: "Reminder \(index) (\(label))",
            article: "AITISA art. 4.2")
          _ = try await JobQueue.enqueue(
            try payload.job(
              subject: "\(label) \(index)", uniqueKey: "\(label)-\(index)", due: .after(offset),
              maxAttempts: maxAttempts),
            on: connection)
        }
      }
    }
  }

  struct Progress: Sendable, CustomStringConvertible {
    var jobsOpen = 0
    var jobsDone = 0
    var jobsOther = 0
    var deliveriesOpen = 0
    var deliveriesSent = 0
    var deliveriesOther = 0

    var description: String {
      "jobs open \(jobsOpen) done \(jobsDone) other \(jobsOther); "
        + "deliveries open \(deliveriesOpen) sent \(deliveriesSent) other \(deliveriesOther)"
    }
  }

  /// One snapshot of both queues (one statement, so a job and its deliveries agree).
  func progress() async throws -> Progress {
    try await observer.withConnection { connection in
      let row = try await connection.query(
        """
        select
          (select count(*) from charter.deadline_jobs where state in ('pending', 'running')),
          (select count(*) from charter.deadline_jobs where state = 'done'),
          (select count(*) from charter.deadline_jobs
             where state not in ('pending', 'running', 'done')),
          (select count(*) from charter.notice_outbox where state in ('pending', 'sending')),
          (select count(*) from charter.notice_outbox where state = 'sent'),
          (select count(*) from charter.notice_outbox
             where state not in ('pending', 'sending', 'sent'))
        """, []
      ).rows[0]
      return Progress(
        jobsOpen: Int(try row.decode(0, as: Int64.self)),
        jobsDone: Int(try row.decode(1, as: Int64.self)),
        jobsOther: Int(try row.decode(2, as: Int64.self)),
        deliveriesOpen: Int(try row.decode(3, as: Int64.self)),
        deliveriesSent: Int(try row.decode(4, as: Int64.self)),
        deliveriesOther: Int(try row.decode(5, as: Int64.self)))
    }
  }

  /// Nothing pending or running in either queue.
  func isQuiescent() async throws -> Bool {
    let progress = try await progress()
    return progress.jobsOpen == 0 && progress.deliveriesOpen == 0
  }

  /// Waits (polling the database) until nothing is open; returns how long it took, or nil.
  func waitUntilQuiescent(timeout: Duration) async throws -> Duration? {
    let start = ContinuousClock.now
    while ContinuousClock.now - start < timeout {
      if try await isQuiescent() { return ContinuousClock.now - start }
      try await Task.sleep(for: .milliseconds(250))
    }
    return nil
  }

  /// Lease owners of running jobs and sending deliveries right now.
  func leaseOwners() async throws -> Set<String> {
    try await observer.withConnection { connection in
      let rows = try await connection.query(
        """
        select lease_owner from charter.deadline_jobs where state = 'running'
        union select lease_owner from charter.notice_outbox where state = 'sending'
        """, []
      ).rows
      return Set(try rows.compactMap { try $0.decode(0, as: String?.self) })
    }
  }

  /// Running jobs and sending deliveries leased by the daemon with process id `pid`.
  func inFlight(pid: Int32) async throws -> (jobs: Int, deliveries: Int) {
    try await observer.withConnection { connection in
      let pattern = "%-\(pid)-%"
      let row = try await connection.query(
        """
        select
          (select count(*) from charter.deadline_jobs
             where state = 'running' and lease_owner like $1),
          (select count(*) from charter.notice_outbox
             where state = 'sending' and lease_owner like $1)
        """, [pattern]
      ).rows[0]
      return (Int(try row.decode(0, as: Int64.self)), Int(try row.decode(1, as: Int64.self)))
    }
  }

  /// Backends LISTENing on the scheduler's channel (their last statement was the LISTEN).
  func listeningBackends() async throws -> Int {
    try await observer.withConnection { connection in
      Int(
        try await connection.query(
          """
          select count(*) from pg_stat_activity
          where datname = current_database() and query ilike 'listen%charter_jobs%'
          """, []
        ).scalar(as: Int64.self))
    }
  }

  /// The final account of a run, against what the sink received.
  struct Account: Sendable {
    var jobs = 0
    var jobsDone = 0
    var jobsRunMoreThanOnce = 0
    var maxJobAttempts = 0
    /// Jobs without exactly one delivery row.
    var jobsWithoutOneDelivery = 0
    var deliveries = 0
    var deliveriesSent = 0
    var deliveriesAttemptedMoreThanOnce = 0
    /// Deliveries whose Message-ID the sink never received.
    var lost = 0
    /// Receipts beyond the first of a delivery (same Message-ID by construction).
    var duplicates = 0
    /// Receipts whose Message-ID is no delivery of ours.
    var unknownMessageIDs = 0
    /// Recipients that received more than one distinct Message-ID.
    var recipientsWithSeveralMessageIDs = 0
    var receipts = 0
  }

  func account(sink: SMTPSinkProcess) async throws -> Account {
    var account = Account()
    let (jobRow, deliveries) = try await observer.withConnection { connection in
      let jobRow = try await connection.query(
        """
        select count(*), count(*) filter (where state = 'done'),
               count(*) filter (where attempts > 1), coalesce(max(attempts), 0),
               count(*) filter (where (select count(*) from charter.notice_outbox o
                                       where o.tenant_id = j.tenant_id and o.job_id = j.id) <> 1)
        from charter.deadline_jobs j
        """, []
      ).rows[0]
      let deliveries = try await connection.query(
        "select id, recipient, state, attempts from charter.notice_outbox", []
      ).rows
      return (jobRow, deliveries)
    }
    account.jobs = Int(try jobRow.decode(0, as: Int64.self))
    account.jobsDone = Int(try jobRow.decode(1, as: Int64.self))
    account.jobsRunMoreThanOnce = Int(try jobRow.decode(2, as: Int64.self))
    account.maxJobAttempts = Int(try jobRow.decode(3, as: Int32.self))
    account.jobsWithoutOneDelivery = Int(try jobRow.decode(4, as: Int64.self))

    let receipts = try sink.receipts()
    account.receipts = receipts.count
    var receivedByMessageID: [String: Int] = [:]
    var messageIDsByRecipient: [String: Set<String>] = [:]
    for receipt in receipts {
      receivedByMessageID[receipt.messageID, default: 0] += 1
      for recipient in receipt.recipients {
        messageIDsByRecipient[recipient, default: []].insert(receipt.messageID)
      }
    }
    var known: Set<String> = []
    for row in deliveries {
      let id = try row.decode(0, as: UUID.self)
      let messageID =
        "<" + MailMessage.messageID(outboxID: id, domain: Self.messageIDDomain) + ">"
      known.insert(messageID)
      account.deliveries += 1
      if try row.decode(2, as: String.self) == "sent" { account.deliveriesSent += 1 }
      if try row.decode(3, as: Int32.self) > 1 { account.deliveriesAttemptedMoreThanOnce += 1 }
      let received = receivedByMessageID[messageID, default: 0]
      if received == 0 { account.lost += 1 }
      account.duplicates += max(0, received - 1)
    }
    account.unknownMessageIDs = receivedByMessageID.keys.filter { !known.contains($0) }.count
    account.recipientsWithSeveralMessageIDs =
      messageIDsByRecipient.values.filter { $0.count > 1 }
      .count
    return account
  }

  func destroy() async {
    await app.pool.shutdown()
    await observer.shutdown()
    try? await blocking { [cluster] in try cluster.stop(mode: "immediate") }
    try? FileManager.default.removeItem(at: root)
  }
}

/// pg_ctl blocks for seconds: run it on a Dispatch thread, not on Swift's concurrency pool.
func blocking(_ work: @escaping @Sendable () throws -> Void) async throws {
  try await withCheckedThrowingContinuation {
    (continuation: CheckedContinuation<Void, any Error>) in
    DispatchQueue.global().async {
      continuation.resume(with: Result { try work() })
    }
  }
}
