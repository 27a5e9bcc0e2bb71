import Foundation
import Testing

/// The built `charter` with the register as a file (issue 5): `-c 'REGISTER EXPORT' > file`
/// writes exactly the CSV (BOM, Chinese, quoted comma and quotes), `\export-register FILE`
/// pages into the same file, and `\import-register FILE` delivers the file's text exactly.
@Suite struct RegisterFilesEndToEndTests {
  static var expectedCSV: String {
    ([RegisterFixture.header] + RegisterFixture.members).map { $0 + "\n" }.joined()
  }

  @Test func theExportRedirectedIsTheCSVFileAndExportRegisterPagesIntoTheSameFile() async throws {
    let server = try TestAdminServer()
    defer { server.stop() }
    let home = try TemporaryHome()
    defer { home.remove() }
    let pin = ["--fingerprint-file", server.identity.fingerprintFile, server.address]
    let environment = ["CHARTER_PASSWORD": TestAdminServer.password]

    let exported = try await ShellProcess.run(
      pin + ["--user", "bob", "-c", "REGISTER EXPORT"], home: home.path, environment: environment)
    #expect(exported.status == 0, "\(exported.standardError)")
    #expect(exported.standardOutput == Self.expectedCSV)
    #expect(Array(exported.standardOutput.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])

    let file = home.path + "/register.csv"
    let paged = try await ShellProcess.run(
      pin + ["--user", "bob", "-c", "\\export-register \(file)"], home: home.path,
      environment: environment)
    #expect(paged.status == 0, "\(paged.standardError)")
    #expect(paged.standardOutput.contains("3 members written to \(file)"))
    #expect(
      String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
        == Self.expectedCSV)
  }

  @Test func importRegisterSendsTheFileInChunksAndShowsTheDryRun() async throws {
    let server = try TestAdminServer()
    defer { server.stop() }
    let home = try TemporaryHome()
    defer { home.remove() }
    let pin = ["--fingerprint-file", server.identity.fingerprintFile, server.address]
    let file = home.path + "/import.csv"
    let text = Self.expectedCSV + String(repeating: RegisterFixture.members[0] + "\r\n", count: 800)
    try text.write(toFile: file, atomically: true, encoding: .utf8)

    let imported = try await ShellProcess.run(
      pin + ["--user", "bob", "-c", "\\import-register \(file)"], home: home.path,
      environment: ["CHARTER_PASSWORD": TestAdminServer.password])
    #expect(imported.status == 0, "\(imported.standardError)")
    #expect(imported.standardOutput.contains("ready: REGISTER IMPORT APPLY"))
    #expect(imported.standardOutput.contains("dry run: \(text.count) characters checked"))
    #expect(RegisterFixture.received.withLock { RegisterFixture.receivedText } == text)
  }
}
