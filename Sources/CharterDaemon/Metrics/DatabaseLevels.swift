import CharterStore
import Foundation
import Metrics

/// Levels that live in the database, sampled every `interval` (the queries visit every
/// tenant, so not at each scrape): `charter_jobs{state}`, `charter_jobs_oldest_overdue_seconds` and
/// `charter_outbox{state, channel}`.
/// Row-level security shows tenant rows only inside `withTenant`, hence one short
/// transaction per tenant.
enum DatabaseLevels {
  static let jobStates = ["pending", "running", "done", "failed", "dead", "cancelled"]
  static let outboxStates = ["pending", "sending", "sent", "failed", "dead", "cancelled"]
  static let channels = ["email", "webhook", "dingtalk", "wecom"]

  /// Samples until cancelled; a failed sample is logged and the next one tried.
  static func run(database: Database, interval: Duration = .seconds(15)) async {
    while !Task.isCancelled {
      do {
        try await sample(database)
      } catch {
        DaemonLog.warning("metrics: cannot sample the database: \(error)")
      }
      try? await Task.sleep(for: interval)
    }
  }

  static func sample(_ database: Database) async throws {
    let tenants = try await database.withInstallationScope { connection in
      try await connection.query("select id from charter.tenants", []).rows.map {
        TenantID(try $0.decode(0, as: UUID.self))
      }
    }
    var jobs: [String: Int] = [:]
    var outbox: [String: Int] = [:]
    var oldestOverdue = 0.0
    for tenant in tenants {
      try await database.withTenant(tenant) { connection in
        for row in try await connection.query(
          "select state, count(*) from charter.deadline_jobs group by state", []
        ).rows {
          jobs[try row.decode(0, as: String.self), default: 0] += Int(
            try row.decode(1, as: Int64.self))
        }
        // How late the scheduler is: the oldest pending job past its due time (0 when none).
        let lateness = try await connection.query(
          """
          select coalesce(extract(epoch from clock_timestamp() - min(due_at))::float8, 0)
          from charter.deadline_jobs where state = 'pending' and due_at <= now()
          """, [])
        if let row = lateness.rows.first {
          oldestOverdue = max(oldestOverdue, try row.decode(0, as: Double.self))
        }
        for row in try await connection.query(
          "select state, channel, count(*) from charter.notice_outbox group by state, channel", []
        ).rows {
          let key = try row.decode(0, as: String.self) + "/" + row.decode(1, as: String.self)
          outbox[key, default: 0] += Int(try row.decode(2, as: Int64.self))
        }
      }
    }
    // Every state is reported, at zero too, so a drained queue reads 0 rather than vanishing.
    for state in jobStates {
      Gauge(label: "charter_jobs", dimensions: [("state", state)]).record(jobs[state, default: 0])
    }
    Gauge(label: "charter_jobs_oldest_overdue_seconds").record(oldestOverdue)
    for state in outboxStates {
      for channel in channels {
        Gauge(label: "charter_outbox", dimensions: [("state", state), ("channel", channel)])
          .record(outbox["\(state)/\(channel)", default: 0])
      }
    }
  }
}
