import CharterCalendar
import Foundation

/// `charter-bench calendar [--calendar FILE] [--count N] [--seed S]`: N-th-working-day deadlines
/// with the precomputed table of WorkingCalendar versus a naive day-by-day walk over the same
/// published lists, same inputs, same run. Exit 1 when the answers differ.
func runCalendarBenchmark(_ arguments: [String]) -> Int32 {
  var count = 1_000_000
  var seed: UInt64 = 20_240_930
  var file: String?
  var index = 0
  while index < arguments.count {
    let option = arguments[index]
    let value = index + 1 < arguments.count ? arguments[index + 1] : nil
    switch (option, value) {
    case ("--count", let value?) where Int(value).map({ $0 > 0 }) == true:
      count = Int(value) ?? count
    case ("--seed", let value?) where UInt64(value) != nil: seed = UInt64(value) ?? seed
    case ("--calendar", let value?): file = value
    default:
      FileHandle.standardError.write(
        Data("usage: charter-bench calendar [--calendar FILE] [--count N] [--seed S]\n".utf8))
      return 2
    }
    index += 2
  }

  guard let url = file.map(URL.init(fileURLWithPath:)) ?? findCalendarFile() else {
    FileHandle.standardError.write(
      Data(
        "charter-bench calendar: Config/calendar/cn-statutory.toml not found; pass --calendar FILE\n"
          .utf8))
    return 1
  }
  let calendar: WorkingCalendar
  do {
    calendar = try WorkingCalendar.loadStatutory(from: url)
  } catch {
    FileHandle.standardError.write(Data("charter-bench calendar: \(error)\n".utf8))
    return 1
  }
  guard let years = calendar.years,
    let first = CivilDate(year: years.lowerBound, month: 1, day: 1),
    let last = CivilDate(year: years.upperBound, month: 11, day: 15)
  else {
    FileHandle.standardError.write(Data("charter-bench calendar: the calendar has no data\n".utf8))
    return 1
  }

  // Start dates end mid-November so that 30 working days stay inside the data.
  var generator = SplitMix64(seed: seed)
  let span = UInt64(last.dayNumber - first.dayNumber + 1)
  let inputs: [(CivilDate, Int)] = (0..<count).map { _ in
    let start = CivilDate(dayNumber: first.dayNumber + Int(generator.next() % span))
    return (start, 1 + Int(generator.next() % 30))
  }

  let naive = NaiveCalendar(calendar.arrangements)
  let clock = ContinuousClock()
  var tableAnswers = [Int32](repeating: 0, count: count)
  var naiveAnswers = [Int32](repeating: 0, count: count)

  let tableTime = clock.measure {
    for (position, (start, n)) in inputs.enumerated() {
      // Every input lies inside the data, so a throw here is a bug: record an impossible answer.
      tableAnswers[position] = Int32(
        (try? calendar.workingDay(n, after: start).date.dayNumber) ?? Int.min / 2)
    }
  }
  let naiveTime = clock.measure {
    for (position, (start, n)) in inputs.enumerated() {
      naiveAnswers[position] = Int32(naive.workingDay(n, after: start).dayNumber)
    }
  }

  let mismatches = zip(tableAnswers, naiveAnswers).filter { $0 != $1 }.count
  let tableRate = Double(count) / seconds(tableTime)
  let naiveRate = Double(count) / seconds(naiveTime)
  print(
    """
    calendar: \(count) deadlines "N-th working day after DATE", N 1...30, DATE \(first)...\(last), seed \(seed)
      precomputed table (WorkingCalendar): \(format(tableRate)) computations/s (\(format(seconds(tableTime))) s)
      naive day-by-day walk (same data):   \(format(naiveRate)) computations/s (\(format(seconds(naiveTime))) s)
      ratio: \(format(tableRate / naiveRate))x faster; answers identical: \(mismatches == 0 ? "yes" : "NO (\(mismatches) differ)")
    """)
  return mismatches == 0 ? 0 : 1
}

private func seconds(_ duration: Duration) -> Double {
  let (whole, attoseconds) = duration.components
  return Double(whole) + Double(attoseconds) / 1e18
}

private func format(_ value: Double) -> String {
  value >= 100 ? String(Int(value.rounded())) : String(format: "%.3f", value)
}

/// Config/calendar/cn-statutory.toml from $CHARTER_CONFIG_DIR, or the current directory and
/// its parents (Scripts/bench runs from the checkout).
private func findCalendarFile() -> URL? {
  let relative = "Config/calendar/cn-statutory.toml"
  if let directory = ProcessInfo.processInfo.environment["CHARTER_CONFIG_DIR"] {
    let candidate = URL(fileURLWithPath: directory).appendingPathComponent(
      "calendar/cn-statutory.toml")
    if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
  }
  var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  while true {
    let candidate = directory.appendingPathComponent(relative)
    if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
    let parent = directory.deletingLastPathComponent()
    if parent.path == directory.path { return nil }
    directory = parent
  }
}

/// The baseline: what one writes without a table, walking day by day and asking sets of the
/// published holidays and adjusted working days.
private struct NaiveCalendar {
  let restDays: Set<CivilDate>
  let adjustedWorkingDays: Set<CivilDate>

  init(_ arrangements: [YearArrangement]) {
    restDays = Set(arrangements.flatMap(\.restDays))
    adjustedWorkingDays = Set(arrangements.flatMap(\.adjustedWorkingDays))
  }

  func isWorkingDay(_ day: CivilDate) -> Bool {
    adjustedWorkingDays.contains(day) || (!day.weekday.isWeekend && !restDays.contains(day))
  }

  func workingDay(_ n: Int, after start: CivilDate) -> CivilDate {
    var day = start
    var remaining = n
    while remaining > 0 {
      day = day.adding(days: 1)
      if isWorkingDay(day) { remaining -= 1 }
    }
    return day
  }
}

/// A small seeded generator (SplitMix64) so that both runs see the same inputs every time.
private struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
