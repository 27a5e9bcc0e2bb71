/// The server's TLS policy: Mozilla's "intermediate" configuration (ssl-config-generator
/// guideline 5.7/6.0), which every client of the last years speaks. See docs/tls.md.
enum TLSServerPolicy {
  /// TLS 1.2 suites, in Mozilla's order: ECDHE key exchange (forward secrecy) with AEAD
  /// ciphers only. No DHE (slow, and weak groups in the wild), no CBC (Lucky13 family), no
  /// RSA key exchange (ROBOT, no forward secrecy).
  static let tls12CipherList = [
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
  ]

  /// TLS 1.3 suites are OpenSSL's defaults, which are Mozilla's: AES-128-GCM, AES-256-GCM,
  /// ChaCha20-Poly1305. Named here so a change of OpenSSL defaults cannot widen them.
  static let tls13CipherSuites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

  /// Key-exchange groups, Mozilla's order.
  static let groups = "X25519:prime256v1:secp384r1"

  /// Distinguishes our sessions in the session cache; required for resumption once client
  /// certificates are requested.
  static let sessionIDContext = Array("charterd-admin".utf8)
}
