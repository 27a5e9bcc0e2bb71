/// A time of day `HH:MM` (00:00 to 23:59) given as a command argument, as minutes after
/// midnight: MEETING SCHEDULE's start and end, NOTICE SCHEDULE's time.
public enum ClockTime {
  /// - Throws: `CommandFailure` (BAD_ARGUMENTS) naming `option` when `text` is not `HH:MM`.
  public static func minutes(_ text: String, option: String) throws -> Int {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
      let hours = Int(parts[0]), let minutes = Int(parts[1]), (0..<24).contains(hours),
      (0..<60).contains(minutes)
    else {
      throw CommandFailure(.badArguments, "\(option)=\(text.prefix(20)) is not a time HH:MM")
    }
    return hours * 60 + minutes
  }

  public static func text(_ minutes: Int) -> String {
    let hours = minutes / 60
    let rest = minutes % 60
    return (hours < 10 ? "0" : "") + String(hours) + ":" + (rest < 10 ? "0" : "") + String(rest)
  }
}
