import Foundation
import Testing

/// Runs the BUILT `charterd` (next to the test bundle in the build products directory) the
/// way an operator's script would, and checks stdout, stderr and the exit status.
@Suite struct CalendarCommandTests {
  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static let productsDirectory: URL = {
    let runner =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map(
        URL.init(fileURLWithPath:))
      ?? Bundle.main.bundleURL.appendingPathComponent("x")
    var directory = runner.deletingLastPathComponent()
    // On platforms where the runner sits inside a bundle, climb out of it.
    while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS"
      || directory.lastPathComponent == "Contents"
    {
      directory.deleteLastPathComponent()
    }
    return directory
  }()

  static let charterd = productsDirectory.appendingPathComponent("charterd")

  static let repositoryConfig = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Config")

  func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
    try #require(
      FileManager.default.isExecutableFile(atPath: Self.charterd.path),
      "charterd is not built at \(Self.charterd.path): run `swift build` first")
    let process = Process()
    process.executableURL = Self.charterd
    process.arguments = ["calendar"] + arguments
    var env = ProcessInfo.processInfo.environment
    env["CHARTER_CONFIG_DIR"] = nil
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Outcome(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  func temporaryFile(_ name: String, _ text: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "charter-calendar-\(UUID())")
    let file = directory.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
    return file
  }

  @Test func rules_0_afterWorkdaysPrintsTheDateAloneOnALine() throws {
    let outcome = try run(["after", "2024-09-30", "1", "workdays"])
    #expect(outcome.status == 0)
    #expect(outcome.stdout == "2024-10-08\n")
    #expect(outcome.stderr == "")
  }

  /// AITISA art. 4.2 (10 working days) and art. 4.3 (10 days, rolled forward).
  @Test func aitisa_4_2_and_4_3_deadlinesFromTheCommandLine() throws {
    #expect(try run(["after", "2024-09-27", "10", "workdays"]).stdout == "2024-10-16\n")
    #expect(try run(["after", "2025-09-25", "10", "days"]).stdout == "2025-10-09\n")
  }

  @Test func checkPrintsWorkingOrRest() throws {
    let saturday = try run(["check", "2024-10-12"])
    #expect(saturday.status == 0)
    #expect(saturday.stdout == "working\n")
    let nationalDay = try run(["check", "2024-10-01"])
    #expect(nationalDay.status == 0)
    #expect(nationalDay.stdout == "rest\n")
  }

  @Test func badInputIsAUsageErrorWithExitStatus2() throws {
    for arguments in [
      [], ["after", "2024-13-01", "1", "workdays"], ["after", "2024-09-30", "x", "workdays"],
      ["after", "2024-09-30", "0", "workdays"], ["after", "2024-09-30", "1", "weeks"],
      ["after", "2024-09-30", "1"],
      ["check"], ["check", "2024/10/01"], ["frobnicate"],
      ["check", "2024-10-01", "--fallback", "never"],
      ["check", "2024-10-01", "--bogus"], ["check", "2024-10-01", "--calendar"],
    ] {
      let outcome = try run(arguments)
      #expect(outcome.status == 2, "\(arguments)")
      #expect(outcome.stdout == "", "\(arguments)")
      #expect(outcome.stderr.hasPrefix("charterd calendar: "), "\(arguments)")
      #expect(outcome.stderr.contains("usage:"), "\(arguments)")
    }
  }

  @Test func rules_0_yearWithoutDataExitsWith1() throws {
    let outcome = try run(["after", "2026-12-10", "30", "workdays"])
    #expect(outcome.status == 1)
    #expect(outcome.stdout == "")
    #expect(outcome.stderr.contains("no working-day data for 2027"))
  }

  @Test func rules_0_weekdaysFallbackPrintsTheDateAndWarnsOnStderr() throws {
    let outcome = try run(["after", "2026-12-10", "30", "workdays", "--fallback", "weekdays"])
    #expect(outcome.status == 0)
    #expect(outcome.stdout == "2027-01-21\n")
    #expect(outcome.stderr.contains("warning"))
    #expect(outcome.stderr.contains("2027"))
    let check = try run(["--fallback=weekdays", "check", "2027-01-04"])
    #expect(check.stdout == "working\n")
    #expect(check.stderr.contains("2027"))
  }

  @Test func explicitCalendarFileIsUsedAndAMissingOneExitsWith1() throws {
    let custom = try temporaryFile(
      "custom.toml",
      """
      [[year]]
      year = 2027
      source = { title = "test", number = "test-1", date = 2026-11-01 }
      holidays = [{ name = "元旦", english = "New Year's Day", first = 2027-01-01, last = 2027-01-05 }]
      adjusted_working_days = []
      """)
    let outcome = try run(["after", "2026-12-31", "1", "workdays", "--calendar", custom.path])
    #expect(outcome.stdout == "2027-01-06\n")
    #expect(outcome.status == 0)
    let missing = try run(["check", "2024-10-01", "--calendar", "/nonexistent/cal.toml"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("/nonexistent/cal.toml"))
  }

  @Test func malformedCalendarFileExitsWith1NamingFileLineAndKey() throws {
    let broken = try temporaryFile(
      "broken.toml",
      """
      [[year]]
      year = 2027
      source = { title = "test", number = "test-1", date = 2026-11-01 }
      holidays = []
      adjusted_working_days = [2027-01-06]
      """)
    let outcome = try run(["check", "2027-01-06", "--calendar", broken.path])
    #expect(outcome.status == 1)
    #expect(outcome.stderr.contains("\(broken.path):5:26: year[0].adjusted_working_days:"))
  }

  @Test func calendarIsFoundThroughCharterConfigDirBeforeTheCheckout() throws {
    let file = try temporaryFile(
      "calendar/cn-statutory.toml",
      """
      [[year]]
      year = 2024
      source = { title = "test", number = "test-1", date = 2023-11-01 }
      holidays = []
      adjusted_working_days = []
      """)
    let configDirectory = file.deletingLastPathComponent().deletingLastPathComponent()
    // Without the statutory data, 2024-10-01 is an ordinary Tuesday.
    let viaEnvironment = try run(
      ["check", "2024-10-01"], environment: ["CHARTER_CONFIG_DIR": configDirectory.path])
    #expect(viaEnvironment.stdout == "working\n")
    // Without the variable, the checkout's Config/calendar (a parent of the build folder) is found.
    #expect(try run(["check", "2024-10-01"]).stdout == "rest\n")
  }

  @Test func helpPrintsUsageAndSucceeds() throws {
    let outcome = try run(["--help"])
    #expect(outcome.status == 0)
    #expect(outcome.stdout.hasPrefix("usage: charterd calendar"))
  }
}
