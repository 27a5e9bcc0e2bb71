public import CharterCalendar
public import CharterGovernance
public import Foundation

/// The rules data the daemon works with: the statutory working-day calendar and the charter
/// profiles, loaded and validated at start so a malformed file stops the daemon with its
/// file, line and key instead of failing a deadline months later.
public struct GovernanceData: Sendable {
  public var calendar: WorkingCalendar
  public var calendarFile: URL
  public var profiles: [String: CharterProfile]
  public var profilesDirectory: URL

  /// Loads `calendar.file` and `charters.directory`, or the installation's Config/ copies.
  public static func load(_ configuration: Configuration) throws -> GovernanceData {
    let resources = InstallationResources()
    let calendarFile = try configured(
      configuration["calendar.file"], or: resources, .config, CalendarFileLocator.relativePath,
      what: "the statutory calendar")
    let profilesDirectory = try configured(
      configuration["charters.directory"], or: resources, .config, "charters",
      what: "the charter profiles")
    let calendar = try WorkingCalendar.loadStatutory(
      from: calendarFile,
      fallback: configuration["calendar.fallback"] == "weekdays" ? .mondayToFriday : .refuse)
    let profiles = try ProfileLibrary.loadDirectory(profilesDirectory)
    return GovernanceData(
      calendar: calendar, calendarFile: calendarFile, profiles: profiles,
      profilesDirectory: profilesDirectory)
  }

  /// One line for the start-up log.
  public var summary: String {
    let years = calendar.years.map { "\($0.lowerBound)–\($0.upperBound)" } ?? "none"
    return
      "calendar \(calendarFile.path) (years \(years)); profiles \(profiles.keys.sorted().joined(separator: ", "))"
  }

  private static func configured(
    _ value: String, or resources: InstallationResources, _ root: InstallationResources.Root,
    _ relativePath: String, what: String
  ) throws -> URL {
    if !value.isEmpty { return URL(fileURLWithPath: value) }
    guard let found = resources.locate(root, relativePath) else {
      throw InstallationResources.NotFound(
        what: what, firstPlaces: resources.candidates(root, relativePath).prefix(2).map(\.path))
    }
    return found
  }
}
