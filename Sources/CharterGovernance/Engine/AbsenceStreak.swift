/// "Absent N consecutive times" as the engine counts it, derived from the profile's
/// `AbsenceRule`s of one body: which attendance counts as an absence, when to remind, and
/// when the consequence applies.
public struct StreakRule: Sendable, Equatable {
  public var consecutive: Int
  public var remindAfter: Int?
  public var excusedCounts: Bool
  public var proxyCountsAsPresent: Bool
  public var correspondenceCountsAsPresent: Bool

  public init(
    consecutive: Int, remindAfter: Int? = nil, excusedCounts: Bool,
    proxyCountsAsPresent: Bool = true,
    correspondenceCountsAsPresent: Bool = true
  ) {
    self.consecutive = consecutive
    self.remindAfter = remindAfter
    self.excusedCounts = excusedCounts
    self.proxyCountsAsPresent = proxyCountsAsPresent
    self.correspondenceCountsAsPresent = correspondenceCountsAsPresent
  }

  /// The profile's rule for the consequence, with the reminder rule of the same body if any.
  public init(_ rule: AbsenceRule, reminder: AbsenceRule? = nil) {
    self.init(
      consecutive: rule.consecutive, remindAfter: reminder?.consecutive,
      excusedCounts: rule.excusedCounts,
      proxyCountsAsPresent: rule.proxyCountsAsPresent,
      correspondenceCountsAsPresent: rule.correspondenceCountsAsPresent)
  }

  /// The streak after one more meeting. An excused absence where only unexcused ones count
  /// leaves the streak as it was: DTPC art. 19 speaks of consecutive unexcused absences, and
  /// an excused one in between neither breaks nor extends it [interp].
  public func streak(after previous: Int, status: AttendanceStatus) -> Int {
    switch status {
    case .present: return 0
    case .proxy: return proxyCountsAsPresent ? 0 : previous + 1
    case .correspondence: return correspondenceCountsAsPresent ? 0 : previous + 1
    case .excused: return excusedCounts ? previous + 1 : previous
    case .absent: return previous + 1
    }
  }
}
