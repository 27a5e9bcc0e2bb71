// Stand-in for the part of CharterCalendar this module uses, written against the agreed
// interface so the engine builds before the calendar branch is merged. Delete this file when
// merging the calendar branch: the real types then come from `import CharterCalendar`.
public import Foundation

public enum Weekday: Int, Sendable { case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday }

extension CivilDate {
    public init?(iso: String) {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public init(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        // A day computed from a day number is always a real day.
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)!
    }

    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public var weekday: Weekday {
        let r = ((dayNumber % 7) + 7 + 3) % 7  // 1970-01-01 was a Thursday
        return Weekday(rawValue: r + 1) ?? .monday
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    public func adding(years: Int) -> CivilDate {
        let y = year + years
        return CivilDate(year: y, month: month, day: day) ?? CivilDate(year: y, month: month, day: day - 1)
            ?? CivilDate(dayNumber: dayNumber + 365 * years)
    }

    public static func - (a: CivilDate, b: CivilDate) -> Int { a.dayNumber - b.dayNumber }

    public init(_ instant: Date, in zone: TimeZone) {
        let seconds = Int((instant.timeIntervalSince1970).rounded(.down)) + zone.secondsFromGMT(for: instant)
        self.init(dayNumber: Int((Double(seconds) / 86_400).rounded(.down)))
    }

    /// The last millisecond of the day in `zone`.
    public func endOfDay(in zone: TimeZone) -> Date {
        let nextMidnightLocal = Double(adding(days: 1).dayNumber) * 86_400
        let offset = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: nextMidnightLocal)))
        return Date(timeIntervalSince1970: nextMidnightLocal - offset - 0.001)
    }
}

public enum CalendarError: Error, Sendable, Equatable, CustomStringConvertible {
    case noDataForYear(Int)
    case invalidArgument(String)
    public var description: String {
        switch self {
        case .noDataForYear(let y): return "no working-day data for \(y)"
        case .invalidArgument(let s): return s
        }
    }
}

public struct CalendarWarning: Sendable, Equatable, CustomStringConvertible {
    public let year: Int
    public var description: String { "working days of \(year) computed Monday–Friday" }
}

public struct CalendarResult: Sendable, Equatable {
    public let date: CivilDate
    public let warnings: [CalendarWarning]
}

/// Monday–Friday minus the given rest days plus the given working days.
public struct WorkingCalendar: Sendable {
    var restDays: Set<CivilDate>
    var extraWorkingDays: Set<CivilDate>

    public init(restDays: Set<CivilDate> = [], extraWorkingDays: Set<CivilDate> = []) {
        self.restDays = restDays
        self.extraWorkingDays = extraWorkingDays
    }

    public func isWorkingDay(_ day: CivilDate) throws(CalendarError) -> Bool {
        if extraWorkingDays.contains(day) { return true }
        if restDays.contains(day) { return false }
        return day.weekday.rawValue <= 5
    }

    public func workingDay(_ n: Int, after day: CivilDate) throws(CalendarError) -> CalendarResult {
        guard n >= 1 else { throw .invalidArgument("n must be at least 1") }
        var d = day
        var count = 0
        while count < n {
            d = d.adding(days: 1)
            if try isWorkingDay(d) { count += 1 }
        }
        return CalendarResult(date: d, warnings: [])
    }

    public func calendarDays(_ n: Int, after day: CivilDate) throws(CalendarError) -> CalendarResult {
        try rollForward(day.adding(days: n))
    }

    public func deadline(_ period: CalendarPeriod, after day: CivilDate) throws(CalendarError) -> CalendarResult {
        switch period {
        case .workingDays(let n): return try workingDay(n, after: day)
        case .calendarDays(let n): return try calendarDays(n, after: day)
        }
    }

    public func rollForward(_ day: CivilDate) throws(CalendarError) -> CalendarResult {
        var d = day
        while !(try isWorkingDay(d)) { d = d.adding(days: 1) }
        return CalendarResult(date: d, warnings: [])
    }

    public func workingDays(after from: CivilDate, through: CivilDate) throws(CalendarError) -> Int {
        guard through > from else { return 0 }
        var n = 0
        var d = from.adding(days: 1)
        while d <= through {
            if try isWorkingDay(d) { n += 1 }
            d = d.adding(days: 1)
        }
        return n
    }
}
