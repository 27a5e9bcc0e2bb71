internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG (RAND_bytes), for salts,
/// session tokens and webhook secrets.
public enum SecureRandom {
  public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
    guard count >= 0, count <= Int(Int32.max) else {
      throw CryptoError(.invalidArgument, "random byte count \(count) out of range")
    }
    var result = [UInt8](repeating: 0, count: count)
    if count == 0 { return result }
    ERR_clear_error()
    let status = result.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
    guard status == 1 else {
      throw CryptoError.fromOpenSSL(.randomUnavailable, "RAND_bytes failed")
    }
    return result
  }
}
