import Foundation

/// A growing delay per source address before a failed login is answered (issue 3 item 5):
/// `base` after the first recent failure, doubling with each further one up to `maximum`.
///
/// Kept in memory, per daemon: a score per address that rises by one with each failed login
/// and halves every `halfLife`, so an address that stops failing is forgiven gradually and a
/// restart forgets everything (the per-account lockout, in the database, is the durable
/// guard). A success does not reset the score: an attacker with one valid account must not
/// be able to wipe it between guesses. At most `capacity` addresses are tracked; past that
/// the entries that have decayed most are dropped first.
public struct ThrottlePolicy: Sendable, Hashable {
  public var base: Duration
  public var maximum: Duration
  public var halfLife: Duration
  public var capacity: Int

  public init(
    base: Duration = .milliseconds(250), maximum: Duration = .seconds(8),
    halfLife: Duration = .seconds(10 * 60), capacity: Int = 100_000
  ) {
    self.base = base
    self.maximum = maximum
    self.halfLife = halfLife
    self.capacity = max(1, capacity)
  }

  public static let standard = ThrottlePolicy()
}

actor AddressThrottle {
  private struct Entry {
    var score: Double
    var updated: Date
  }

  let policy: ThrottlePolicy
  private var entries: [String: Entry] = [:]

  init(policy: ThrottlePolicy) {
    self.policy = policy
  }

  /// Counts a failure from `address` and returns how long to wait before answering it.
  func recordFailure(from address: String, at now: Date) -> Duration {
    var score = decayedScore(of: address, at: now) + 1
    if score > 64 { score = 64 }
    entries[address] = Entry(score: score, updated: now)
    if entries.count > policy.capacity { prune(at: now) }
    return delay(forScore: score)
  }

  /// The delay the next failure from `address` would get, for tests and diagnostics.
  func currentScore(of address: String, at now: Date) -> Double {
    decayedScore(of: address, at: now)
  }

  func delay(forScore score: Double) -> Duration {
    guard score >= 1 else { return .zero }
    let factor = pow(2.0, min(score - 1, 30))
    let seconds = min(policy.base.seconds * factor, policy.maximum.seconds)
    return .nanoseconds(Int64(seconds * 1e9))
  }

  private func decayedScore(of address: String, at now: Date) -> Double {
    guard let entry = entries[address] else { return 0 }
    let elapsed = max(0, now.timeIntervalSince(entry.updated))
    let halfLife = max(policy.halfLife.seconds, 0.001)
    return entry.score * pow(0.5, elapsed / halfLife)
  }

  private func prune(at now: Date) {
    let ranked = entries.keys.map { ($0, decayedScore(of: $0, at: now)) }.sorted { $0.1 < $1.1 }
    for (address, _) in ranked.prefix(entries.count - policy.capacity * 9 / 10) {
      entries.removeValue(forKey: address)
    }
  }
}

extension Duration {
  var seconds: Double {
    let parts = components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
  }
}
