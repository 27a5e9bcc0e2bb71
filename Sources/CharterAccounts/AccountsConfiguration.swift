public import CharterCrypto
public import CharterDelivery
public import Foundation

/// How accounts behave; the defaults are the production values. Tests inject a cheaper
/// password policy, short delays and a clock they move by hand.
public struct AccountsConfiguration: Sendable {
  /// New hashes are made with it; stored hashes with weaker parameters are re-hashed at the
  /// next successful login.
  public var passwordPolicy: PasswordPolicy
  /// Password derivations running at once (128 MiB each at the default policy).
  public var maxConcurrentPasswordWork: Int
  public var lockout: LockoutPolicy
  public var throttle: ThrottlePolicy
  /// Shortest password ADMIN PASSWD accepts.
  public var minimumPasswordLength: Int
  /// The clock of lockouts and throttling.
  public var now: @Sendable () -> Date
  /// Where events worth a line in the daemon log go (lockouts, audit write failures).
  public var log: @Sendable (String) -> Void
  /// Checks webhook and robot URLs at DELIVERY SET, with the networks the operator allows:
  /// give it the same allowance as the sender's `WebhookTransport` (RELIABILITY S8).
  public var webhookGuard: WebhookTargetGuard

  public init(
    passwordPolicy: PasswordPolicy = .current, maxConcurrentPasswordWork: Int = 2,
    lockout: LockoutPolicy = .standard, throttle: ThrottlePolicy = .standard,
    minimumPasswordLength: Int = 10, now: @escaping @Sendable () -> Date = { Date() },
    log: @escaping @Sendable (String) -> Void = { _ in },
    webhookGuard: WebhookTargetGuard = WebhookTargetGuard()
  ) {
    self.passwordPolicy = passwordPolicy
    self.maxConcurrentPasswordWork = maxConcurrentPasswordWork
    self.lockout = lockout
    self.throttle = throttle
    self.minimumPasswordLength = minimumPasswordLength
    self.now = now
    self.log = log
    self.webhookGuard = webhookGuard
  }
}
