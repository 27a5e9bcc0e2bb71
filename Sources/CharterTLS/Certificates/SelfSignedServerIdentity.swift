/// The server identity used when no certificate is configured: an ECDSA P-256 key and a
/// self-signed certificate (CN=charterd, SAN DNS:localhost, IP:127.0.0.1, IP:::1) kept in
/// `<folder>/tls/`, made once and reused. Operators pin its fingerprint, which is also
/// written to `<folder>/tls/fingerprint.sha256` (first line `AB:CD:…`, second line `abcd…`).
public struct SelfSignedServerIdentity: Sendable {
  public let certificateFile: String
  public let privateKeyFile: String
  public let fingerprintFile: String
  public let fingerprint: TLSFingerprint
  /// True when this call generated the key and certificate, false when it reused them.
  public let created: Bool

  public static let validityDays = 825

  /// Loads `<folder>/tls/server.crt` and `server.key`, or creates both when neither exists.
  /// Refuses (throws) when only one exists, when they do not match, or when the key is
  /// readable by group or others: we never overwrite or silently trust a half-configured
  /// folder. Rewrites the fingerprint file when it is missing or stale.
  public static func loadOrCreate(in folder: String) throws(TLSError) -> SelfSignedServerIdentity {
    let directory = folder + "/tls"
    let certificateFile = directory + "/server.crt"
    let keyFile = directory + "/server.key"
    let fingerprintFile = directory + "/fingerprint.sha256"
    try FileWriting.createDirectory(directory, mode: 0o700)

    let haveCertificate = FileWriting.exists(certificateFile)
    let haveKey = FileWriting.exists(keyFile)
    let identity: TLSIdentity
    let created: Bool
    switch (haveCertificate, haveKey) {
    case (true, true):
      if let mode = FileWriting.permissions(of: keyFile), mode & 0o077 != 0 {
        throw TLSError(
          .certificate, operation: "stat",
          reason: "private key \(keyFile) is readable by group or others; chmod 600 it")
      }
      identity = try TLSIdentity.load(certificateFile: certificateFile, privateKeyFile: keyFile)
      created = false
    case (false, false):
      identity = try TLSIdentity.generate(
        TLSCertificateProfile(
          commonName: "charterd", role: .server, dnsNames: ["localhost"],
          ipAddresses: ["127.0.0.1", "::1"], validityDays: validityDays))
      try identity.write(certificateTo: certificateFile, privateKeyTo: keyFile)
      created = true
    default:
      throw TLSError(
        .certificate, operation: "access",
        reason: "only one of \(certificateFile) and \(keyFile) exists; restore or remove it")
    }

    let fingerprint = identity.certificate.fingerprint
    let text = fingerprint.uppercaseWithColons + "\n" + fingerprint.lowercaseHex + "\n"
    if (try? FileContents.read(fingerprintFile)) != text {
      try FileWriting.writeAtomically(Array(text.utf8), to: fingerprintFile, mode: 0o644)
    }
    return SelfSignedServerIdentity(
      certificateFile: certificateFile, privateKeyFile: keyFile, fingerprintFile: fingerprintFile,
      fingerprint: fingerprint, created: created)
  }
}
