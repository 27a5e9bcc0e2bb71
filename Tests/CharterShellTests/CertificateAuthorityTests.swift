import CharterTLS
import Foundation
import Testing

/// `--ca-file`: the chain and the address are checked against the operator's own CA.
@Suite struct CertificateAuthorityTests {
  @Test func aServerSignedByTheGivenCAIsTrustedAndAnotherCAsIsRefused() async throws {
    let home = try TemporaryHome()
    defer { home.remove() }
    let authority = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "Charter test CA", role: .certificateAuthority))
    let server = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "charterd", role: .server, ipAddresses: ["127.0.0.1"]),
      signedBy: authority)
    try server.write(
      certificateTo: home.path + "/server.crt", privateKeyTo: home.path + "/server.key")
    try authority.write(certificateTo: home.path + "/ca.crt", privateKeyTo: home.path + "/ca.key")
    let stranger = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "Other CA", role: .certificateAuthority))
    try stranger.write(
      certificateTo: home.path + "/other.crt", privateKeyTo: home.path + "/other.key")

    let running = try TestAdminServer(
      configuration: TLSServerConfiguration(
        certificateChainFile: home.path + "/server.crt", privateKeyFile: home.path + "/server.key"))
    defer { running.stop() }

    let trusted = try await ShellProcess.run(
      ["--ca-file", home.path + "/ca.crt", "-c", "PING", running.address], home: home.path)
    #expect(trusted.status == 0, "\(trusted.standardError)")
    #expect(trusted.standardOutput == "PONG\n")
    #expect(!FileManager.default.fileExists(atPath: home.knownHostsFile))

    let refused = try await ShellProcess.run(
      ["--ca-file", home.path + "/other.crt", "-c", "PING", running.address], home: home.path)
    #expect(refused.status == 3)
    #expect(refused.standardError.contains("certificate verification"))
    #expect(refused.standardOutput.isEmpty)
  }

  @Test func aClientCertificateIsPresentedWithCertAndKey() async throws {
    let home = try TemporaryHome()
    defer { home.remove() }
    let authority = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "Charter client CA", role: .certificateAuthority))
    try authority.write(certificateTo: home.path + "/ca.crt", privateKeyTo: home.path + "/ca.key")
    let client = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "alice", role: .client), signedBy: authority)
    try client.write(
      certificateTo: home.path + "/alice.crt", privateKeyTo: home.path + "/alice.key")
    let folder = home.path + "/server"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let identity = try SelfSignedServerIdentity.loadOrCreate(in: folder)
    let server = try TestAdminServer(
      configuration: TLSServerConfiguration(
        identity, clientCertificateAuthorityFile: home.path + "/ca.crt"))
    defer { server.stop() }

    let result = try await ShellProcess.run(
      [
        "--fingerprint", identity.fingerprint.lowercaseHex, "--cert", home.path + "/alice.crt",
        "--key", home.path + "/alice.key", "-c", "PING", server.address,
      ], home: home.path)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(server.clientCertificateSubjects == ["CN=alice"])

    let missingKey = try await ShellProcess.run(
      [
        "--fingerprint", identity.fingerprint.lowercaseHex, "--cert", home.path + "/alice.crt",
        "--key", home.path + "/none.key", "-c", "PING", server.address,
      ], home: home.path)
    #expect(missingKey.status == 3)
  }
}
