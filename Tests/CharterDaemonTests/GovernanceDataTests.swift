import CharterCalendar
import Foundation
import Testing

@testable import CharterDaemon

@Suite("Rules data loaded at start")
struct GovernanceDataTests {
  @Test func theShippedCalendarAndTheFiveProfilesLoad() throws {
    let data = try GovernanceData.load(Configuration())
    #expect(data.profiles.keys.sorted() == ["aii", "aitisa", "dtpc-nmi", "tjsia-ai", "zgc-ai"])
    #expect(data.calendar.years?.contains(2026) == true)
    #expect(data.summary.contains("aitisa"))
  }

  @Test func aMalformedProfileStopsTheStartNamingFileAndLine() throws {
    let folder = URL(fileURLWithPath: NSTemporaryDirectory() + "charters-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "id = \"broken\"\nversion = \"one\"\n".write(
      to: folder.appendingPathComponent("broken.toml"), atomically: true, encoding: .utf8)
    var configuration = Configuration()
    try configuration.set("charters.directory", folder.path, from: .defaultValue)
    let error = #expect(throws: (any Error).self) { try GovernanceData.load(configuration) }
    #expect("\(error.map { "\($0)" } ?? "")".contains("broken.toml:"), "names the file and line")
  }
}
