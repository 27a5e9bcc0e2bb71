/// Counters of one scheduler since it started, for tests, logs and the STATS command.
public struct SchedulerStatistics: Sendable, Equatable {
  public var claimed = 0
  public var done = 0
  public var retried = 0
  public var dead = 0
  /// Claims whose lease was gone when the job was to run or complete.
  public var leaseLost = 0
  /// Claimed jobs given back at drain.
  public var released = 0
  public var rescued = 0
  public var timerFires = 0
  public var notifications = 0
  public var errors = 0

  public init() {}
}

/// What `drain` achieved.
public struct DrainReport: Sendable, Equatable {
  /// Handlers that finished within the grace period.
  public var finished: Int
  /// Claimed jobs given back to pending (never started, or interrupted past the grace).
  public var released: Int
  /// Handlers that ignored cancellation: their jobs stay leased until the lease expires.
  public var stillRunning: Int

  public init(finished: Int, released: Int, stillRunning: Int) {
    self.finished = finished
    self.released = released
    self.stillRunning = stillRunning
  }
}
