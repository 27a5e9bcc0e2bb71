/// Delays between attempts of a failing job: `base` doubled per attempt up to `maximum`,
/// spread by ± `jitter` (a fraction) so that jobs that failed together do not retry together.
public struct RetryPolicy: Sendable {
  public var base: Duration
  public var maximum: Duration
  public var jitter: Double
  /// A number in 0..<1; injected by tests.
  public var random: @Sendable () -> Double

  public init(
    base: Duration = .seconds(30), maximum: Duration = .seconds(6 * 3600), jitter: Double = 0.2,
    random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
  ) {
    self.base = base
    self.maximum = maximum
    self.jitter = jitter
    self.random = random
  }

  /// The delay after failed attempt `attempt` (1 for the first run).
  public func delay(afterAttempt attempt: Int) -> Duration {
    var delay = base
    var doublings = max(0, attempt - 1)
    while doublings > 0, delay < maximum {
      delay *= 2
      doublings -= 1
    }
    delay = min(delay, maximum)
    guard jitter > 0 else { return delay }
    let factor = 1 + jitter * (2 * random() - 1)
    return delay * max(0, factor)
  }
}
