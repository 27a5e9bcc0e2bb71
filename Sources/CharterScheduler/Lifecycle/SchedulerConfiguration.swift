import Foundation

/// How a daemon's scheduler runs. The defaults suit a daemon; tests shorten them.
public struct SchedulerConfiguration: Sendable {
  /// This daemon instance, recorded as the lease owner. Must differ between daemons.
  public var instanceID: String
  /// Handlers running at once.
  public var maxConcurrentJobs: Int
  /// Jobs leased per claim statement, 1 to 5,000 (PLATFORM.md: about 16x the throughput of
  /// one by one at 100). Large enough that a claim holds several jobs of one tenant when many
  /// tenants have jobs due at once: only those can share a transaction
  /// (`maxJobsPerTransaction`; 2,000 over 100 tenants: 20 each). Claimed jobs wait in memory
  /// for a free worker; the scheduler paces its claims so that none waits out its lease.
  public var claimBatchSize: Int
  /// Jobs of one tenant, due within the same second, run in one tenant transaction at most
  /// (docs/scheduler.md, "Several jobs per transaction"); 1 runs every job alone.
  public var maxJobsPerTransaction: Int
  /// A batch starts no further handler once it has run this long; the jobs it did not start go
  /// back to the front of the queue for the next batch. Keeps slow handlers from holding a
  /// tenant's rows, and the jobs behind them, for long.
  public var batchTimeBudget: Duration
  /// How long a claim holds a job before another daemon may rescue it.
  public var lease: Duration
  /// The timer never sleeps longer than this, so a lost notification delays a job by at most
  /// this much (RELIABILITY R4, R5).
  public var safetyPollInterval: Duration
  /// Backoff when the timer fires but finds nothing it can take (jobs due but locked by
  /// another daemon's claim, an expired lease whose live runner still holds the row).
  public var idleRetryDelay: Duration
  public var retryPolicy: RetryPolicy
  /// `stop()`'s grace period for running handlers.
  public var drainGrace: Duration
  public var notificationChannel: String
  /// Told when a claimed job's handler is about to run: its kind and how late it starts,
  /// in seconds from `due_at` by the database clock (the daemon's lateness histogram).
  public var onJobStarted: (@Sendable (_ kind: String, _ latenessSeconds: Double) -> Void)?

  public init(
    instanceID: String = SchedulerConfiguration.defaultInstanceID(),
    maxConcurrentJobs: Int = 8, claimBatchSize: Int = 2000, maxJobsPerTransaction: Int = 50,
    batchTimeBudget: Duration = .milliseconds(100), lease: Duration = .seconds(60),
    safetyPollInterval: Duration = .seconds(30), idleRetryDelay: Duration = .milliseconds(250),
    retryPolicy: RetryPolicy = RetryPolicy(), drainGrace: Duration = .seconds(10),
    notificationChannel: String = JobQueue.notificationChannel
  ) {
    self.instanceID = instanceID
    self.maxConcurrentJobs = max(1, maxConcurrentJobs)
    self.claimBatchSize = min(5000, max(1, claimBatchSize))
    self.maxJobsPerTransaction = max(1, maxJobsPerTransaction)
    self.batchTimeBudget = batchTimeBudget
    self.lease = lease
    self.safetyPollInterval = safetyPollInterval
    self.idleRetryDelay = idleRetryDelay
    self.retryPolicy = retryPolicy
    self.drainGrace = drainGrace
    self.notificationChannel = notificationChannel
  }

  /// host name, process id and a random suffix: unique across restarts of one process id.
  public static func defaultInstanceID() -> String {
    let host = ProcessInfo.processInfo.hostName.prefix(60)
    let suffix = UUID().uuidString.prefix(8).lowercased()
    return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
  }
}
