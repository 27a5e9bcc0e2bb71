/// Where the server's certificate, key and (optionally) client CA live.
public struct TLSServerConfiguration: Sendable {
  /// PEM file: the leaf certificate first, then intermediates.
  public var certificateChainFile: String
  /// PEM file with the unencrypted private key of the leaf.
  public var privateKeyFile: String
  /// PEM file of CA certificates whose client certificates are accepted. When set, clients
  /// are asked for a certificate but may log in by password without one; a certificate that
  /// does not verify fails the handshake.
  public var clientCertificateAuthorityFile: String?

  public init(
    certificateChainFile: String, privateKeyFile: String,
    clientCertificateAuthorityFile: String? = nil
  ) {
    self.certificateChainFile = certificateChainFile
    self.privateKeyFile = privateKeyFile
    self.clientCertificateAuthorityFile = clientCertificateAuthorityFile
  }

  /// The configuration for the self-signed default identity.
  public init(_ identity: SelfSignedServerIdentity, clientCertificateAuthorityFile: String? = nil) {
    self.init(
      certificateChainFile: identity.certificateFile, privateKeyFile: identity.privateKeyFile,
      clientCertificateAuthorityFile: clientCertificateAuthorityFile)
  }
}
