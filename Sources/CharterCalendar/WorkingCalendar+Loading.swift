import CharterTOML
public import Foundation

/// Reading the statutory calendar from `Config/calendar/cn-statutory.toml` (format in
/// docs/calendar.md). Every mistake is reported with file, line and key.
extension WorkingCalendar {
  public static func loadStatutory(from url: URL, fallback: CalendarFallback = .refuse) throws
    -> WorkingCalendar
  {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw CalendarError.invalidData(
        TOMLError(
          file: url.path, line: 0, column: 0, message: "cannot read the calendar file: \(error)"))
    }
    let arrangements = try YearArrangement.parse(text, file: url.path)
    return WorkingCalendar(arrangements: arrangements, fallback: fallback)
  }
}

extension YearArrangement {
  static let rootKeys: Set<String> = ["format", "year"]
  static let yearKeys: Set<String> = [
    "year", "source", "amendments", "basis", "holidays", "adjusted_working_days",
  ]
  static let noticeKeys: Set<String> = ["title", "number", "date", "change"]
  static let holidayKeys: Set<String> = ["name", "english", "first", "last"]

  /// Parses a calendar document: the shipped file, or a snippet holding next year's
  /// arrangement to add at run time.
  public static func parse(_ text: String, file: String?) throws(CalendarError) -> [YearArrangement]
  {
    do throws(TOMLError) {
      let root = TOMLReader(try TOML.parse(text, file: file), file: file)
      try root.rejectUnknownKeys(allowed: rootKeys)
      if let format = try root.optionalInt("format"), format != 1 {
        throw root.error("format", "unsupported format \(format) (this build reads format 1)")
      }
      var seen: [Int: Int] = [:]
      var arrangements: [YearArrangement] = []
      for reader in try root.tableArray("year") {
        let arrangement = try parseYear(reader)
        if let line = seen[arrangement.year] {
          throw reader.error("year", "year \(arrangement.year) is already defined at line \(line)")
        }
        seen[arrangement.year] = reader["year"]?.line ?? reader.table.line
        arrangements.append(arrangement)
      }
      return arrangements
    } catch {
      throw .invalidData(error)
    }
  }

  private static func civil(_ date: TOMLLocalDate) -> CivilDate {
    CivilDate(year: date.year, month: date.month, day: date.day) ?? CivilDate(dayNumber: 0)
  }

  private static func notice(_ reader: TOMLReader) throws(TOMLError) -> String {
    try reader.rejectUnknownKeys(allowed: noticeKeys)
    let title = try reader.string("title")
    let number = try reader.string("number")
    let date = try reader.date("date")
    var text = "\(title)（\(number)，\(date)）"
    if let change = try reader.optionalString("change") { text += "：\(change)" }
    return text
  }

  private static func parseYear(_ reader: TOMLReader) throws(TOMLError) -> YearArrangement {
    try reader.rejectUnknownKeys(allowed: yearKeys)
    let year = try reader.int("year")
    guard (1949...9999).contains(year) else {
      throw reader.error("year", "year \(year) is out of range")
    }
    let source = try notice(reader.table("source"))
    var amendments: [String] = []
    for amendment in try reader.optionalTableArray("amendments") {
      amendments.append(try notice(amendment))
    }
    if let basis = try reader.optionalString("basis") { amendments.insert("依据：\(basis)", at: 0) }

    var holidays: [Holiday] = []
    var holidayOf: [CivilDate: String] = [:]
    for entry in try reader.tableArray("holidays") {
      try entry.rejectUnknownKeys(allowed: holidayKeys)
      let holiday = Holiday(
        name: try entry.string("name"), nameEnglish: try entry.string("english"),
        first: civil(try entry.date("first")), last: civil(try entry.date("last")))
      if holiday.last < holiday.first {
        throw entry.error(
          "last", "\(holiday.name) ends (\(holiday.last)) before it starts (\(holiday.first))")
      }
      if holiday.last.dayNumber - holiday.first.dayNumber > 30 {
        throw entry.error("last", "\(holiday.name) is longer than a month")
      }
      for day in holiday.days {
        if let other = holidayOf[day] {
          throw entry.error("first", "\(day) is in two holidays: \(other) and \(holiday.name)")
        }
        holidayOf[day] = holiday.name
      }
      holidays.append(holiday)
    }

    var adjusted: [CivilDate] = []
    let key = "adjusted_working_days"
    _ = try reader.dateArray(key)
    if case .array(let nodes)? = reader[key]?.value {
      for node in nodes {
        guard case .localDate(let date) = node.value else { continue }
        let day = civil(date)
        func fail(_ message: String) -> TOMLError {
          TOMLError(
            file: reader.file, line: node.line, column: node.column, key: reader.keyPath(key),
            message: message)
        }
        if let holiday = holidayOf[day] {
          throw fail("\(day) is both a holiday (\(holiday)) and an adjusted working day")
        }
        if !day.weekday.isWeekend {
          throw fail(
            "\(day) is a \(day.weekday), not a weekend day: only weekend days can be adjusted")
        }
        if adjusted.contains(day) { throw fail("\(day) is listed twice") }
        adjusted.append(day)
      }
    }
    do {
      return try YearArrangement(
        year: year, source: source, amendments: amendments, holidays: holidays,
        adjustedWorkingDays: adjusted)
    } catch {
      throw reader.error("year", error.description)
    }
  }
}
