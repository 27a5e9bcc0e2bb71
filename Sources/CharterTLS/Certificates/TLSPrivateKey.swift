internal import CCharterOpenSSLShims
internal import COpenSSL

/// A private key. Owns one `EVP_PKEY*` reference, released in `deinit` and nowhere else.
/// Opaque on purpose: key bytes only leave it as a PEM file written with mode 0600.
public final class TLSPrivateKey: @unchecked Sendable {
  let pkey: OpaquePointer

  /// Takes over one reference the caller owns (from EVP_EC_gen, PEM_read…).
  init(takingOwnershipOf pkey: OpaquePointer) {
    self.pkey = pkey
  }

  deinit { EVP_PKEY_free(pkey) }

  /// A fresh ECDSA key on P-256 (prime256v1).
  public static func generateP256() throws(TLSError) -> TLSPrivateKey {
    ERR_clear_error()
    guard let pkey = ccharter_evp_ec_gen("P-256") else {
      throw TLSError.fromOpenSSL(
        .generation, operation: "EVP_EC_gen", reason: "cannot generate a P-256 key")
    }
    return TLSPrivateKey(takingOwnershipOf: pkey)
  }

  /// An unencrypted PEM private key file (PKCS#8 or traditional).
  public convenience init(pemFile path: String) throws(TLSError) {
    ERR_clear_error()
    guard let bio = BIO_new_file(path, "r") else {
      throw TLSError.fromOpenSSL(
        .certificate, operation: "BIO_new_file", reason: "cannot open private key file \(path)")
    }
    defer { BIO_free(bio) }
    guard let pkey = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
      throw TLSError.fromOpenSSL(
        .certificate, operation: "PEM_read_bio_PrivateKey", reason: "no PEM private key in \(path)")
    }
    self.init(takingOwnershipOf: pkey)
  }

  /// PKCS#8 PEM, unencrypted: only for writing to a 0600 file.
  var pemBytes: [UInt8]? {
    MemoryBIO.capture { bio in PEM_write_bio_PrivateKey(bio, pkey, nil, nil, 0, nil, nil) == 1 }
  }

  /// True when `certificate` carries this key's public half.
  public func matches(_ certificate: TLSCertificate) -> Bool {
    defer { ERR_clear_error() }
    return X509_check_private_key(certificate.x509, pkey) == 1
  }
}
