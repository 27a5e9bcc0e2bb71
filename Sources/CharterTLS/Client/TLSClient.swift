internal import CCharterOpenSSLShims
internal import COpenSSL

#if canImport(Glibc)
  import Glibc
#endif

/// A blocking TLS client over TCP, for the `charter` shell and for tests: connect, verify
/// the server (CA, pin, or explicitly not at all), then exchange lines or bytes.
///
/// Not thread-safe: use one client from one thread at a time. Calls block up to the
/// configured timeout. The process must ignore SIGPIPE.
public final class TLSClient {
  private let contextHandle: SSLContextHandle
  /// Lives as long as the SSL_CTX whose verify callback points at it.
  private let pinCheck: PinCheck?
  private var handle: SSLHandle?
  private var fd: Int32
  private var readBuffer: [UInt8] = []
  private var reachedEnd = false

  /// The server's certificate as presented in the handshake.
  public let serverCertificate: TLSCertificate
  /// "TLSv1.2" or "TLSv1.3".
  public let protocolVersion: String
  /// The OpenSSL name of the negotiated cipher.
  public let cipherName: String
  /// True when the handshake resumed an earlier session.
  public let sessionReused: Bool

  /// Connects and completes the handshake. Throws `TLSError`, or `TLSPinMismatchError`
  /// when a pinned fingerprint does not match the presented certificate.
  public init(host: String, port: UInt16, configuration: TLSClientConfiguration) throws {
    ERR_clear_error()
    guard let context = SSL_CTX_new(TLS_client_method()) else {
      throw TLSError.fromOpenSSL(
        .configuration, operation: "SSL_CTX_new", reason: "cannot create SSL_CTX")
    }
    let contextHandle = SSLContextHandle(takingOwnershipOf: context)
    try Self.configure(context, configuration)
    let pinCheck = Self.installPinCheck(context, configuration.verification)

    let fd = try TCPConnection.connect(
      host: host, port: port, timeoutSeconds: configuration.timeoutSeconds)
    var fdOwned = true
    defer { if fdOwned { Glibc.close(fd) } }

    guard let ssl = SSL_new(context) else {
      throw TLSError.fromOpenSSL(.configuration, operation: "SSL_new", reason: "cannot create SSL")
    }
    let handle = SSLHandle(takingOwnershipOf: ssl)
    if case .certificateAuthority = configuration.verification { handle.checksServerChain = true }
    guard SSL_set_fd(ssl, fd) == 1 else {
      throw TLSError.fromOpenSSL(
        .configuration, operation: "SSL_set_fd", reason: "cannot attach socket")
    }
    let serverName = configuration.serverName ?? host
    try Self.setServerName(ssl, serverName, verification: configuration.verification)

    ERR_clear_error()
    let status = SSL_connect(ssl)
    if status != 1 {
      if let pinCheck, let presented = pinCheck.presented, presented != pinCheck.expected {
        ERR_clear_error()
        throw TLSPinMismatchError(expected: pinCheck.expected, presented: presented)
      }
      throw Self.error(ssl, handle, status, operation: "SSL_connect", code: .handshake)
    }
    guard let presented = handle.peerCertificate else {
      throw TLSError(
        .handshake, operation: "SSL_get0_peer_certificate", reason: "server sent no certificate")
    }
    // The callback already refused a mismatch; checking the final certificate again costs
    // one hash and guards against a callback that was skipped (a resumed session).
    if case .pinnedFingerprint(let expected) = configuration.verification {
      let actual = presented.fingerprint
      guard actual == expected else {
        throw TLSPinMismatchError(expected: expected, presented: actual)
      }
    }

    fdOwned = false
    self.pinCheck = pinCheck
    self.contextHandle = contextHandle
    self.handle = handle
    self.fd = fd
    self.serverCertificate = presented
    self.protocolVersion = handle.protocolVersion
    self.cipherName = handle.cipherName ?? ""
    self.sessionReused = handle.sessionReused
  }

  deinit { close() }

  /// Sends all of `bytes`.
  public func write(_ bytes: [UInt8]) throws(TLSError) {
    guard let handle else {
      throw TLSError(.closed, operation: "SSL_write_ex", reason: "client is closed")
    }
    var offset = 0
    while offset < bytes.count {
      ERR_clear_error()
      var written = 0
      let status = bytes.withUnsafeBytes { buffer in
        buffer.baseAddress.map {
          SSL_write_ex(handle.ssl, $0 + offset, buffer.count - offset, &written)
        } ?? 0
      }
      guard status == 1 else {
        throw Self.error(handle.ssl, handle, status, operation: "SSL_write_ex", code: .connection)
      }
      offset += written
    }
  }

  /// Sends `line` followed by "\n".
  public func writeLine(_ line: String) throws(TLSError) {
    try write(Array(line.utf8) + [UInt8(ascii: "\n")])
  }

  /// The next line without its "\n" (and "\r"), or nil at a clean end of stream. A last line
  /// without a newline is returned as is. Lines longer than `maxLength` bytes throw.
  public func readLine(maxLength: Int = 1 << 20) throws(TLSError) -> String? {
    // Bytes before `scanned` hold no newline: each byte is looked at once, however long the line.
    var scanned = 0
    while true {
      if let newline = readBuffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
        var line = Array(readBuffer[..<newline])
        readBuffer.removeSubrange(...newline)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
      }
      guard readBuffer.count <= maxLength else {
        throw TLSError(
          .connection, operation: "readLine", reason: "line longer than \(maxLength) bytes")
      }
      if reachedEnd {
        guard !readBuffer.isEmpty else { return nil }
        defer { readBuffer.removeAll() }
        return String(decoding: readBuffer, as: UTF8.self)
      }
      scanned = readBuffer.count
      let chunk = try readAvailable()
      if chunk.isEmpty { reachedEnd = true } else { readBuffer += chunk }
    }
  }

  /// Whatever bytes arrive next (up to `maxCount`); empty at a clean end of stream.
  public func read(maxCount: Int = 16_384) throws(TLSError) -> [UInt8] {
    if !readBuffer.isEmpty {
      let taken = Array(readBuffer.prefix(maxCount))
      readBuffer.removeFirst(taken.count)
      return taken
    }
    if reachedEnd { return [] }
    let chunk = try readAvailable(maxCount: maxCount)
    if chunk.isEmpty { reachedEnd = true }
    return chunk
  }

  /// Sends close_notify and closes the socket. Idempotent.
  public func close() {
    guard let handle else { return }
    ERR_clear_error()
    _ = SSL_shutdown(handle.ssl)
    ERR_clear_error()
    self.handle = nil
    Glibc.close(fd)
    fd = -1
  }

  private func readAvailable(maxCount: Int = 16_384) throws(TLSError) -> [UInt8] {
    guard let handle else {
      throw TLSError(.closed, operation: "SSL_read_ex", reason: "client is closed")
    }
    var chunk = [UInt8](repeating: 0, count: maxCount)
    var count = 0
    ERR_clear_error()
    let status = chunk.withUnsafeMutableBytes { buffer in
      SSL_read_ex(handle.ssl, buffer.baseAddress, buffer.count, &count)
    }
    if status == 1 { return Array(chunk.prefix(count)) }
    if SSL_get_error(handle.ssl, status) == SSL_ERROR_ZERO_RETURN { return [] }
    throw Self.error(handle.ssl, handle, status, operation: "SSL_read_ex", code: .connection)
  }

  private static func configure(_ context: OpaquePointer, _ configuration: TLSClientConfiguration)
    throws(TLSError)
  {
    guard ccharter_ssl_ctx_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
      throw TLSError.fromOpenSSL(
        .configuration, operation: "SSL_CTX_set_min_proto_version",
        reason: "cannot set TLS 1.2 minimum")
    }
    switch configuration.verification {
    case .certificateAuthority(let file):
      guard SSL_CTX_load_verify_locations(context, file, nil) == 1 else {
        throw TLSError.fromOpenSSL(
          .certificate, operation: "SSL_CTX_load_verify_locations",
          reason: "cannot load CA file \(file)")
      }
      SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
    case .pinnedFingerprint:
      // PEER, so that a refusal by the pin callback (installPinCheck) fails the handshake.
      SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
    case .insecureNoVerification:
      SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
    }
    if let certificateFile = configuration.clientCertificateFile {
      let keyFile = configuration.clientPrivateKeyFile ?? certificateFile
      guard SSL_CTX_use_certificate_chain_file(context, certificateFile) == 1,
        SSL_CTX_use_PrivateKey_file(context, keyFile, SSL_FILETYPE_PEM) == 1,
        SSL_CTX_check_private_key(context) == 1
      else {
        throw TLSError.fromOpenSSL(
          .certificate, operation: "SSL_CTX_use_certificate_chain_file",
          reason: "cannot load client certificate \(certificateFile) with key \(keyFile)")
      }
    }
  }

  /// With a pin, replaces chain verification by a comparison of the leaf's fingerprint, run
  /// inside the handshake: on a mismatch the client aborts before sending its certificate
  /// or anything else.
  private static func installPinCheck(
    _ context: OpaquePointer, _ verification: TLSServerVerification
  )
    -> PinCheck?
  {
    guard case .pinnedFingerprint(let expected) = verification else { return nil }
    let check = PinCheck(expected: expected)
    SSL_CTX_set_cert_verify_callback(
      context,
      { storeContext, argument in
        guard let storeContext, let argument, let leaf = X509_STORE_CTX_get0_cert(storeContext)
        else { return 0 }
        let check = Unmanaged<PinCheck>.fromOpaque(argument).takeUnretainedValue()
        let presented = TLSCertificate.retaining(leaf).fingerprint
        check.presented = presented
        if presented == check.expected { return 1 }
        X509_STORE_CTX_set_error(storeContext, X509_V_ERR_APPLICATION_VERIFICATION)
        return 0
      }, Unmanaged.passUnretained(check).toOpaque())
    return check
  }

  private static func setServerName(
    _ ssl: OpaquePointer, _ name: String, verification: TLSServerVerification
  )
    throws(TLSError)
  {
    let isAddress = IPAddressText.isLiteral(name)
    // SNI carries host names only (RFC 6066 §3), never address literals.
    if !isAddress, ccharter_ssl_set_tlsext_host_name(ssl, name) != 1 {
      throw TLSError.fromOpenSSL(
        .invalidArgument, operation: "SSL_set_tlsext_host_name", reason: "bad server name")
    }
    guard case .certificateAuthority = verification else { return }
    let parameters = SSL_get0_param(ssl)
    let status =
      isAddress
      ? X509_VERIFY_PARAM_set1_ip_asc(parameters, name)
      : X509_VERIFY_PARAM_set1_host(parameters, name, 0)
    guard status == 1 else {
      throw TLSError.fromOpenSSL(
        .invalidArgument, operation: "X509_VERIFY_PARAM_set1_host", reason: "bad server name")
    }
  }

  private static func error(
    _ ssl: OpaquePointer, _ handle: SSLHandle, _ status: Int32, operation: String,
    code: TLSError.Code
  ) -> TLSError {
    let savedErrno = errno
    let kind = SSL_get_error(ssl, status)
    if kind == SSL_ERROR_WANT_READ || kind == SSL_ERROR_WANT_WRITE
      || (kind == SSL_ERROR_SYSCALL && (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK))
    {
      return TLSError.fromOpenSSL(
        .timeout, operation: operation, reason: "timed out", systemErrno: savedErrno)
    }
    // With a pin or insecure mode OpenSSL still records why the chain would not verify
    // (a self-signed certificate always fails); that is not the reason of this failure.
    if handle.checksServerChain, handle.verifyResult != Int(X509_V_OK) {
      return TLSError.fromOpenSSL(
        .verification, operation: operation, reason: "server certificate did not verify",
        verifyResult: handle.verifyResultText)
    }
    if kind == SSL_ERROR_SYSCALL {
      return TLSError.fromOpenSSL(
        code, operation: operation, reason: "socket error",
        systemErrno: savedErrno == 0 ? nil : savedErrno)
    }
    return TLSError.fromOpenSSL(
      code, operation: operation,
      reason: code == .handshake ? "handshake failed" : "TLS protocol error")
  }
}

/// The expected pin and what the server presented, shared with the C verify callback.
final class PinCheck {
  let expected: TLSFingerprint
  var presented: TLSFingerprint?

  init(expected: TLSFingerprint) {
    self.expected = expected
  }
}

enum IPAddressText {
  static func isLiteral(_ text: String) -> Bool {
    var v4 = in_addr()
    var v6 = in6_addr()
    return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
  }
}
