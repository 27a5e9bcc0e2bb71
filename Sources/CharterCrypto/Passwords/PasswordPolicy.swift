/// The parameters new password hashes are made with. Stored hashes made with weaker
/// parameters (or another algorithm) verify, and `PasswordVerification.needsRehash` tells the
/// caller to store a fresh hash while it holds the plaintext (RELIABILITY A1, OWASP Password
/// Storage).
public struct PasswordPolicy: Sendable, Hashable {
  public enum Algorithm: Sendable, Hashable {
    /// scrypt (RFC 7914) with cost N = 2^logN, block size r and parallelism p.
    case scrypt(logN: Int, r: Int, p: Int)
    /// PBKDF2-HMAC-SHA256 (RFC 8018) with the given iteration count.
    case pbkdf2SHA256(iterations: Int)
  }

  public var algorithm: Algorithm
  /// Per-user random salt, in bytes.
  public var saltLength: Int
  /// Derived key length, in bytes.
  public var hashLength: Int

  public init(algorithm: Algorithm, saltLength: Int = 16, hashLength: Int = 32) {
    self.algorithm = algorithm
    self.saltLength = saltLength
    self.hashLength = hashLength
  }

  /// OWASP's scrypt minimum: N = 2^17, r = 8, p = 1 (128 MiB, about a third of a second
  /// here). Memory-hard, so it costs an attacker's GPUs more than PBKDF2 would.
  public static let current = PasswordPolicy(algorithm: .scrypt(logN: 17, r: 8, p: 1))

  /// OWASP's PBKDF2 minimum, for installations that must avoid scrypt's memory use.
  public static let pbkdf2 = PasswordPolicy(algorithm: .pbkdf2SHA256(iterations: 600_000))

  /// True when a hash made with `stored` is weaker than this policy asks, or uses another
  /// algorithm: the caller should re-hash on the next successful login.
  func isStronger(than stored: Algorithm, saltLength storedSalt: Int, hashLength storedHash: Int)
    -> Bool
  {
    if storedSalt < saltLength || storedHash < hashLength { return true }
    switch (algorithm, stored) {
    case (.scrypt(let logN, let r, let p), .scrypt(let storedLogN, let storedR, let storedP)):
      return storedLogN < logN || storedR < r || storedP < p
    case (.pbkdf2SHA256(let iterations), .pbkdf2SHA256(let storedIterations)):
      return storedIterations < iterations
    default:
      return true
    }
  }
}

/// The answer of `PasswordHasher.verify`.
public struct PasswordVerification: Sendable, Hashable {
  /// The password is the one the stored hash was made from.
  public let matches: Bool
  /// The stored hash uses weaker parameters or another algorithm than the current policy.
  /// Act on it only when `matches` is true: re-hash the plaintext and store the new string.
  public let needsRehash: Bool
}
