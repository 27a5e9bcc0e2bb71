internal import CCharterOpenSSLShims
internal import COpenSSL

/// An X.509 certificate. Owns one `X509*` reference, released in `deinit` and nowhere else.
/// Immutable once made, so it can be shared across threads.
public final class TLSCertificate: @unchecked Sendable {
  let x509: OpaquePointer

  /// Takes over one reference the caller owns (from X509_new, PEM_read…, SSL_get1_…).
  init(takingOwnershipOf x509: OpaquePointer) {
    self.x509 = x509
  }

  /// Adds a reference to a certificate borrowed from OpenSSL (SSL_get0_…, SSL_CTX_get0_…).
  static func retaining(_ borrowed: OpaquePointer) -> TLSCertificate {
    X509_up_ref(borrowed)
    return TLSCertificate(takingOwnershipOf: borrowed)
  }

  deinit { X509_free(x509) }

  /// The first certificate of a PEM file (the leaf of a chain file).
  public convenience init(pemFile path: String) throws(TLSError) {
    ERR_clear_error()
    guard let bio = BIO_new_file(path, "r") else {
      throw TLSError.fromOpenSSL(
        .certificate, operation: "BIO_new_file", reason: "cannot open certificate file \(path)")
    }
    defer { BIO_free(bio) }
    guard let x509 = PEM_read_bio_X509(bio, nil, nil, nil) else {
      throw TLSError.fromOpenSSL(
        .certificate, operation: "PEM_read_bio_X509", reason: "no PEM certificate in \(path)")
    }
    self.init(takingOwnershipOf: x509)
  }

  /// A certificate from PEM text.
  public convenience init(pem: String) throws(TLSError) {
    ERR_clear_error()
    let parsed = MemoryBIO.reading(Array(pem.utf8)) { bio in PEM_read_bio_X509(bio, nil, nil, nil) }
    guard let parsed else {
      throw TLSError.fromOpenSSL(
        .certificate, operation: "PEM_read_bio_X509", reason: "text is not a PEM certificate")
    }
    self.init(takingOwnershipOf: parsed)
  }

  /// SHA-256 of the DER encoding.
  public var fingerprint: TLSFingerprint {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let status = X509_digest(x509, EVP_sha256(), &digest, &length)
    // X509_digest fails only on allocation failure; an all-zero fingerprint then matches
    // no pin, so the failure cannot let a wrong certificate through.
    guard status == 1, length == 32 else {
      return TLSFingerprint(digest: [UInt8](repeating: 0, count: 32))
    }
    return TLSFingerprint(digest: Array(digest.prefix(32)))
  }

  /// The subject as an RFC 2253 string, e.g. `CN=alice,O=AITISA`.
  public var subject: String { Self.rfc2253(X509_get_subject_name(x509)) }
  /// The issuer as an RFC 2253 string.
  public var issuer: String { Self.rfc2253(X509_get_issuer_name(x509)) }

  /// The certificate as PEM text.
  public var pem: String {
    let bytes = MemoryBIO.capture { bio in PEM_write_bio_X509(bio, x509) == 1 }
    return String(decoding: bytes ?? [], as: UTF8.self)
  }

  static func rfc2253(_ name: OpaquePointer?) -> String {
    guard let name else { return "" }
    let bytes = MemoryBIO.capture { bio in
      X509_NAME_print_ex(bio, name, 0, ccharter_xn_flag_rfc2253()) >= 0
    }
    return String(decoding: bytes ?? [], as: UTF8.self)
  }
}
