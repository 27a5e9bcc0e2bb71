internal import COpenSSL

/// Comparison of secrets (HMAC tags, fingerprints, tokens, password hashes) whose running
/// time does not depend on where the inputs differ (RELIABILITY A4).
public enum ConstantTime {
  /// True when both byte strings are equal. Lengths are not secret (a tag or hash has a
  /// fixed length), so unequal lengths return false at once; equal lengths are compared
  /// with CRYPTO_memcmp.
  public static func equals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
    let left = Array(lhs)
    let right = Array(rhs)
    guard left.count == right.count else { return false }
    if left.isEmpty { return true }
    return left.withUnsafeBytes { leftBuffer in
      right.withUnsafeBytes { rightBuffer in
        CRYPTO_memcmp(leftBuffer.baseAddress, rightBuffer.baseAddress, left.count) == 0
      }
    }
  }
}
