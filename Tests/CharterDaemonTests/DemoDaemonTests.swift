import Foundation
import Testing

/// `charterd demo` (issue 5, "Throughout"): the demo organisations loaded through the daemon's
/// own command handlers before it says ready, once; a newcomer then explores them in the shell.
@Suite("charterd demo", .serialized)
struct DemoDaemonTests {
  static let slugs = ["aitisa", "aii", "dtpc-nmi", "tjsia", "tjsia-ai", "zgc-ai"]

  @Test func demoLoadsTheOrganisationsOnceAndTheShellShowsThem() async throws {
    let data = temporaryDataDirectory()
    defer { try? FileManager.default.removeItem(at: data) }

    // First start: every script runs (a failing line names file:line and the reply).
    let first = try DaemonProcess(["demo", "--data-dir", data.path])
    #expect(await first.waitForReady(timeout: .seconds(600)), "\(first.output)")
    // The log line (JSON when stderr is not a terminal): "demo: loaded aitisa, aii, …".
    let loadedLine = try #require(
      first.output.split(separator: "\n").first { $0.contains("demo: loaded ") },
      "\(first.output)")
    let loadedText = try #require(loadedLine.range(of: "demo: loaded ")).upperBound
    let loaded = loadedLine[loadedText...].prefix { $0 != "\"" && $0 != "\n" }
      .components(separatedBy: ", ")
    #expect(loaded == Self.slugs, "\(loadedLine)")
    let port = try #require(first.adminPort(), "\(first.output)")
    let oneTime = try String(
      contentsOf: data.appendingPathComponent("initial-operator-password"), encoding: .utf8
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let shell = AdminShellProcess(data: data, port: port)
    let changed = try shell.run(
      password: oneTime, ["-c", "ADMIN PASSWD admin \"demo-explorer-pass\""])
    #expect(changed.status == 0, "\(changed)")

    let tenants = try shell.run(password: "demo-explorer-pass", ["-c", "TENANT LIST"])
    #expect(tenants.status == 0, "\(tenants)")
    for (slug, name) in [
      ("aitisa", "新一代人工智能产业技术创新战略联盟"), ("aii", "人工智能产业发展联盟"),
      ("dtpc-nmi", "内蒙古数字技术产业创新联合体"), ("tjsia", "天津市软件行业协会"),
      ("tjsia-ai", "天津市软件行业协会人工智能分会"), ("zgc-ai", "中关村人工智能产业联盟"),
    ] {
      #expect(tenants.output.contains(slug) && tenants.output.contains(name), "\(tenants)")
    }

    // aitisa's register: the twelve member units, admitted through MEMBER APPLY / DECIDE.
    let register = try shell.run(
      password: "demo-explorer-pass",
      ["-c", "TENANT USE aitisa", "-c", "REGISTER LIST status=member"])
    #expect(register.status == 0, "\(register)")
    #expect(register.output.contains("上海瀚宇智能语音技术有限公司"), "\(register)")
    #expect(register.output.contains("\n12 members\n"), "\(register)")
    // AITISA art. 4.2: the second working-group application waits for its review notice.
    let jobs = try shell.run(
      password: "demo-explorer-pass",
      ["-c", "TENANT USE aitisa", "-c", "JOBS LIST state=pending"])
    #expect(jobs.status == 0, "\(jobs)")
    #expect(jobs.output.lowercased().contains("reviewnotice"), "\(jobs)")
    #expect(await first.stop() == 0, "\(first.output)")

    // Second start on the same data: the tenants exist, nothing is loaded twice.
    let second = try DaemonProcess(["demo", "--data-dir", data.path])
    #expect(await second.waitForReady(timeout: .seconds(600)), "\(second.output)")
    #expect(second.output.contains("exist already; nothing loaded"), "\(second.output)")
    #expect(!second.output.contains("demo: loaded "), "\(second.output)")
    #expect(await second.stop() == 0, "\(second.output)")
  }
}
