/// Identifiers of the things the engine reasons about. They are opaque strings chosen by the
/// store; distinct types keep a member id from being passed where a group id is expected.
public struct MemberID: Hashable, Sendable, Codable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public let rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
}

public struct PersonID: Hashable, Sendable, Codable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public let rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
}

public struct WorkingGroupID: Hashable, Sendable, Codable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public let rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
}

public struct MeetingID: Hashable, Sendable, Codable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public let rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
}

/// A filed request: a membership application, a working-group application, a motion.
public struct CaseID: Hashable, Sendable, Codable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public let rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
}

/// What a fact, notice or deadline job is about.
public enum Subject: Hashable, Sendable, CustomStringConvertible {
  case member(MemberID)
  case person(PersonID)
  case workingGroup(WorkingGroupID)
  case meeting(MeetingID)
  case filedCase(CaseID)
  case body(String)

  public var description: String {
    switch self {
    case .member(let id): return "member:\(id)"
    case .person(let id): return "person:\(id)"
    case .workingGroup(let id): return "working-group:\(id)"
    case .meeting(let id): return "meeting:\(id)"
    case .filedCase(let id): return "case:\(id)"
    case .body(let id): return "body:\(id)"
    }
  }
}
