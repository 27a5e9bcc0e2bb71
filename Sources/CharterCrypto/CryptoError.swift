internal import COpenSSL

/// A failure of CharterCrypto. `code` says what went wrong; `openSSLErrors` is the whole
/// OpenSSL error queue read on the thread of the failing call (STYLE 11). The description
/// never contains a password, a key or a stored hash.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
  /// Extensible: new codes can be added without breaking callers that switch with `default`.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public var description: String { name }

    /// The random generator could not produce bytes (RAND_bytes failed).
    public static let randomUnavailable = Code(name: "random-unavailable")
    /// A key derivation (scrypt, PBKDF2) or digest call failed inside OpenSSL.
    public static let derivationFailed = Code(name: "derivation-failed")
    /// A stored password hash is not one this module can read, or its parameters are out of
    /// the bounds we accept (a hostile `ln=40` must not allocate terabytes).
    public static let malformedStoredHash = Code(name: "malformed-stored-hash")
    /// An argument was out of range (for example a negative byte count).
    public static let invalidArgument = Code(name: "invalid-argument")
  }

  public let code: Code
  /// Why, in words safe to log.
  public let reason: String
  /// The OpenSSL error queue, oldest first, as `lib:reason` lines (may be empty).
  public let openSSLErrors: [String]

  init(_ code: Code, _ reason: String, openSSLErrors: [String] = []) {
    self.code = code
    self.reason = reason
    self.openSSLErrors = openSSLErrors
  }

  /// Builds an error and drains the calling thread's OpenSSL error queue into it.
  static func fromOpenSSL(_ code: Code, _ reason: String) -> CryptoError {
    CryptoError(code, reason, openSSLErrors: drainOpenSSLErrorQueue())
  }

  public var description: String {
    var text = "\(code): \(reason)"
    if !openSSLErrors.isEmpty { text += " [" + openSSLErrors.joined(separator: "; ") + "]" }
    return text
  }
}

/// Reads and empties this thread's OpenSSL error queue. Must run on the thread of the call
/// that failed: the queue is thread-local.
func drainOpenSSLErrorQueue() -> [String] {
  var lines: [String] = []
  while true {
    let packed = ERR_get_error()
    if packed == 0 { break }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(packed, &buffer, buffer.count)
    lines.append(
      String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
  }
  return lines
}
