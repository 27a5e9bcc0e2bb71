/// How one member of a body took part in a meeting (RULES.md §5).
public enum AttendanceStatus: Sendable, Hashable, Codable {
  case present
  /// Represented by written proxy (书面委托); `holder` names who holds it.
  case proxy(holder: String)
  /// Took part by correspondence (通信方式).
  case correspondence
  /// Absent with leave.
  case excused
  /// Absent without cause (无故).
  case absent
}

/// The attendance of a meeting, keyed by whatever identifies a member (`Voter`).
public struct Attendance<Voter: Hashable & Sendable>: Sendable, Hashable {
  public var entries: [Voter: AttendanceStatus]

  public init(_ entries: [Voter: AttendanceStatus] = [:]) { self.entries = entries }

  /// Whether this member counts as present under the body's rules.
  public func countsAsPresent(_ voter: Voter, rules: VotingRules) -> Bool {
    guard let status = entries[voter] else { return false }
    return AttendanceStatus.countsAsPresent(
      status, proxy: rules.proxyCountsAsPresent.value,
      correspondence: rules.correspondenceCountsAsPresent.value)
  }

  /// Members counted present for quorum and as the base of "of present" thresholds.
  public func presentCount(rules: VotingRules) -> Int {
    entries.keys.count { countsAsPresent($0, rules: rules) }
  }
}

extension AttendanceStatus {
  static func countsAsPresent(_ status: AttendanceStatus, proxy: Bool, correspondence: Bool) -> Bool
  {
    switch status {
    case .present: return true
    case .proxy: return proxy
    case .correspondence: return correspondence
    case .excused, .absent: return false
    }
  }
}
