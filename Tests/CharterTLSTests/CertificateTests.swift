import Foundation
import Testing

@testable import CharterTLS

/// The self-signed default identity and the certificate generator, checked with `openssl`.
@Suite struct CertificateTests {
  @Test func selfSignedDefaultIsCreatedOnceWithTheRightNamesAndModes() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let first = try SelfSignedServerIdentity.loadOrCreate(in: folder.path)
    #expect(first.created)
    #expect(first.certificateFile == folder.path + "/tls/server.crt")
    #expect(first.privateKeyFile == folder.path + "/tls/server.key")
    #expect(FileWriting.permissions(of: first.privateKeyFile) == 0o600)
    #expect(FileWriting.permissions(of: folder.path + "/tls") == 0o700)

    let second = try SelfSignedServerIdentity.loadOrCreate(in: folder.path)
    #expect(!second.created)
    #expect(second.fingerprint == first.fingerprint)

    let text = try OpenSSLCommand.run(
      ["x509", "-in", first.certificateFile, "-noout", "-text"], input: []
    ).output
    #expect(text.contains("Subject: CN = charterd"), Comment(rawValue: text))
    #expect(
      text.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"),
      Comment(rawValue: text))
    #expect(text.contains("ASN1 OID: prime256v1"))
    #expect(text.contains("ecdsa-with-SHA256"))
    #expect(text.contains("TLS Web Server Authentication"))
    #expect(text.contains("CA:FALSE"))
  }

  @Test func validityIs825Days() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let identity = try SelfSignedServerIdentity.loadOrCreate(in: folder.path)
    let now = Int(Date().timeIntervalSince1970)
    let valid = try OpenSSLCommand.run(
      ["x509", "-in", identity.certificateFile, "-noout", "-checkend", String(824 * 86_400)],
      input: [])
    let expired = try OpenSSLCommand.run(
      ["x509", "-in", identity.certificateFile, "-noout", "-checkend", String(826 * 86_400)],
      input: [])
    #expect(valid.status == 0, "still valid in 824 days (now \(now))")
    #expect(expired.status != 0, "expired in 826 days")
  }

  @Test func fingerprintFileMatchesOpenSSLInBothForms() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let identity = try SelfSignedServerIdentity.loadOrCreate(in: folder.path)
    let openssl = try OpenSSLCommand.run(
      ["x509", "-in", identity.certificateFile, "-noout", "-fingerprint", "-sha256"], input: []
    ).output.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(openssl == "sha256 Fingerprint=" + identity.fingerprint.uppercaseWithColons)
    let file = try String(contentsOfFile: identity.fingerprintFile, encoding: .utf8)
    #expect(
      file == identity.fingerprint.uppercaseWithColons + "\n" + identity.fingerprint.lowercaseHex
        + "\n")
    #expect(identity.fingerprint.lowercaseHex.count == 64)
    #expect(TLSFingerprint(parsing: openssl) == identity.fingerprint)

    // A deleted fingerprint file comes back on the next start.
    try FileManager.default.removeItem(atPath: identity.fingerprintFile)
    _ = try SelfSignedServerIdentity.loadOrCreate(in: folder.path)
    #expect(try String(contentsOfFile: identity.fingerprintFile, encoding: .utf8) == file)
  }

  @Test func halfAFolderOrALooseKeyIsRefusedNotOverwritten() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let identity = try SelfSignedServerIdentity.loadOrCreate(in: folder.path)
    chmod(identity.privateKeyFile, 0o644)
    #expect(throws: TLSError.self) { try SelfSignedServerIdentity.loadOrCreate(in: folder.path) }
    chmod(identity.privateKeyFile, 0o600)
    let certificate = try String(contentsOfFile: identity.certificateFile, encoding: .utf8)
    try FileManager.default.removeItem(atPath: identity.privateKeyFile)
    #expect(throws: TLSError.self) { try SelfSignedServerIdentity.loadOrCreate(in: folder.path) }
    #expect(try String(contentsOfFile: identity.certificateFile, encoding: .utf8) == certificate)
  }

  @Test func keyOfAnotherCertificateIsRefused() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let one = try TLSIdentity.generate(TLSCertificateProfile(commonName: "one", role: .server))
    let two = try TLSIdentity.generate(TLSCertificateProfile(commonName: "two", role: .server))
    try one.write(certificateTo: folder.path + "/one.crt", privateKeyTo: folder.path + "/one.key")
    try two.write(certificateTo: folder.path + "/two.crt", privateKeyTo: folder.path + "/two.key")
    #expect {
      _ = try TLSServerContext(
        TLSServerConfiguration(
          certificateChainFile: folder.path + "/one.crt", privateKeyFile: folder.path + "/two.key"))
    } throws: { error in
      guard let error = error as? TLSError else { return false }
      return error.code == .certificate && !error.openSSLErrors.isEmpty
    }
    #expect(throws: TLSError.self) {
      try TLSIdentity.load(
        certificateFile: folder.path + "/one.crt", privateKeyFile: folder.path + "/two.key")
    }
  }

  @Test func missingFilesGiveAnErrorWithTheOpenSSLQueue() throws {
    #expect {
      _ = try TLSServerContext(
        TLSServerConfiguration(
          certificateChainFile: "/nonexistent/server.crt", privateKeyFile: "/nonexistent/server.key"
        ))
    } throws: { error in
      guard let error = error as? TLSError else { return false }
      return error.code == .certificate && !error.openSSLErrors.isEmpty
        && error.description.contains("/nonexistent/server.crt")
    }
  }

  @Test func issuedClientCertificateVerifiesAgainstItsCA() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let authority = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "Test CA", role: .certificateAuthority))
    let leaf = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "bob", role: .client), signedBy: authority)
    try authority.write(
      certificateTo: folder.path + "/ca.crt", privateKeyTo: folder.path + "/ca.key")
    try leaf.write(certificateTo: folder.path + "/bob.crt", privateKeyTo: folder.path + "/bob.key")
    let verify = try OpenSSLCommand.run(
      [
        "verify", "-purpose", "sslclient", "-CAfile", folder.path + "/ca.crt",
        folder.path + "/bob.crt",
      ], input: [])
    #expect(verify.status == 0, Comment(rawValue: verify.output))
    #expect(leaf.certificate.issuer == "CN=Test CA")
    #expect(leaf.certificate.subject == "CN=bob")
    #expect(
      try TLSCertificate(pem: leaf.certificate.pem).fingerprint == leaf.certificate.fingerprint)
  }

  @Test func fingerprintParsingAcceptsCommonFormsOnly() {
    let hex = String(repeating: "ab", count: 32)
    #expect(TLSFingerprint(parsing: hex) != nil)
    #expect(TLSFingerprint(parsing: hex.uppercased()) != nil)
    #expect(TLSFingerprint(parsing: "sha256:" + hex) != nil)
    #expect(TLSFingerprint(parsing: String(repeating: "AB:", count: 31) + "AB") != nil)
    #expect(TLSFingerprint(parsing: String(hex.dropLast(2))) == nil)
    #expect(TLSFingerprint(parsing: String(hex.dropLast()) + "g") == nil)
    #expect(TLSFingerprint(parsing: "") == nil)
  }
}
