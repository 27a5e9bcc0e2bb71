internal import COpenSSL

/// Hashes and verifies passwords with scrypt or PBKDF2-HMAC-SHA256 (both from OpenSSL),
/// storing self-describing PHC-style strings.
///
/// Every method blocks for the length of one key derivation (about 0.3 s at the current
/// policy): call it from a queue or thread meant for blocking work, never from the Swift
/// concurrency pool or an I/O queue.
public struct PasswordHasher: Sendable {
  public let policy: PasswordPolicy

  public init(policy: PasswordPolicy = .current) {
    self.policy = policy
  }

  /// A new stored string for `password` with a fresh random salt, e.g.
  /// `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`.
  public func hash(_ password: String) throws(CryptoError) -> String {
    let salt = try SecureRandom.bytes(policy.saltLength)
    let derived = try Self.derive(
      password: password, salt: salt, algorithm: policy.algorithm, length: policy.hashLength)
    return StoredPasswordHash(algorithm: policy.algorithm, salt: salt, hash: derived).encoded
  }

  /// Whether `password` matches `stored`, and whether `stored` should be replaced by a hash
  /// at the current policy. A stored string this module cannot read throws
  /// `CryptoError.Code.malformedStoredHash`; it never crashes.
  public func verify(_ password: String, against stored: String) throws(CryptoError)
    -> PasswordVerification
  {
    let parsed = try StoredPasswordHash(parsing: stored)
    let derived = try Self.derive(
      password: password, salt: parsed.salt, algorithm: parsed.algorithm,
      length: parsed.hash.count)
    return PasswordVerification(
      matches: ConstantTime.equals(derived, parsed.hash),
      needsRehash: policy.isStronger(
        than: parsed.algorithm, saltLength: parsed.salt.count, hashLength: parsed.hash.count))
  }

  /// Spends the time of one verification at the current policy and answers nothing, for
  /// logins of unknown users: the reply then takes as long as for a known user with a wrong
  /// password (RELIABILITY A3). Errors are swallowed: there is nothing to report.
  public func dummyVerify(_ password: String) {
    let salt = [UInt8](repeating: 0x5a, count: policy.saltLength)
    let derived = try? Self.derive(
      password: password, salt: salt, algorithm: policy.algorithm, length: policy.hashLength)
    // Compare as a real verification would, so the two paths do the same work.
    _ = ConstantTime.equals(derived ?? [], [UInt8](repeating: 0, count: policy.hashLength))
  }

  static func derive(
    password: String, salt: [UInt8], algorithm: PasswordPolicy.Algorithm, length: Int
  ) throws(CryptoError) -> [UInt8] {
    let passwordBytes = Array(password.utf8)
    var output = [UInt8](repeating: 0, count: length)
    ERR_clear_error()
    let status: Int32
    switch algorithm {
    case .scrypt(let logN, let r, let p):
      guard (0..<63).contains(logN), r > 0, p > 0 else {
        throw CryptoError(.invalidArgument, "scrypt parameters out of range")
      }
      let n = UInt64(1) << UInt64(logN)
      // OpenSSL refuses to allocate more than maxmem (32 MiB by default, less than
      // N = 2^17 needs): allow exactly what RFC 7914 uses, B (128·r·p) plus V (128·r·(N+2)).
      let maxMemory = 128 * UInt64(r) * (n + 2) + 128 * UInt64(r) * UInt64(p)
      status = passwordBytes.withUnsafeBufferPointer { passwordBuffer in
        salt.withUnsafeBufferPointer { saltBuffer in
          output.withUnsafeMutableBufferPointer { outputBuffer in
            passwordBuffer.withMemoryRebound(to: CChar.self) { passwordChars in
              EVP_PBE_scrypt(
                passwordChars.baseAddress, passwordChars.count, saltBuffer.baseAddress,
                saltBuffer.count, n, UInt64(r), UInt64(p), maxMemory, outputBuffer.baseAddress,
                outputBuffer.count)
            }
          }
        }
      }
    case .pbkdf2SHA256(let iterations):
      guard iterations > 0, iterations <= Int(Int32.max) else {
        throw CryptoError(.invalidArgument, "PBKDF2 iteration count out of range")
      }
      status = passwordBytes.withUnsafeBufferPointer { passwordBuffer in
        salt.withUnsafeBufferPointer { saltBuffer in
          output.withUnsafeMutableBufferPointer { outputBuffer in
            passwordBuffer.withMemoryRebound(to: CChar.self) { passwordChars in
              PKCS5_PBKDF2_HMAC(
                passwordChars.baseAddress, Int32(passwordChars.count), saltBuffer.baseAddress,
                Int32(saltBuffer.count), Int32(iterations), EVP_sha256(), Int32(outputBuffer.count),
                outputBuffer.baseAddress)
            }
          }
        }
      }
    }
    guard status == 1 else {
      throw CryptoError.fromOpenSSL(.derivationFailed, "password key derivation failed")
    }
    return output
  }
}
