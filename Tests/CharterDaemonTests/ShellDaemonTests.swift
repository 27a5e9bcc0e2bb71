import Foundation
import Testing

/// The built `charter` shell against the built `charterd`, as an operator first meets them:
/// the one-time password from the data folder, the pinned self-signed certificate, the forced
/// password change, then work in a tenant (issue 3, shell side).
@Suite("charter against charterd", .serialized)
struct ShellDaemonTests {
  @Test func firstLoginPasswordChangeAndATenantWithAChineseName() async throws {
    let data = temporaryDataDirectory()
    defer { try? FileManager.default.removeItem(at: data) }
    let daemon = try DaemonProcess(["run", "--data-dir", data.path])
    #expect(await daemon.waitForReady(), "\(daemon.output)")
    let port = try #require(daemon.adminPort(), "\(daemon.output)")
    let oneTime = try String(
      contentsOf: data.appendingPathComponent("initial-operator-password"), encoding: .utf8
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let shell = AdminShellProcess(data: data, port: port)

    let refused = try shell.run(password: oneTime, ["-c", "TENANT LIST"])
    #expect(
      refused.status == 1, "a one-time password allows little before it is changed: \(refused)")
    let changed = try shell.run(
      password: oneTime, ["-c", "ADMIN PASSWD admin \"a-much-better-pass\""])
    #expect(changed.status == 0, "\(changed)")

    let name = "新一代人工智能产业技术创新战略联盟"
    let created = try shell.run(
      password: "a-much-better-pass",
      ["-c", "TENANT CREATE aitisa \"\(name)\"", "--json", "-c", "TENANT LIST"])
    #expect(created.status == 0, "\(created)")
    #expect(created.output.contains("\"name\":\"\(name)\""), "\(created)")

    let wrong = try shell.run(password: "not-the-password", ["-c", "PING"])
    #expect(wrong.status == 3, "a failed login is a connection-class failure: \(wrong)")
    #expect(await daemon.stop() == 0)
  }
}
