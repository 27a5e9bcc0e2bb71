/// The working days of the covered years, precomputed once per calendar value so that
/// "the N-th working day after" is two array reads instead of a walk over the days.
///
/// Days are indexed from 1 January of the first year with data to 31 December of the last.
/// `prefix[i]` counts the working days at indices `0..<i`; `workingIndex[k]` is the index of
/// the (k+1)-th working day. A year inside the range without data (a gap) is filled with
/// Monday–Friday; the calendar decides whether it may be used.
final class CalendarTable: Sendable {
  let firstYear: Int
  let lastYear: Int
  let firstDay: Int
  let lastDay: Int
  private let yearHasData: [Bool]
  /// No gap year: every day of the table has data, so callers can skip the per-year check.
  let isComplete: Bool
  private let working: [UInt64]
  let prefix: [Int32]
  let workingIndex: [Int32]

  init?(arrangements: [YearArrangement], closures: Set<CivilDate>) {
    guard let firstYear = arrangements.map(\.year).min(),
      let lastYear = arrangements.map(\.year).max()
    else {
      return nil
    }
    self.firstYear = firstYear
    self.lastYear = lastYear
    let firstDay = CivilDate(year: firstYear, month: 1, day: 1)?.dayNumber ?? 0
    let lastDay = CivilDate(year: lastYear, month: 12, day: 31)?.dayNumber ?? firstDay
    self.firstDay = firstDay
    self.lastDay = lastDay
    let years = Set(arrangements.map(\.year))
    yearHasData = (firstYear...lastYear).map(years.contains)
    isComplete = !yearHasData.contains(false)

    let count = lastDay - firstDay + 1
    var isWorking = (0..<count).map { !CivilDate(dayNumber: firstDay + $0).weekday.isWeekend }
    // In year order, so that a later notice wins over an earlier one for a shared day.
    for arrangement in arrangements.sorted(by: { $0.year < $1.year }) {
      for day in arrangement.restDays where (firstDay...lastDay).contains(day.dayNumber) {
        isWorking[day.dayNumber - firstDay] = false
      }
      for day in arrangement.adjustedWorkingDays where (firstDay...lastDay).contains(day.dayNumber)
      {
        isWorking[day.dayNumber - firstDay] = true
      }
    }
    for day in closures where (firstDay...lastDay).contains(day.dayNumber) {
      isWorking[day.dayNumber - firstDay] = false
    }

    var bits = [UInt64](repeating: 0, count: (count + 63) / 64)
    var prefix = [Int32](repeating: 0, count: count + 1)
    var workingIndex: [Int32] = []
    workingIndex.reserveCapacity(count)
    for index in 0..<count {
      prefix[index + 1] = prefix[index]
      if isWorking[index] {
        bits[index >> 6] |= 1 << UInt64(index & 63)
        prefix[index + 1] += 1
        workingIndex.append(Int32(index))
      }
    }
    working = bits
    self.prefix = prefix
    self.workingIndex = workingIndex
  }

  var workingCount: Int { workingIndex.count }

  func contains(_ dayNumber: Int) -> Bool { dayNumber >= firstDay && dayNumber <= lastDay }

  func hasData(year: Int) -> Bool {
    year >= firstYear && year <= lastYear && yearHasData[year - firstYear]
  }

  /// Only for days the table contains.
  func isWorking(_ dayNumber: Int) -> Bool {
    let index = dayNumber - firstDay
    return working[index >> 6] & (1 << UInt64(index & 63)) != 0
  }
}
