internal import COpenSSL

/// Owns one `SSL_CTX*`, freed in `deinit` and nowhere else. Configured once, then only read
/// (SSL_new), which OpenSSL allows from any thread.
final class SSLContextHandle: @unchecked Sendable {
  let context: OpaquePointer

  /// Takes over the SSL_CTX from SSL_CTX_new.
  init(takingOwnershipOf context: OpaquePointer) {
    self.context = context
  }

  deinit { SSL_CTX_free(context) }
}

/// Owns one `SSL*`, freed in `deinit` and nowhere else. The SSL holds its own reference on
/// its SSL_CTX, so a session outlives a context that was swapped out by a reload.
final class SSLHandle {
  let ssl: OpaquePointer
  /// Whether a verify result other than X509_V_OK means the handshake failed on it (client
  /// with a CA file). Servers only verify when they asked for client certificates, and then
  /// always fail the handshake on a bad one.
  var checksServerChain = false

  /// Takes over the SSL from SSL_new.
  init(takingOwnershipOf ssl: OpaquePointer) {
    self.ssl = ssl
  }

  deinit { SSL_free(ssl) }

  var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

  var cipherName: String? {
    guard let cipher = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(cipher) else {
      return nil
    }
    return String(cString: name)
  }

  var sessionReused: Bool { SSL_session_reused(ssl) == 1 }

  /// The peer's certificate, whether or not it verified.
  var peerCertificate: TLSCertificate? {
    SSL_get0_peer_certificate(ssl).map(TLSCertificate.retaining)
  }

  var verifyResult: Int { SSL_get_verify_result(ssl) }

  var verifyResultText: String {
    X509_verify_cert_error_string(SSL_get_verify_result(ssl)).map { String(cString: $0) }
      ?? "unknown"
  }
}
