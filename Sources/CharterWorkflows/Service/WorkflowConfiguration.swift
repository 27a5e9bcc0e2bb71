public import CharterCalendar
public import Foundation

/// What the workflows need besides the database.
public struct WorkflowConfiguration: Sendable {
  /// The statutory working-day calendar of the installation.
  public var calendar: WorkingCalendar
  /// The folder of charter profiles (`Config/charters`) that CHARTER LOAD reads.
  public var chartersDirectory: URL
  /// The instant of "now" for tests that move through a charter's deadlines; nil (the
  /// daemon) reads the database's clock in each transaction (RELIABILITY R8).
  public var now: (@Sendable () -> Date)?
  /// Where problems the client does not see go.
  public var log: @Sendable (String) -> Void

  public init(
    calendar: WorkingCalendar, chartersDirectory: URL, now: (@Sendable () -> Date)? = nil,
    log: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.calendar = calendar
    self.chartersDirectory = chartersDirectory
    self.now = now
    self.log = log
  }
}
