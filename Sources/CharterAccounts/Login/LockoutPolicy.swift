/// When an account stops accepting passwords (RELIABILITY A2, NIST SP 800-63B §5.2.2): after
/// `threshold` failed password logins within `window`, for `duration`. While locked, no
/// password is verified at all (a dummy verification keeps the timing), and the reply is the
/// same as for a wrong password. A certificate login is not affected, and an operator (or
/// the tenant's secretariat) lifts a lockout early with ADMIN ENABLE or ADMIN PASSWD.
public struct LockoutPolicy: Sendable, Hashable {
  public var threshold: Int
  public var window: Duration
  public var duration: Duration

  public init(
    threshold: Int = 10, window: Duration = .seconds(15 * 60),
    duration: Duration = .seconds(15 * 60)
  ) {
    self.threshold = max(1, threshold)
    self.window = window
    self.duration = duration
  }

  public static let standard = LockoutPolicy()
}
