public import CharterCalendar

/// Membership fees: none (DTPC art. 28), or an amount per tier and year (zgc-ai fee rules).
public enum FeePolicy: Sendable, Hashable {
  case none
  case perTier(FeeSchedule)
}

public struct FeeSchedule: Sendable, Hashable {
  /// Yearly amount per tier id, in fen (0.01 CNY); nil when the tenant has not set it yet
  /// (the seed names the rule but not the amounts).
  public var annualAmountFen: [String: Int?]
  public var per: RecurrenceUnit
  /// When the first reminder of an unpaid fee is sent, counted from the due date.
  public var reminderAfter: CalendarPeriod?

  public init(
    annualAmountFen: [String: Int?], per: RecurrenceUnit = .year,
    reminderAfter: CalendarPeriod? = nil
  ) {
    self.annualAmountFen = annualAmountFen
    self.per = per
    self.reminderAfter = reminderAfter
  }
}
