/// A named rest period of the statutory calendar (春节, 国庆节...).
public struct Holiday: Sendable, Equatable {
  public let name: String
  public let nameEnglish: String
  public let first: CivilDate
  public let last: CivilDate

  public init(name: String, nameEnglish: String, first: CivilDate, last: CivilDate) {
    self.name = name
    self.nameEnglish = nameEnglish
    self.first = first
    self.last = last
  }

  public var days: [CivilDate] {
    first > last ? [] : (first.dayNumber...last.dayNumber).map(CivilDate.init(dayNumber:))
  }
}

/// One year's arrangement as the State Council General Office publishes it each autumn:
/// holidays and adjusted working days (调休), listed explicitly, never computed.
public struct YearArrangement: Sendable, Equatable {
  public let year: Int
  /// The notice: title, document number, date.
  public let source: String
  /// Later notices that changed the arrangement (the 2020 Spring Festival extension).
  public let amendments: [String]
  public let holidays: [Holiday]
  /// Weekend days declared working days.
  public let adjustedWorkingDays: [CivilDate]

  /// Checks what a typo in the data would break: a holiday on an adjusted working day, an
  /// adjusted working day that is not a weekend day, dates far from the year.
  public init(
    year: Int, source: String, amendments: [String] = [], holidays: [Holiday],
    adjustedWorkingDays: [CivilDate]
  ) throws(CalendarError) {
    self.year = year
    self.source = source
    self.amendments = amendments
    self.holidays = holidays
    self.adjustedWorkingDays = adjustedWorkingDays
    if let problem = problems().first { throw .invalidArrangement(year: year, message: problem) }
  }

  /// Every day off beyond ordinary weekends, including weekend days inside a holiday.
  public var restDays: Set<CivilDate> { Set(holidays.flatMap(\.days)) }

  /// Dates of an arrangement may reach into the neighbouring years (2023's New Year
  /// holiday starts on 2022-12-31; 2019's notice made 2018-12-29 a working day).
  private func isNearYear(_ day: CivilDate) -> Bool { abs(day.year - year) <= 1 }

  func problems() -> [String] {
    var found: [String] = []
    var holidayOf: [CivilDate: String] = [:]
    for holiday in holidays {
      if holiday.first > holiday.last {
        found.append(
          "holiday \(holiday.name) ends (\(holiday.last)) before it starts (\(holiday.first))")
      }
      if !isNearYear(holiday.first) || !isNearYear(holiday.last) {
        found.append(
          "holiday \(holiday.name) (\(holiday.first)–\(holiday.last)) is not in or next to \(year)")
      }
      if holiday.last.dayNumber - holiday.first.dayNumber > 30 {
        found.append("holiday \(holiday.name) is longer than a month")
        continue
      }
      for day in holiday.days {
        if let other = holidayOf[day] {
          found.append("\(day) is in two holidays: \(other) and \(holiday.name)")
        }
        holidayOf[day] = holiday.name
      }
    }
    var seen = Set<CivilDate>()
    for day in adjustedWorkingDays {
      if !seen.insert(day).inserted { found.append("adjusted working day \(day) is listed twice") }
      if !day.weekday.isWeekend {
        found.append("adjusted working day \(day) is a \(day.weekday), not a Saturday or Sunday")
      }
      if !isNearYear(day) {
        found.append("adjusted working day \(day) is not in or next to \(year)")
      }
      if let holiday = holidayOf[day] {
        found.append("\(day) is both a holiday (\(holiday)) and an adjusted working day")
      }
    }
    return found
  }
}
