import Foundation

/// How an `OutboxSender` works.
public struct OutboxSenderConfiguration: Sendable {
  /// Names this daemon in leases and listings.
  public var instanceID: String
  /// How long a claimed delivery is ours. Longer than the SMTP reply timeout (10 min), or a
  /// slow server's final reply could see the delivery rescued and sent twice (RELIABILITY R13).
  public var lease: Duration
  /// Deliveries claimed per statement.
  public var batchSize: Int
  /// Deliveries in flight at once.
  public var concurrency: Int
  /// The longest `run()` sleeps when nothing is due.
  public var pollInterval: Duration
  public var retrySchedule: DeliveryRetrySchedule
  /// Told after each attempt on a channel is recorded: the channel and what became of the
  /// delivery — `sent`, `retrying` (a temporary failure), `dead` or `lease_lost` (the
  /// daemon's `charter_delivery_attempts_total{channel, result}`).
  public var onAttempt: (@Sendable (_ channel: String, _ result: String) -> Void)?

  public init(
    instanceID: String? = nil,
    lease: Duration = .seconds(15 * 60), batchSize: Int = 20, concurrency: Int = 4,
    pollInterval: Duration = .seconds(5), retrySchedule: DeliveryRetrySchedule = .init()
  ) {
    self.instanceID =
      instanceID
      ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-"
      + "\(UInt32.random(in: 0...UInt32.max))"
    self.lease = lease
    self.batchSize = min(max(batchSize, 1), 1000)
    self.concurrency = max(concurrency, 1)
    self.pollInterval = pollInterval
    self.retrySchedule = retrySchedule
  }
}
