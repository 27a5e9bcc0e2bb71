internal import CCharterOpenSSLShims
internal import COpenSSL

/// A configured server SSL_CTX: the policy of docs/tls.md, the certificate chain and key,
/// and the optional client CA. Immutable after `init`; share it across sessions and threads.
///
/// Reloading (SIGHUP) means building a new context and swapping the reference the listener
/// uses; sessions made from the old context keep it alive until they end.
public final class TLSServerContext: Sendable {
  let handle: SSLContextHandle
  /// The leaf certificate this context presents.
  public let certificate: TLSCertificate
  /// Whether client certificates are requested.
  public let requestsClientCertificates: Bool

  public init(_ configuration: TLSServerConfiguration) throws(TLSError) {
    ERR_clear_error()
    guard let context = SSL_CTX_new(TLS_server_method()) else {
      throw TLSError.fromOpenSSL(
        .configuration, operation: "SSL_CTX_new", reason: "cannot create SSL_CTX")
    }
    let handle = SSLContextHandle(takingOwnershipOf: context)
    try Self.applyPolicy(context)
    try Self.loadIdentity(context, configuration)
    if let caFile = configuration.clientCertificateAuthorityFile {
      try Self.requestClientCertificates(context, caFile: caFile)
    }
    guard let leaf = SSL_CTX_get0_certificate(context) else {
      throw TLSError.fromOpenSSL(
        .certificate, operation: "SSL_CTX_get0_certificate", reason: "no certificate loaded")
    }
    self.handle = handle
    self.certificate = TLSCertificate.retaining(leaf)
    self.requestsClientCertificates = configuration.clientCertificateAuthorityFile != nil
  }

  /// A server session over a connected socket. The fd stays the caller's: set it
  /// non-blocking before driving the session, and close it after `session.close()`.
  public func makeSession(fileDescriptor: Int32) throws(TLSError) -> TLSServerSession {
    ERR_clear_error()
    guard let ssl = SSL_new(handle.context) else {
      throw TLSError.fromOpenSSL(.configuration, operation: "SSL_new", reason: "cannot create SSL")
    }
    let sslHandle = SSLHandle(takingOwnershipOf: ssl)
    guard SSL_set_fd(ssl, fileDescriptor) == 1 else {
      throw TLSError.fromOpenSSL(
        .configuration, operation: "SSL_set_fd", reason: "cannot attach socket")
    }
    SSL_set_accept_state(ssl)
    return TLSServerSession(handle: sslHandle, context: self)
  }

  private static func applyPolicy(_ context: OpaquePointer) throws(TLSError) {
    try check(
      ccharter_ssl_ctx_set_min_proto_version(context, TLS1_2_VERSION),
      "SSL_CTX_set_min_proto_version")
    try check(
      ccharter_ssl_ctx_set_max_proto_version(context, TLS1_3_VERSION),
      "SSL_CTX_set_max_proto_version")
    let tls12 = TLSServerPolicy.tls12CipherList.joined(separator: ":")
    try check(SSL_CTX_set_cipher_list(context, tls12), "SSL_CTX_set_cipher_list")
    try check(
      SSL_CTX_set_ciphersuites(context, TLSServerPolicy.tls13CipherSuites),
      "SSL_CTX_set_ciphersuites")
    try check(
      ccharter_ssl_ctx_set1_groups_list(context, TLSServerPolicy.groups), "SSL_CTX_set1_groups_list"
    )
    // Compression: CRIME. Renegotiation: a DoS lever and a source of CVEs, useless to us.
    _ = SSL_CTX_set_options(
      context, ccharter_ssl_op_no_compression() | ccharter_ssl_op_no_renegotiation())
    // Mozilla intermediate: the client chooses; every suite left is strong, and clients
    // without AES hardware prefer ChaCha20.
    _ = SSL_CTX_clear_options(context, ccharter_ssl_op_cipher_server_preference())
    // Writes of part of a buffer, retried from a moved buffer: what a non-blocking writer does.
    _ = ccharter_ssl_ctx_set_mode(
      context, Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE))
    // Resumption: a server-side cache for TLS 1.2 session ids, tickets (on by default) for both.
    _ = ccharter_ssl_ctx_set_session_cache_mode(context, Int(SSL_SESS_CACHE_SERVER))
    try TLSServerPolicy.sessionIDContext.withUnsafeBufferPointer { buffer throws(TLSError) in
      try check(
        SSL_CTX_set_session_id_context(context, buffer.baseAddress, UInt32(buffer.count)),
        "SSL_CTX_set_session_id_context")
    }
  }

  private static func loadIdentity(
    _ context: OpaquePointer, _ configuration: TLSServerConfiguration
  )
    throws(TLSError)
  {
    guard SSL_CTX_use_certificate_chain_file(context, configuration.certificateChainFile) == 1
    else {
      throw TLSError.fromOpenSSL(
        .certificate, operation: "SSL_CTX_use_certificate_chain_file",
        reason: "cannot load certificate chain \(configuration.certificateChainFile)")
    }
    guard SSL_CTX_use_PrivateKey_file(context, configuration.privateKeyFile, SSL_FILETYPE_PEM) == 1
    else {
      throw TLSError.fromOpenSSL(
        .certificate, operation: "SSL_CTX_use_PrivateKey_file",
        reason: "cannot load private key \(configuration.privateKeyFile)")
    }
    guard SSL_CTX_check_private_key(context) == 1 else {
      throw TLSError.fromOpenSSL(
        .certificate, operation: "SSL_CTX_check_private_key",
        reason: "private key does not match certificate \(configuration.certificateChainFile)")
    }
  }

  private static func requestClientCertificates(_ context: OpaquePointer, caFile: String)
    throws(TLSError)
  {
    guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
      throw TLSError.fromOpenSSL(
        .certificate, operation: "SSL_CTX_load_verify_locations",
        reason: "cannot load client CA file \(caFile)")
    }
    // Tell clients which CAs we accept, so they pick the right certificate.
    guard let names = SSL_load_client_CA_file(caFile) else {
      throw TLSError.fromOpenSSL(
        .certificate, operation: "SSL_load_client_CA_file", reason: "no CA certificate in \(caFile)"
      )
    }
    SSL_CTX_set_client_CA_list(context, names)  // takes ownership of `names`
    // PEER without FAIL_IF_NO_PEER_CERT: a client without a certificate may still log in by
    // password; a certificate that is presented must verify, or the handshake fails.
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
  }

  private static func check(_ status: Int32, _ operation: String) throws(TLSError) {
    guard status == 1 else {
      throw TLSError.fromOpenSSL(
        .configuration, operation: operation, reason: "cannot apply TLS policy")
    }
  }

  /// The TLS 1.2 (and lower) cipher names this context would accept, in order. For tests
  /// and `SHOW TLS`-style diagnostics.
  var tls12CipherNames: [String] {
    guard let stack = SSL_CTX_get_ciphers(handle.context) else { return [] }
    var names: [String] = []
    for index in 0..<OPENSSL_sk_num(stack) {
      guard let raw = OPENSSL_sk_value(stack, index) else { continue }
      let cipher = OpaquePointer(raw)
      guard let version = SSL_CIPHER_get_version(cipher), String(cString: version) != "TLSv1.3"
      else { continue }
      if let name = SSL_CIPHER_get_name(cipher) { names.append(String(cString: name)) }
    }
    return names
  }

  /// (no compression, no renegotiation, server cipher preference) as set on the context.
  var optionFlags: (noCompression: Bool, noRenegotiation: Bool, serverCipherPreference: Bool) {
    let options = SSL_CTX_get_options(handle.context)
    return (
      options & ccharter_ssl_op_no_compression() != 0,
      options & ccharter_ssl_op_no_renegotiation() != 0,
      options & ccharter_ssl_op_cipher_server_preference() != 0
    )
  }
}
