/// How a `TLSClient` decides to trust the server.
public enum TLSServerVerification: Sendable {
  /// Verify the chain against the CA certificates in this PEM file, and the host name (or
  /// IP address) against the certificate's subjectAltName.
  case certificateAuthority(file: String)
  /// Trust exactly the certificate with this SHA-256 fingerprint (the self-signed default:
  /// operators copy it from `tls/fingerprint.sha256`). Chain and name are not checked: the
  /// pin is stronger than both. A mismatch throws `TLSPinMismatchError`.
  case pinnedFingerprint(TLSFingerprint)
  /// Trust any certificate. Only when the user explicitly asked (`--insecure`).
  case insecureNoVerification
}

public struct TLSClientConfiguration: Sendable {
  public var verification: TLSServerVerification
  /// Host name for SNI and certificate name checks; nil uses the host connected to.
  public var serverName: String?
  /// A client certificate (PEM chain) and key, for certificate login.
  public var clientCertificateFile: String?
  public var clientPrivateKeyFile: String?
  /// Limit for connect, handshake and each read or write.
  public var timeoutSeconds: Int

  public init(
    verification: TLSServerVerification, serverName: String? = nil,
    clientCertificateFile: String? = nil,
    clientPrivateKeyFile: String? = nil, timeoutSeconds: Int = 10
  ) {
    self.verification = verification
    self.serverName = serverName
    self.clientCertificateFile = clientCertificateFile
    self.clientPrivateKeyFile = clientPrivateKeyFile
    self.timeoutSeconds = timeoutSeconds
  }
}
