internal import CCharterOpenSSLShims
internal import COpenSSL

/// What a generated certificate is for. Decides basicConstraints, keyUsage and
/// extendedKeyUsage.
public enum TLSCertificateRole: Sendable {
  /// A server leaf: digitalSignature, serverAuth.
  case server
  /// A client leaf for certificate login: digitalSignature, clientAuth.
  case client
  /// A certificate authority that signs client (or server) certificates.
  case certificateAuthority
}

/// What to put into a generated certificate.
public struct TLSCertificateProfile: Sendable {
  public var commonName: String
  public var role: TLSCertificateRole
  public var dnsNames: [String]
  /// IPv4 or IPv6 literals, e.g. "127.0.0.1", "::1".
  public var ipAddresses: [String]
  public var validityDays: Int
  /// Start of validity relative to now, in seconds; negative values allow for clock skew and
  /// let tests make certificates that are not yet valid (positive) or expired.
  public var notBeforeOffsetSeconds: Int

  public init(
    commonName: String, role: TLSCertificateRole, dnsNames: [String] = [],
    ipAddresses: [String] = [],
    validityDays: Int = 825, notBeforeOffsetSeconds: Int = -300
  ) {
    self.commonName = commonName
    self.role = role
    self.dnsNames = dnsNames
    self.ipAddresses = ipAddresses
    self.validityDays = validityDays
    self.notBeforeOffsetSeconds = notBeforeOffsetSeconds
  }
}

/// A certificate and its private key: what a server presents, or what a CA signs with.
public struct TLSIdentity: Sendable {
  public let certificate: TLSCertificate
  public let privateKey: TLSPrivateKey

  public init(certificate: TLSCertificate, privateKey: TLSPrivateKey) {
    self.certificate = certificate
    self.privateKey = privateKey
  }

  /// Reads a PEM certificate (the first of a chain file) and a PEM key, and checks they match.
  public static func load(certificateFile: String, privateKeyFile: String) throws(TLSError)
    -> TLSIdentity
  {
    let certificate = try TLSCertificate(pemFile: certificateFile)
    let key = try TLSPrivateKey(pemFile: privateKeyFile)
    guard key.matches(certificate) else {
      throw TLSError(
        .certificate, operation: "X509_check_private_key",
        reason: "private key \(privateKeyFile) does not match certificate \(certificateFile)")
    }
    return TLSIdentity(certificate: certificate, privateKey: key)
  }

  /// A new ECDSA P-256 key and a certificate for it, signed with SHA-256 by `issuer`, or
  /// self-signed when `issuer` is nil.
  public static func generate(_ profile: TLSCertificateProfile, signedBy issuer: TLSIdentity? = nil)
    throws(TLSError) -> TLSIdentity
  {
    let key = try TLSPrivateKey.generateP256()
    ERR_clear_error()
    guard let x509 = X509_new() else {
      throw TLSError.fromOpenSSL(
        .generation, operation: "X509_new", reason: "cannot allocate a certificate")
    }
    // Owned from here on: every early exit below releases it through the owner's deinit.
    let certificate = TLSCertificate(takingOwnershipOf: x509)
    try CertificateBuilder(x509: x509, profile: profile, key: key, issuer: issuer).build()
    return TLSIdentity(certificate: certificate, privateKey: key)
  }

  /// Writes the certificate (mode 0644) and the key (mode 0600), each atomically.
  public func write(certificateTo certificatePath: String, privateKeyTo keyPath: String)
    throws(TLSError)
  {
    guard let keyBytes = privateKey.pemBytes else {
      throw TLSError.fromOpenSSL(
        .generation, operation: "PEM_write_bio_PrivateKey", reason: "cannot encode key")
    }
    try FileWriting.writeAtomically(keyBytes, to: keyPath, mode: 0o600)
    try FileWriting.writeAtomically(Array(certificate.pem.utf8), to: certificatePath, mode: 0o644)
  }
}

/// Fills in a freshly allocated X509. Separate so `generate` reads as the recipe.
private struct CertificateBuilder {
  let x509: OpaquePointer
  let profile: TLSCertificateProfile
  let key: TLSPrivateKey
  let issuer: TLSIdentity?

  func build() throws(TLSError) {
    try check(X509_set_version(x509, 2), "X509_set_version")  // v3
    try setRandomSerial()
    try check(
      X509_gmtime_adj(X509_getm_notBefore(x509), profile.notBeforeOffsetSeconds) != nil ? 1 : 0,
      "X509_gmtime_adj")
    try check(
      X509_time_adj_ex(
        X509_getm_notAfter(x509), Int32(clamping: profile.validityDays),
        profile.notBeforeOffsetSeconds, nil)
        != nil ? 1 : 0, "X509_time_adj_ex")
    try check(X509_set_pubkey(x509, key.pkey), "X509_set_pubkey")
    try setSubjectAndIssuer()
    try addExtensions()
    let signer = issuer?.privateKey ?? key
    guard X509_sign(x509, signer.pkey, EVP_sha256()) > 0 else {
      throw TLSError.fromOpenSSL(
        .generation, operation: "X509_sign", reason: "cannot sign certificate")
    }
  }

  private func setRandomSerial() throws(TLSError) {
    // 16 random bytes with the top bit clear: positive, unique, unpredictable (CA/B BR 7.1).
    var serial = [UInt8](repeating: 0, count: 16)
    guard RAND_bytes(&serial, Int32(serial.count)) == 1 else {
      throw TLSError.fromOpenSSL(
        .generation, operation: "RAND_bytes", reason: "no randomness for serial")
    }
    serial[0] &= 0x7f
    guard let number = BN_bin2bn(serial, Int32(serial.count), nil) else {
      throw TLSError.fromOpenSSL(.generation, operation: "BN_bin2bn", reason: "cannot make serial")
    }
    defer { BN_free(number) }
    guard BN_to_ASN1_INTEGER(number, X509_get_serialNumber(x509)) != nil else {
      throw TLSError.fromOpenSSL(
        .generation, operation: "BN_to_ASN1_INTEGER", reason: "cannot set serial")
    }
  }

  private func setSubjectAndIssuer() throws(TLSError) {
    guard let name = X509_NAME_new() else {
      throw TLSError.fromOpenSSL(
        .generation, operation: "X509_NAME_new", reason: "cannot allocate a name")
    }
    defer { X509_NAME_free(name) }
    let added = profile.commonName.withCString { value in
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, value, -1, -1, 0)
    }
    try check(added, "X509_NAME_add_entry_by_txt")
    try check(X509_set_subject_name(x509, name), "X509_set_subject_name")
    let issuerName = issuer.map { X509_get_subject_name($0.certificate.x509) } ?? name
    try check(X509_set_issuer_name(x509, issuerName), "X509_set_issuer_name")
  }

  private func addExtensions() throws(TLSError) {
    var context = X509V3_CTX()
    X509V3_set_ctx(&context, issuer?.certificate.x509 ?? x509, x509, nil, nil, 0)
    switch profile.role {
    case .certificateAuthority:
      try add(NID_basic_constraints, "critical,CA:TRUE", &context)
      try add(NID_key_usage, "critical,keyCertSign,cRLSign", &context)
    case .server:
      try add(NID_basic_constraints, "critical,CA:FALSE", &context)
      try add(NID_key_usage, "critical,digitalSignature", &context)
      try add(NID_ext_key_usage, "serverAuth", &context)
    case .client:
      try add(NID_basic_constraints, "critical,CA:FALSE", &context)
      try add(NID_key_usage, "critical,digitalSignature", &context)
      try add(NID_ext_key_usage, "clientAuth", &context)
    }
    try add(NID_subject_key_identifier, "hash", &context)
    if issuer != nil { try add(NID_authority_key_identifier, "keyid:always", &context) }
    let alternativeNames =
      profile.dnsNames.map { "DNS:\($0)" } + profile.ipAddresses.map { "IP:\($0)" }
    if !alternativeNames.isEmpty {
      try add(NID_subject_alt_name, alternativeNames.joined(separator: ","), &context)
    }
  }

  private func add(_ nid: Int32, _ value: String, _ context: inout X509V3_CTX) throws(TLSError) {
    guard let extensionHandle = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
      throw TLSError.fromOpenSSL(
        .generation, operation: "X509V3_EXT_conf_nid", reason: "bad certificate extension \(value)")
    }
    defer { X509_EXTENSION_free(extensionHandle) }
    try check(X509_add_ext(x509, extensionHandle, -1), "X509_add_ext")
  }

  private func check(_ status: Int32, _ operation: String) throws(TLSError) {
    guard status == 1 else {
      throw TLSError.fromOpenSSL(
        .generation, operation: operation, reason: "cannot build certificate")
    }
  }
}
