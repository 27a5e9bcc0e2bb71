import CharterCalendar

/// The command line of `charterd calendar`, parsed and checked before any file is read.
struct CalendarInvocation: Equatable {
  enum Operation: Equatable {
    case after(CivilDate, CalendarPeriod)
    case check(CivilDate)
  }

  enum Parsed: Equatable {
    case help
    case run(CalendarInvocation)
  }

  struct UsageError: Error, Equatable {
    let message: String
  }

  var operation: Operation
  var calendarFile: String?
  var fallback: CalendarFallback

  static func parse(_ arguments: [String]) -> Result<Parsed, UsageError> {
    var positional: [String] = []
    var calendarFile: String?
    var fallback = CalendarFallback.refuse
    var index = 0
    func fail(_ message: String) -> Result<Parsed, UsageError> {
      .failure(UsageError(message: message))
    }
    while index < arguments.count {
      let argument = arguments[index]
      var option = argument
      var value: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        option = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
      }
      switch option {
      case "-h", "--help", "help":
        return .success(.help)
      case "--calendar", "--fallback":
        if value == nil {
          index += 1
          guard index < arguments.count else { return fail("\(option) needs a value") }
          value = arguments[index]
        }
        guard let value, !value.isEmpty else { return fail("\(option) needs a value") }
        if option == "--calendar" {
          calendarFile = value
        } else {
          switch value {
          case "weekdays": fallback = .mondayToFriday
          case "refuse": fallback = .refuse
          default: return fail("unknown fallback '\(value)' (expected: weekdays)")
          }
        }
      default:
        if argument.hasPrefix("--") { return fail("unknown option '\(argument)'") }
        positional.append(argument)
      }
      index += 1
    }

    guard let command = positional.first else { return fail("missing command (after, check)") }
    func date(_ text: String) -> CivilDate? { CivilDate(iso: text) }
    switch command {
    case "check":
      guard positional.count == 2 else { return fail("check takes one DATE") }
      guard let day = date(positional[1]) else {
        return fail("invalid date '\(positional[1])' (expected YYYY-MM-DD)")
      }
      return .success(
        .run(
          CalendarInvocation(operation: .check(day), calendarFile: calendarFile, fallback: fallback)
        ))
    case "after":
      guard positional.count == 4 else { return fail("after takes DATE N workdays|days") }
      guard let day = date(positional[1]) else {
        return fail("invalid date '\(positional[1])' (expected YYYY-MM-DD)")
      }
      guard let n = Int(positional[2]), n >= 0, n <= WorkingCalendar.maximumPeriod else {
        return fail(
          "invalid number '\(positional[2])' (expected a whole number 0...\(WorkingCalendar.maximumPeriod))"
        )
      }
      let period: CalendarPeriod
      switch positional[3] {
      case "workdays", "workday", "working-days":
        guard n >= 1 else { return fail("N must be at least 1 for workdays") }
        period = .workingDays(n)
      case "days", "day":
        period = .calendarDays(n)
      default:
        return fail("unknown unit '\(positional[3])' (expected workdays or days)")
      }
      return .success(
        .run(
          CalendarInvocation(
            operation: .after(day, period), calendarFile: calendarFile, fallback: fallback)))
    default:
      return fail("unknown command '\(command)' (expected after or check)")
    }
  }
}
