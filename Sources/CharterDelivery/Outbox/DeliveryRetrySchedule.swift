/// When to try a failed delivery again, and when to give up — like a mail server's queue
/// (Postfix `minimal_backoff_time`, `maximal_backoff_time`, `maximal_queue_lifetime`): delays
/// double from `firstDelay` up to `maximumDelay`, with jitter; a delivery is given up (dead) when
/// its next attempt would fall later than its channel's lifetime after it was written.
public struct DeliveryRetrySchedule: Sendable, Equatable {
  public var firstDelay: Duration
  public var maximumDelay: Duration
  /// ± this fraction of each delay, so deliveries failed together do not return together.
  public var jitter: Double
  /// E-mail: RFC 5321 §4.5.4.1 asks for at least 4–5 days; RELIABILITY R12 for ≥ 4.
  public var emailLifetime: Duration
  /// Webhooks and robots: Standard Webhooks retries for about 3 days, RELIABILITY R12 for at
  /// least 3 before the endpoint is disabled. The last attempt falls up to one maximum delay
  /// (plus jitter) before the lifetime ends, hence 3 days 5 hours: the last attempt of the
  /// default schedule is never before 3 days.
  public var webhookLifetime: Duration

  public init(
    firstDelay: Duration = .seconds(5 * 60), maximumDelay: Duration = .seconds(4 * 3600),
    jitter: Double = 0.1, emailLifetime: Duration = .seconds(5 * 86400),
    webhookLifetime: Duration = .seconds(3 * 86400 + 5 * 3600)
  ) {
    self.firstDelay = firstDelay
    self.maximumDelay = maximumDelay
    self.jitter = min(max(jitter, 0), 0.5)
    self.emailLifetime = emailLifetime
    self.webhookLifetime = webhookLifetime
  }

  /// The delay after failed attempt `attempt` (1-based), in seconds, jitter applied.
  public func delaySeconds(afterAttempt attempt: Int) -> Double {
    let base = seconds(firstDelay) * pow2(max(0, attempt - 1))
    let capped = min(base, seconds(maximumDelay))
    return capped * (1 + Double.random(in: -jitter...jitter))
  }

  public func lifetimeSeconds(channel: String) -> Double {
    seconds(channel == "email" ? emailLifetime : webhookLifetime)
  }

  private func pow2(_ exponent: Int) -> Double {
    exponent >= 60 ? Double.greatestFiniteMagnitude : Double(1 << exponent)
  }

  private func seconds(_ duration: Duration) -> Double {
    let (whole, fraction) = duration.components
    return Double(whole) + Double(fraction) / 1e18
  }
}
