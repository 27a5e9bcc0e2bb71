public import CharterCalendar
public import Foundation

/// What every transition needs besides state and event: the instant of the event, the
/// tenant's time zone and working calendar. Passed as a value; the engine reads no clock.
public struct EngineContext: Sendable {
  public var now: Date
  public var timeZone: TimeZone
  public var calendar: WorkingCalendar

  public init(now: Date, timeZone: TimeZone, calendar: WorkingCalendar) {
    self.now = now
    self.timeZone = timeZone
    self.calendar = calendar
  }

  /// The civil day of `now` in the tenant's zone.
  public var today: CivilDate { CivilDate(now, in: timeZone) }

  public func day(of instant: Date) -> CivilDate { CivilDate(instant, in: timeZone) }

  /// The end of a due day in the tenant's zone, when a job falls due.
  public func due(_ day: CivilDate) -> Date { day.endOfDay(in: timeZone) }

  /// A deadline computed with the working calendar; calendar errors (no data for a year)
  /// become refusals citing the rule being applied, fallbacks become warnings.
  public func deadline(
    _ period: CalendarPeriod, after day: CivilDate, article: Article,
    warnings: inout [EngineWarning]
  ) throws(Refusal) -> CivilDate {
    do {
      let result = try calendar.deadline(period, after: day)
      for warning in result.warnings {
        warnings.append(
          EngineWarning(
            "calendarFallback", article,
            zh: "\(warning.year) 年无法定工作日数据，按周一至周五计算",
            en: warning.description))
      }
      return result.date
    } catch {
      throw Refusal(
        "calendarUnavailable", article,
        zh: "无法计算期限：\(error)", en: "cannot compute the deadline: \(error)")
    }
  }

  /// The working day that is `n` working days before `day` (n >= 1), for reminders.
  public func workingDay(_ n: Int, before day: CivilDate, article: Article) throws(Refusal)
    -> CivilDate
  {
    var d = day
    var counted = 0
    do {
      while counted < n {
        d = d.adding(days: -1)
        if try calendar.isWorkingDay(d) { counted += 1 }
      }
    } catch {
      throw Refusal(
        "calendarUnavailable", article,
        zh: "无法计算期限：\(error)", en: "cannot compute the deadline: \(error)")
    }
    return d
  }
}
