/// A unit's standing in the alliance as another state machine sees it: working groups and
/// offices ask only this of the member register.
public enum MemberStanding: String, Sendable, Hashable, Codable {
  case inGoodStanding
  /// DTPC art. 15 [interp]: keeps its duties and receives notices, may not vote or hold office.
  case suspended
  case notAMember
}
