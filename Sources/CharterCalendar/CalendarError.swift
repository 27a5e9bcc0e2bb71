public import CharterTOML

public enum CalendarError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A computation reached a year without data and the tenant did not allow the fallback.
  case noDataForYear(Int)
  case invalidArgument(String)
  /// A data file is malformed; the TOML error carries file, line and key.
  case invalidData(TOMLError)
  /// An arrangement built in code contradicts itself (a holiday on an adjusted working day).
  case invalidArrangement(year: Int, message: String)

  public var description: String {
    switch self {
    case .noDataForYear(let year):
      "no working-day data for \(year): load the State Council arrangement for \(year), "
        + "or allow the Monday–Friday fallback"
    case .invalidArgument(let message):
      "invalid argument: \(message)"
    case .invalidData(let error):
      error.description
    case .invalidArrangement(let year, let message):
      "invalid arrangement for \(year): \(message)"
    }
  }
}

/// What to do when a computation reaches a year without data. A per-tenant choice.
public enum CalendarFallback: Sendable, Hashable {
  /// Throw `CalendarError.noDataForYear`.
  case refuse
  /// Count Monday–Friday as working days (minus the tenant's closures) and warn.
  case mondayToFriday
}

/// A period as charters state it: "within 10 working days", "within 30 days".
public enum CalendarPeriod: Sendable, Hashable, Codable {
  case workingDays(Int)
  case calendarDays(Int)
}

/// A year computed by the Monday–Friday fallback: the deadline may move once the State
/// Council publishes that year's arrangement.
public struct CalendarWarning: Sendable, Hashable, CustomStringConvertible {
  public let year: Int

  public init(year: Int) { self.year = year }

  public var description: String {
    "no working-day data for \(year): computed with Monday–Friday as working days; "
      + "the date may change when the State Council arrangement for \(year) is loaded"
  }
}

/// A computed date and the warnings made on the way.
public struct CalendarResult: Sendable, Equatable {
  public let date: CivilDate
  public let warnings: [CalendarWarning]

  public init(date: CivilDate, warnings: [CalendarWarning] = []) {
    self.date = date
    self.warnings = warnings
  }
}
