internal import COpenSSL

#if canImport(Glibc)
  import Glibc
#endif

/// The outcome of `TLSServerSession.handshake()`.
public enum TLSHandshakeResult: Sendable {
  case done
  /// Call again when the socket is readable.
  case wantRead
  /// Call again when the socket is writable.
  case wantWrite
  case failed(TLSError)
}

/// The outcome of `TLSServerSession.read(into:)`.
public enum TLSReadResult: Sendable {
  /// This many bytes were placed at the start of the buffer. Call `read` again at once: more
  /// may be buffered inside OpenSSL, where the socket will not signal it.
  case bytes(Int)
  /// Nothing buffered; call again when the socket is readable.
  case wantRead
  /// OpenSSL must write first (a key update); call again when the socket is writable.
  case wantWrite
  /// The peer sent close_notify: the stream ended cleanly.
  case closed
  case failed(TLSError)
}

/// The outcome of `TLSServerSession.write(_:)`.
public enum TLSWriteResult: Sendable {
  /// This many bytes (from the start) were taken; write the rest later. Never 0 for a
  /// non-empty buffer.
  case wrote(Int)
  case wantRead
  case wantWrite
  case failed(TLSError)
}

/// The outcome of `TLSServerSession.shutdown()`.
public enum TLSShutdownResult: Sendable {
  /// Our close_notify is sent. We do not wait for the peer's: the fd is closed next.
  case done
  case wantRead
  case wantWrite
  case failed(TLSError)
}

/// A verified client certificate.
public struct TLSPeerCertificate: Sendable {
  /// RFC 2253 subject, e.g. `CN=alice,O=AITISA`.
  public let subject: String
  /// RFC 2253 issuer.
  public let issuer: String
  /// SHA-256 of the certificate's DER.
  public let fingerprint: TLSFingerprint
}

/// One server-side TLS connection over a connected, non-blocking socket. Owns the `SSL`;
/// the fd stays the caller's.
///
/// Threading: not thread-safe. Make every call from one serial queue (the network layer's
/// per-connection queue): OpenSSL's error queue is per thread, so each call reads it before
/// returning, and the SSL itself must not be used concurrently.
///
/// Lifecycle: `handshake()` until `.done`; then `read`/`write`; `shutdown()` to send
/// close_notify; `close()` to free the SSL (always, even after a failure); then close the fd.
public final class TLSServerSession: @unchecked Sendable {
  private var handle: SSLHandle?
  /// Keeps the context (and so its SSL_CTX) alive as long as the session.
  public let context: TLSServerContext
  /// An end (`.closed`) or failure met while returning bytes read before it; the next
  /// `read` reports it.
  private var pendingReadFailure: TLSReadResult?
  /// Set after SSL_ERROR_SSL or SSL_ERROR_SYSCALL: OpenSSL forbids SSL_shutdown then.
  private var hasFailedFatally = false

  init(handle: SSLHandle, context: TLSServerContext) {
    self.handle = handle
    self.context = context
  }

  deinit {
    assert(handle == nil, "TLSServerSession released without close()")
  }

  /// Drives the handshake. On `.done` the peer certificate (if any) has verified.
  public func handshake() -> TLSHandshakeResult {
    guard let ssl = handle?.ssl else { return .failed(Self.closedError("SSL_do_handshake")) }
    ERR_clear_error()
    let status = SSL_do_handshake(ssl)
    if status == 1 { return .done }
    switch classify(ssl, status, operation: "SSL_do_handshake", code: .handshake) {
    case .wantRead: return .wantRead
    case .wantWrite: return .wantWrite
    case .zeroReturn:
      return .failed(
        TLSError(.handshake, operation: "SSL_do_handshake", reason: "peer closed during handshake"))
    case .failed(let error): return .failed(error)
    }
  }

  /// Reads decrypted bytes into `buffer`, looping SSL_read until the buffer is full or
  /// OpenSSL needs the socket. Pass a non-empty buffer: an empty one answers `.bytes(0)`.
  /// A clean end or a failure met after some bytes is returned by the next call.
  public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSReadResult {
    if let pendingReadFailure {
      return pendingReadFailure
    }
    guard let ssl = handle?.ssl else { return .failed(Self.closedError("SSL_read_ex")) }
    guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
    var total = 0
    while total < buffer.count {
      ERR_clear_error()
      var count = 0
      let status = SSL_read_ex(ssl, base + total, buffer.count - total, &count)
      if status == 1 {
        total += count
        continue
      }
      let outcome: TLSReadResult
      switch classify(ssl, status, operation: "SSL_read_ex", code: .connection) {
      case .wantRead: outcome = .wantRead
      case .wantWrite: outcome = .wantWrite
      case .zeroReturn: outcome = .closed
      case .failed(let error): outcome = .failed(error)
      }
      if total == 0 { return outcome }
      switch outcome {
      case .closed, .failed: pendingReadFailure = outcome
      default: break
      }
      return .bytes(total)
    }
    return .bytes(total)
  }

  /// Reads into an array, replacing its contents with what arrived. Convenience over
  /// `read(into:)` for callers without their own buffer.
  public func read(into array: inout [UInt8], maxCount: Int = 16_384) -> TLSReadResult {
    array = [UInt8](repeating: 0, count: maxCount)
    let result = array.withUnsafeMutableBytes { read(into: $0) }
    if case .bytes(let count) = result { array.removeSubrange(count...) } else { array.removeAll() }
    return result
  }

  /// Encrypts and sends as much of `bytes` as the socket takes (partial writes are on).
  /// After `.wantWrite`, retry with the same bytes (the buffer may move).
  public func write(_ bytes: UnsafeRawBufferPointer) -> TLSWriteResult {
    guard let ssl = handle?.ssl else { return .failed(Self.closedError("SSL_write_ex")) }
    guard let base = bytes.baseAddress, bytes.count > 0 else { return .wrote(0) }
    ERR_clear_error()
    var written = 0
    let status = SSL_write_ex(ssl, base, bytes.count, &written)
    if status == 1 { return .wrote(written) }
    switch classify(ssl, status, operation: "SSL_write_ex", code: .connection) {
    case .wantRead: return .wantRead
    case .wantWrite: return .wantWrite
    case .zeroReturn:
      return .failed(
        TLSError(.connection, operation: "SSL_write_ex", reason: "peer closed the connection"))
    case .failed(let error): return .failed(error)
    }
  }

  public func write(_ bytes: [UInt8]) -> TLSWriteResult {
    bytes.withUnsafeBytes { write($0) }
  }

  /// Sends close_notify. Does not wait for the peer's reply (the fd is about to close, and
  /// we never reuse the socket for plain text).
  public func shutdown() -> TLSShutdownResult {
    guard let ssl = handle?.ssl else { return .done }
    // After a fatal error SSL_shutdown must not be called (SSL_shutdown(3)).
    if hasFailedFatally { return .done }
    ERR_clear_error()
    let status = SSL_shutdown(ssl)
    if status >= 0 { return .done }
    switch classify(ssl, status, operation: "SSL_shutdown", code: .connection) {
    case .wantRead: return .wantRead
    case .wantWrite: return .wantWrite
    case .zeroReturn: return .done
    case .failed(let error): return .failed(error)
    }
  }

  /// Frees the SSL. Idempotent. Afterwards every call fails with `.closed`.
  public func close() {
    handle = nil
  }

  /// "TLSv1.2" or "TLSv1.3" once the handshake is done.
  public var protocolVersion: String? { handle?.protocolVersion }
  /// The OpenSSL name of the negotiated cipher, e.g. "TLS_AES_256_GCM_SHA384".
  public var cipherName: String? { handle?.cipherName }
  /// True when the handshake resumed an earlier session (ticket or cache).
  public var sessionReused: Bool { handle?.sessionReused ?? false }

  /// The client's certificate, only when it was presented and verified against the
  /// configured CA. Nil means: log in by password.
  public var verifiedPeerCertificate: TLSPeerCertificate? {
    guard let handle, handle.verifyResult == Int(X509_V_OK),
      let certificate = handle.peerCertificate
    else {
      return nil
    }
    return TLSPeerCertificate(
      subject: certificate.subject, issuer: certificate.issuer, fingerprint: certificate.fingerprint
    )
  }

  private enum Classified {
    case wantRead, wantWrite, zeroReturn
    case failed(TLSError)
  }

  /// Maps SSL_get_error, reading errno and the error queue now, on this thread.
  private func classify(
    _ ssl: OpaquePointer, _ status: Int32, operation: String, code: TLSError.Code
  ) -> Classified {
    let savedErrno = errno
    let kind = SSL_get_error(ssl, status)
    switch kind {
    case SSL_ERROR_WANT_READ: return .wantRead
    case SSL_ERROR_WANT_WRITE: return .wantWrite
    case SSL_ERROR_ZERO_RETURN: return .zeroReturn
    default: break
    }
    hasFailedFatally = true
    if kind == SSL_ERROR_SYSCALL {
      return .failed(
        TLSError.fromOpenSSL(
          code, operation: operation, reason: "socket error",
          systemErrno: savedErrno == 0 ? nil : savedErrno))
    }
    let queue = OpenSSLErrorEntry.drainQueue()
    // Clients that simply close the socket are common; name it, so it can be logged quietly.
    if queue.contains(where: { ERR_GET_REASON($0.code) == SSL_R_UNEXPECTED_EOF_WHILE_READING }) {
      return .failed(
        TLSError(
          .truncated, operation: operation, reason: "peer closed the socket without close_notify",
          openSSLErrors: queue))
    }
    let verify = handle?.verifyResult ?? Int(X509_V_OK)
    let verifyText = verify == Int(X509_V_OK) ? nil : handle?.verifyResultText
    return .failed(
      TLSError(
        verifyText == nil ? code : .verification, operation: operation,
        reason: code == .handshake ? "handshake failed" : "TLS protocol error",
        openSSLErrors: queue, verifyResult: verifyText))
  }

  private static func closedError(_ operation: String) -> TLSError {
    TLSError(.closed, operation: operation, reason: "session is closed")
  }
}
