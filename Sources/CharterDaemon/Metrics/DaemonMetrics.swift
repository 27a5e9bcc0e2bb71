import CharterAdminServer
import CharterDelivery
import CharterPostgres
import CharterProtocol
import CharterScheduler
import Metrics
import Prometheus
import Synchronization

/// The daemon's metrics (issue 7), emitted through swift-metrics into a Prometheus registry
/// and served as text on `metrics.listen`. Counters are counted where things happen
/// (commands, delivery errors); levels (sessions, pool, scheduler totals) are read when
/// Prometheus scrapes, so a scrape is never older than itself.
final class DaemonMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  private let sources = Mutex(Sources())
  private let schedulerSeen = Mutex(SchedulerStatistics())

  struct Sources: Sendable {
    var adminServer: AdminServer?
    var pool: PostgresPool?
    var scheduler: Scheduler?
  }

  /// Buckets of `charter_job_lateness_seconds`: a healthy scheduler starts a job well under
  /// a second after it falls due; the upper buckets tell minutes of overload from a daemon
  /// that was down for hours.
  static let latenessBuckets: [Double] = [
    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3_600, 21_600, 86_400,
  ]

  /// swift-metrics allows one backend per process: call once, in `charterd run`.
  init() {
    var factory = PrometheusMetricsFactory(registry: registry)
    factory.valueHistogramBuckets = ["charter_job_lateness_seconds": Self.latenessBuckets]
    MetricsSystem.bootstrap(factory)
    // Registered now, so the histogram is scraped (all zero) before the first job fires.
    _ = Self.lateness
  }

  private static var lateness: Recorder {
    Recorder(label: "charter_job_lateness_seconds", aggregate: true)
  }

  /// The scheduler's settings with the lateness histogram attached: seconds from a job's
  /// `due_at` to the start of its handler, by the database clock. Without a metrics backend
  /// (metrics.listen empty) swift-metrics drops the values.
  static func schedulerConfiguration(lease: Duration) -> SchedulerConfiguration {
    var configuration = SchedulerConfiguration(lease: lease)
    configuration.onJobStarted = { _, seconds in lateness.record(max(0, seconds)) }
    return configuration
  }

  func observe(
    adminServer: AdminServer? = nil, pool: PostgresPool? = nil, scheduler: Scheduler? = nil
  ) {
    sources.withLock { sources in
      if let adminServer { sources.adminServer = adminServer }
      if let pool { sources.pool = pool }
      if let scheduler { sources.scheduler = scheduler }
    }
  }

  /// The Prometheus text of every metric, after reading the sampled levels.
  func scrape() -> [UInt8] {
    sample()
    return registry.emitToBuffer()
  }

  private func sample() {
    let current = sources.withLock { $0 }
    if let server = current.adminServer {
      Gauge(label: "charter_admin_sessions_open").record(server.sessionCount)
    }
    if let pool = current.pool {
      let statistics = pool.statistics
      Gauge(label: "charter_db_pool_connections", dimensions: [("state", "in_use")])
        .record(statistics.inUse)
      Gauge(label: "charter_db_pool_connections", dimensions: [("state", "idle")])
        .record(statistics.idle)
      Gauge(label: "charter_db_pool_waiting").record(statistics.waiting)
    }
    if let scheduler = current.scheduler {
      let now = scheduler.statistics
      let before = schedulerSeen.withLock { seen in
        defer { seen = now }
        return seen
      }
      let outcomes: [(String, KeyPath<SchedulerStatistics, Int>)] = [
        ("claimed", \.claimed), ("done", \.done), ("retried", \.retried), ("dead", \.dead),
        ("lease_lost", \.leaseLost), ("released", \.released), ("rescued", \.rescued),
      ]
      for (outcome, path) in outcomes {
        // Registered at zero too, so the series exists before the first job.
        Counter(label: "charter_scheduler_jobs_total", dimensions: [("outcome", outcome)])
          .increment(by: max(0, now[keyPath: path] - before[keyPath: path]))
      }
      Counter(label: "charter_scheduler_errors_total").increment(
        by: max(0, now.errors - before.errors))
    }
  }

  /// The outbox sender's settings with `charter_delivery_attempts_total{channel, result}`
  /// attached: one per recorded attempt; `result` is sent, retrying (a temporary failure),
  /// dead or lease_lost. Every channel and result is registered at zero.
  static func outboxSenderConfiguration(lease: Duration) -> OutboxSenderConfiguration {
    for channel in DatabaseLevels.channels {
      for result in attemptResults {
        Counter(
          label: "charter_delivery_attempts_total",
          dimensions: [("channel", channel), ("result", result)]
        ).increment(by: 0)
      }
    }
    var configuration = OutboxSenderConfiguration(lease: lease)
    configuration.onAttempt = { channel, result in
      Counter(
        label: "charter_delivery_attempts_total",
        dimensions: [("channel", channel), ("result", result)]
      ).increment()
    }
    return configuration
  }

  static let attemptResults = ["sent", "retrying", "dead", "lease_lost"]

  /// A delivery round that failed (the sender's error callback: the database, not a channel).
  static func deliveryFailed() {
    Counter(label: "charter_delivery_errors_total").increment()
  }

  /// The same handlers, each counting its outcome:
  /// `charter_admin_commands_total{command, outcome, code}` (outcome ok, error or bye; code
  /// the status code, empty for ok). Commands the session answers itself (PING, HELP, QUIT,
  /// MODE) never reach a handler and are not counted.
  static func counting(_ registry: AdminCommandRegistry) -> AdminCommandRegistry {
    var counted = AdminCommandRegistry(table: registry.table)
    for spec in registry.table.specs {
      guard let handler = registry.handler(for: spec) else { continue }
      let command = spec.name
      counted.register(command) { context in
        let outcome = await handler(context)
        let (kind, code): (String, String) =
          switch outcome.reply.status {
          case .ok: ("ok", "")
          case .error(let code, _): ("error", code.rawValue)
          case .bye(let code, _): ("bye", code.rawValue)
          }
        Counter(
          label: "charter_admin_commands_total",
          dimensions: [("command", command), ("outcome", kind), ("code", code)]
        ).increment()
        return outcome
      }
    }
    return counted
  }
}
