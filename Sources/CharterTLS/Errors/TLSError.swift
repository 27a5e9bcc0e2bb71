internal import COpenSSL

/// A failure of CharterTLS: what we were doing, the OpenSSL error queue read on the thread of
/// the failing call (STYLE 11), and the system errno when the failure came from the socket.
/// `description` is safe to log: it holds OpenSSL's library and reason strings, never key
/// material or application data.
public struct TLSError: Error, Sendable, CustomStringConvertible {
  /// Extensible: new codes can be added; switch with a `default`.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public var description: String { name }

    /// Building an SSL_CTX or applying the policy to it failed.
    public static let configuration = Code(name: "configuration")
    /// A certificate or key file could not be read, parsed or matched.
    public static let certificate = Code(name: "certificate")
    /// Generating a key or certificate failed.
    public static let generation = Code(name: "generation")
    /// Reading or writing a file or folder failed (see `systemErrno`).
    public static let fileSystem = Code(name: "file-system")
    /// The TLS handshake failed: protocol version, cipher, certificate verification, alert.
    public static let handshake = Code(name: "handshake")
    /// The peer's certificate did not verify (see `verifyResult`).
    public static let verification = Code(name: "verification")
    /// A record-layer failure after the handshake, or the peer vanished without close_notify.
    public static let connection = Code(name: "connection")
    /// The peer closed the socket without close_notify (at any stage). Usually a client
    /// that quit or a port scanner; log it quietly.
    public static let truncated = Code(name: "truncated")
    /// Name resolution or TCP connect failed (client only).
    public static let connect = Code(name: "connect")
    /// A blocking client call ran past its timeout.
    public static let timeout = Code(name: "timeout")
    /// The call was made on a closed session or client.
    public static let closed = Code(name: "closed")
    /// An argument was out of range, e.g. a host name with a NUL.
    public static let invalidArgument = Code(name: "invalid-argument")
  }

  public let code: Code
  /// The OpenSSL or system call that failed, e.g. `SSL_do_handshake`.
  public let operation: String
  /// Our own words on what failed.
  public let reason: String
  /// The OpenSSL error queue, oldest first.
  public let openSSLErrors: [OpenSSLErrorEntry]
  /// errno, when the failure came from the system (SSL_ERROR_SYSCALL, open, connect).
  public let systemErrno: Int32?
  /// X509_verify_cert_error_string of the failed certificate check, when there was one.
  public let verifyResult: String?

  init(
    _ code: Code, operation: String, reason: String, openSSLErrors: [OpenSSLErrorEntry] = [],
    systemErrno: Int32? = nil, verifyResult: String? = nil
  ) {
    self.code = code
    self.operation = operation
    self.reason = reason
    self.openSSLErrors = openSSLErrors
    self.systemErrno = systemErrno
    self.verifyResult = verifyResult
  }

  /// Builds an error and drains this thread's OpenSSL error queue into it. Call it right
  /// after the failing call, on the same thread: the queue is thread-local.
  static func fromOpenSSL(
    _ code: Code, operation: String, reason: String, systemErrno: Int32? = nil,
    verifyResult: String? = nil
  ) -> TLSError {
    TLSError(
      code, operation: operation, reason: reason, openSSLErrors: OpenSSLErrorEntry.drainQueue(),
      systemErrno: systemErrno, verifyResult: verifyResult)
  }

  public var description: String {
    var text = "TLS \(code): \(reason) (\(operation)"
    if let systemErrno { text += ", errno \(systemErrno) \(SystemErrorText.describe(systemErrno))" }
    text += ")"
    if let verifyResult { text += "; certificate: \(verifyResult)" }
    if !openSSLErrors.isEmpty {
      text += " [" + openSSLErrors.map(\.description).joined(separator: "; ") + "]"
    }
    return text
  }
}

/// One entry of the OpenSSL error queue.
public struct OpenSSLErrorEntry: Sendable, Hashable, CustomStringConvertible {
  /// The packed error code (ERR_get_error).
  public let code: UInt
  /// e.g. "SSL routines".
  public let library: String
  /// e.g. "unsupported protocol".
  public let reason: String
  /// The C function that raised it, e.g. "tls_early_post_process_client_hello".
  public let function: String
  /// Extra text OpenSSL attached (a file name, a cipher string). Kept out of `description`.
  public let data: String?

  public var description: String { "\(library): \(reason) in \(function)" }

  static func drainQueue() -> [OpenSSLErrorEntry] {
    var entries: [OpenSSLErrorEntry] = []
    while true {
      var function: UnsafePointer<CChar>? = nil
      var data: UnsafePointer<CChar>? = nil
      var flags: Int32 = 0
      let packed = ERR_get_error_all(nil, nil, &function, &data, &flags)
      if packed == 0 { break }
      let library =
        ERR_lib_error_string(packed).map { String(cString: $0) } ?? "lib \(packed >> 23)"
      let reason = ERR_reason_error_string(packed).map { String(cString: $0) } ?? "code \(packed)"
      let dataText = data.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
      entries.append(
        OpenSSLErrorEntry(
          code: packed, library: library, reason: reason,
          function: function.map { String(cString: $0) } ?? "?", data: dataText))
    }
    return entries
  }
}

/// A certificate pin did not match: the server presented another certificate than the one
/// the caller trusts. `presented` is what to show the operator (it may be a legitimate
/// re-key, or an interception).
public struct TLSPinMismatchError: Error, Sendable, CustomStringConvertible {
  public let expected: TLSFingerprint
  public let presented: TLSFingerprint

  public var description: String {
    "TLS certificate pin mismatch: expected SHA-256 \(expected.uppercaseWithColons), "
      + "server presented \(presented.uppercaseWithColons)"
  }
}
