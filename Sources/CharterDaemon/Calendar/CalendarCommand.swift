import CharterCalendar
import Foundation

/// `charterd calendar ...`: offline deadline arithmetic for operators and scripts.
///
///     charterd calendar after DATE N workdays   the N-th working day strictly after DATE
///     charterd calendar after DATE N days       DATE + N days, moved to the next working day
///     charterd calendar check DATE              "working" or "rest"
///
/// Options: `--calendar FILE` (default: see `CalendarFileLocator`), `--fallback weekdays`
/// (count Monday–Friday in years without data, with a warning on stderr).
/// Exit status: 0 success; 1 no data for a year, or the calendar file is missing or
/// malformed; 2 usage error (the message is on stderr).
public enum CalendarCommand {
  static let usage = """
    usage: charterd calendar after DATE N workdays|days [--calendar FILE] [--fallback weekdays]
           charterd calendar check DATE [--calendar FILE] [--fallback weekdays]
    DATE is YYYY-MM-DD. "workdays": the N-th working day strictly after DATE (N >= 1).
    "days": DATE + N days (N >= 0), moved forward to the next working day when it is not one.
    Exit status: 0 ok, 1 no data for a year or a bad calendar file, 2 usage error.
    """

  /// `arguments` are those after the word `calendar`. Returns the exit status.
  public static func run(_ arguments: [String]) -> Int32 {
    let invocation: CalendarInvocation
    switch CalendarInvocation.parse(arguments) {
    case .success(.help):
      write(usage + "\n", to: .standardOutput)
      return 0
    case .success(.run(let parsed)):
      invocation = parsed
    case .failure(let error):
      write("charterd calendar: \(error.message)\n\(usage)\n", to: .standardError)
      return 2
    }

    let file: URL
    if let explicit = invocation.calendarFile {
      file = URL(fileURLWithPath: explicit)
    } else {
      let locator = CalendarFileLocator(
        environment: ProcessInfo.processInfo.environment,
        executable: CalendarFileLocator.currentExecutable())
      guard let found = locator.locate() else {
        write(
          "charterd calendar: no calendar file found (looked in \(locator.candidates().map(\.path).joined(separator: ", "))); "
            + "pass --calendar FILE\n", to: .standardError)
        return 1
      }
      file = found
    }

    let calendar: WorkingCalendar
    do {
      calendar = try WorkingCalendar.loadStatutory(from: file, fallback: invocation.fallback)
    } catch {
      write("charterd calendar: \(error)\n", to: .standardError)
      return 1
    }

    do {
      switch invocation.operation {
      case .check(let day):
        let working = try calendar.isWorkingDay(day)
        if calendar.fallback == .mondayToFriday && !calendar.hasData(year: day.year) {
          warn([CalendarWarning(year: day.year)])
        }
        write(working ? "working\n" : "rest\n", to: .standardOutput)
      case .after(let day, let period):
        let result = try calendar.deadline(period, after: day)
        warn(result.warnings)
        write("\(result.date)\n", to: .standardOutput)
      }
      return 0
    } catch {
      switch error {
      case .noDataForYear, .invalidData, .invalidArrangement:
        write("charterd calendar: \(error)\n", to: .standardError)
        return 1
      case .invalidArgument:
        write("charterd calendar: \(error)\n", to: .standardError)
        return 2
      }
    }
  }

  private static func warn(_ warnings: [CalendarWarning]) {
    for warning in warnings {
      write("charterd calendar: warning: \(warning)\n", to: .standardError)
    }
  }

  enum Stream { case standardOutput, standardError }

  private static func write(_ text: String, to stream: Stream) {
    let handle = stream == .standardOutput ? FileHandle.standardOutput : FileHandle.standardError
    handle.write(Data(text.utf8))
  }
}
