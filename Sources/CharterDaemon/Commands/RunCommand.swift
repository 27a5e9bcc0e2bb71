import CharterAdminServer
import CharterDelivery
import CharterPostgres
import CharterScheduler
import CharterStore
import Foundation

/// `charterd run`: prepare the database (embedded or external), apply migrations, check the
/// security posture, then serve until SIGTERM or SIGINT. Refuses to start — exit 1 with the
/// reason — on a changed migration, a posture violation or an unreachable database.
enum RunCommand {
  static func run(
    configuration: Configuration, demo: Bool = false,
    reload: @escaping @Sendable () throws -> Configuration
  ) async -> Int32 {
    var configuration = configuration
    // The demo's deadlines fall around the day it is loaded: past the calendar's last year
    // they count Monday to Friday with a warning rather than refuse, unless configured.
    if demo,
      configuration.sources["calendar.fallback"] == nil
        || configuration.sources["calendar.fallback"] == .defaultValue
    {
      try? configuration.set("calendar.fallback", "weekdays", from: .defaultValue)
    }
    DaemonLog.configure(configuration)
    DaemonLog.bootstrap()
    let lock: DataDirectoryLock?
    do {
      lock =
        configuration.databaseURL == nil
        ? try DataDirectoryLock(directory: configuration.dataDirectory) : nil
    } catch {
      DaemonLog.error("\(error)")
      return 1
    }
    defer { withExtendedLifetime(lock) {} }

    // Signals are taken over first: a SIGTERM or SIGHUP during the start-up (which may take
    // seconds: initdb, migrations) waits in the stream instead of killing the daemon with its
    // embedded PostgreSQL still running.
    let (events, continuation) = AsyncStream.makeStream(of: SignalWatcher.Event.self)
    let signals = SignalWatcher { continuation.yield($0) }
    defer { signals.cancel() }

    // systemd (Type=notify): READY=1 once serving, RELOADING=1 around SIGHUP, STOPPING=1,
    // and the watchdog while running; nothing when not started by systemd.
    let serviceManager = ServiceManagerLink.takeFromProcess()
    serviceManager.startWatchdog()
    defer { serviceManager.stopWatchdog() }

    // The rules data first: a malformed calendar or profile stops the start before anything
    // else is touched, naming the file, line and key.
    let rules: GovernanceData
    let webhookGuard: WebhookTargetGuard
    do {
      webhookGuard = try WebhookTargetGuard.configured(configuration)
      rules = try GovernanceData.load(configuration)
      DaemonLog.info("rules data: \(rules.summary)")
    } catch {
      DaemonLog.error("refusing to start: \(error)")
      return 1
    }

    let endpoints: DatabaseEndpoints
    do {
      endpoints = try await DatabaseEndpoints.prepare(configuration)
    } catch {
      DaemonLog.error("cannot prepare the database: \(error)")
      return 1
    }
    defer { endpoints.stopEmbedded() }

    let pool: PostgresPool
    do {
      pool = try await start(configuration, endpoints)
    } catch {
      DaemonLog.error("refusing to start: \(error)")
      return 1
    }

    // Metrics first, so the admin server's handlers count from the first command.
    let metrics: (DaemonMetrics, MetricsHTTPServer)?
    do {
      metrics = try startMetrics(configuration)
    } catch {
      DaemonLog.error("refusing to start: \(error)")
      await pool.shutdown()
      return 1
    }
    defer { metrics?.1.stop() }
    metrics?.0.observe(pool: pool)

    let services = DaemonServices(
      database: Database(pool: pool), rules: rules, webhookGuard: webhookGuard)
    // SIGHUP and RELOAD: one reload path (Lifecycle/ConfigurationReloader.swift).
    let reloader = ConfigurationReloader(
      running: configuration, serviceManager: serviceManager, read: reload)
    let server: AdminServer
    do {
      server = try await startAdminServer(
        configuration, pool: pool, services: services, counted: metrics != nil,
        reloader: reloader)
    } catch {
      DaemonLog.error("refusing to start the admin server: \(error)")
      await pool.shutdown()
      return 1
    }
    // Deadline jobs: one timer at the earliest due job, re-armed by NOTIFY (docs/scheduler.md).
    let scheduler = Scheduler(
      database: Database(pool: pool), handlers: services.jobHandlers(),
      configuration: DaemonMetrics.schedulerConfiguration(
        lease: configuration.duration("scheduler.lease")),
      onError: { DaemonLog.warning("scheduler: \($0)") })
    do {
      try await scheduler.start()
    } catch {
      DaemonLog.error("refusing to start the scheduler: \(error)")
      await server.shutdown()
      await pool.shutdown()
      return 1
    }
    metrics?.0.observe(adminServer: server, scheduler: scheduler)
    if demo, !(await loadDemo(pool: pool, services: services)) {
      await server.shutdown()
      _ = await scheduler.stop()
      await pool.shutdown()
      return 1
    }
    let databaseLevels = metrics.map { _ in
      Task { await DatabaseLevels.run(database: Database(pool: pool)) }
    }
    // Notices: the outbox sender sleeps until the next due delivery (at most its poll
    // interval); with nothing in the outbox it only polls, and logs nothing.
    let sender = OutboxSender(
      database: Database(pool: pool),
      configuration: DaemonMetrics.outboxSenderConfiguration(
        lease: configuration.duration("delivery.lease")),
      webhooks: WebhookTransport(guardrail: webhookGuard))
    let delivery = Task {
      await sender.run(onError: {
        DaemonMetrics.deliveryFailed()
        DaemonLog.warning("delivery: \($0)")
      })
    }
    DaemonLog.info("charterd \(CharterVersion.string) ready; database: \(endpoints.summary)")
    serviceManager.ready(status: "serving; database: \(endpoints.summary)")
    if let embedded = endpoints.embedded {
      let ownerURL = embedded.url(
        user: "charter_owner", database: DatabaseEndpoints.embeddedDatabase)
      DaemonLog.info("inspect the database with: psql '\(ownerURL)'")
    }
    for await event in events {
      if event == .terminate { break }
      reloader.reload(trigger: "SIGHUP")
    }
    serviceManager.stopping()
    databaseLevels?.cancel()
    await databaseLevels?.value
    DaemonLog.info("stopping: no new admin sessions; open ones finish their command")
    await server.shutdown()
    let drained = await scheduler.stop()
    DaemonLog.info(
      "scheduler stopped: \(drained.finished) jobs finished, \(drained.released) released, "
        + "\(drained.stillRunning) left to their lease")
    // Deliveries in flight finish and record their attempt; nothing new is claimed.
    delivery.cancel()
    await delivery.value
    DaemonLog.info("delivery stopped")
    await pool.shutdown()
    return 0
  }

  /// `charterd demo`: the five demo organisations, loaded through the command handlers unless
  /// they exist already (Config/demo/*.charter).
  private static func loadDemo(pool: PostgresPool, services: DaemonServices) async -> Bool {
    guard let directory = InstallationResources().locate(.config, "demo") else {
      DaemonLog.error("demo: no Config/demo folder in this installation")
      return false
    }
    do {
      let loader = DemoLoader(
        database: Database(pool: pool), services: services, directory: directory)
      let loaded = try await loader.load()
      DaemonLog.info(
        loaded.isEmpty
          ? "demo: the demo organisations exist already; nothing loaded"
          : "demo: loaded \(loaded.joined(separator: ", "))")
      return true
    } catch {
      DaemonLog.error("demo: \(error)")
      return false
    }
  }

  /// `metrics.listen`: the Prometheus endpoint, or nil when empty (the default).
  private static func startMetrics(_ configuration: Configuration) throws -> (
    DaemonMetrics, MetricsHTTPServer
  )? {
    guard let address = ListenAddress(configuration["metrics.listen"]) else { return nil }
    let metrics = DaemonMetrics()
    let server = try MetricsHTTPServer(host: address.host, port: address.port) {
      metrics.scrape()
    }
    var bound = address
    bound.port = server.port
    DaemonLog.info("metrics listening on \(bound) (HTTP, GET /metrics)")
    return (metrics, server)
  }

  private static func startAdminServer(
    _ configuration: Configuration, pool: PostgresPool, services: DaemonServices, counted: Bool,
    reloader: ConfigurationReloader
  ) async throws -> AdminServer {
    try FileManager.default.createDirectory(
      at: configuration.dataDirectory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    let database = Database(pool: pool)
    try await AdminServerSetup.ensureFirstOperator(
      database: database, dataDirectory: configuration.dataDirectory)
    var (registry, auditSink) = services.commands(reloader: reloader)
    if counted { registry = DaemonMetrics.counting(registry) }
    let server = AdminServer(
      settings: try AdminServerSetup.settings(configuration),
      context: try AdminServerSetup.tlsContext(configuration), registry: registry,
      auditSink: auditSink, log: AdminServerSetup.log)
    try server.start()
    reloader.attach(server)
    reloader.attach(services.workflows)
    let host = ListenAddress(configuration["listen"])?.host ?? configuration["listen"]
    let shown = host.contains(":") ? "[\(host)]:\(server.port)" : "\(host):\(server.port)"
    DaemonLog.info("admin server listening on \(shown) (TLS)")
    DaemonLog.info(AdminServerSetup.connectHint(configuration, port: server.port))
    return server
  }

  /// Migrations as the owner role, then the posture check as the run-time role; returns the
  /// run-time pool.
  private static func start(_ configuration: Configuration, _ endpoints: DatabaseEndpoints)
    async throws
    -> PostgresPool
  {
    let owner = try endpoints.connectionConfiguration(
      endpoints.migrationURL, configuration, applicationName: "charterd migrate")
    let directory = try configuration.migrationsDirectory()
    let applied = try await withConnection(owner) { connection in
      try await MigrationRunner(directory: directory, connection: connection).apply()
    }
    for file in applied { DaemonLog.info("applied migration \(file.fileName)") }

    let runtime = try endpoints.connectionConfiguration(
      endpoints.runtimeURL, configuration, applicationName: "charterd")
    try await withConnection(runtime) { connection in
      try await PostureCheck.verify(connection: connection)
    }
    DaemonLog.info(
      "security posture checked: run-time role bound by row-level security on every tenant table")
    return PostgresPool(
      configuration: runtime, maxConnections: configuration.poolSize,
      acquireTimeout: configuration.duration("database.acquire_timeout"))
  }
}
