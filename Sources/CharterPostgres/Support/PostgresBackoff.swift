/// Delays between reconnection attempts: doubles from `initial` up to `maximum`, with up to
/// `jitter` (a fraction) added at random so that many clients do not reconnect in lockstep.
public struct PostgresBackoff: Sendable, Equatable {
  public var initial: Duration
  public var maximum: Duration
  public var jitter: Double

  public init(
    initial: Duration = .milliseconds(50), maximum: Duration = .seconds(2), jitter: Double = 0.2
  ) {
    self.initial = initial
    self.maximum = maximum
    self.jitter = jitter
  }

  public static let `default` = PostgresBackoff()

  /// The delay before attempt `attempt` (0 for the first retry).
  public func delay(attempt: Int) -> Duration {
    var delay = initial
    for _ in 0..<min(attempt, 30) where delay < maximum {
      delay *= 2
    }
    delay = min(delay, maximum)
    guard jitter > 0 else { return delay }
    return delay + delay * Double.random(in: 0...jitter)
  }
}

extension Duration {
  var seconds: Double {
    let parts = components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
  }
}
