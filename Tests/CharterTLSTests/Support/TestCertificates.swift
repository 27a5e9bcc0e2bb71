import CharterTLS

/// Certificates made at test time: a server identity, a CA with a client leaf, and a second,
/// unrelated CA with its own client leaf.
struct TestCertificates {
  let folder: TemporaryFolder
  let server: SelfSignedServerIdentity
  let authority: TLSIdentity
  let clientCAFile: String
  let clientCertificateFile: String
  let clientKeyFile: String
  let strangerCertificateFile: String
  let strangerKeyFile: String

  init() throws {
    folder = try TemporaryFolder()
    server = try SelfSignedServerIdentity.loadOrCreate(in: folder.path)
    authority = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "AITISA Admin CA", role: .certificateAuthority))
    let client = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "alice", role: .client), signedBy: authority)
    let otherAuthority = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "AITISA Admin CA", role: .certificateAuthority))
    let stranger = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "alice", role: .client), signedBy: otherAuthority)
    clientCAFile = folder.path + "/client-ca.crt"
    clientCertificateFile = folder.path + "/alice.crt"
    clientKeyFile = folder.path + "/alice.key"
    strangerCertificateFile = folder.path + "/stranger.crt"
    strangerKeyFile = folder.path + "/stranger.key"
    try authority.write(certificateTo: clientCAFile, privateKeyTo: folder.path + "/client-ca.key")
    try client.write(certificateTo: clientCertificateFile, privateKeyTo: clientKeyFile)
    try stranger.write(certificateTo: strangerCertificateFile, privateKeyTo: strangerKeyFile)
  }
}
