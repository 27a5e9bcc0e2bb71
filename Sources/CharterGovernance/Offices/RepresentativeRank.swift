/// The level of the person a unit member sends (tjsia-ai §5: 副总及以上 — vice-president level
/// or above). Ordered: a rank meets a minimum when it is the same or higher.
public enum RepresentativeRank: Int, Sendable, Hashable, Comparable, CaseIterable, Codable {
  case staff = 0
  case manager
  case director
  case vicePresident
  case president

  public static func < (a: RepresentativeRank, b: RepresentativeRank) -> Bool {
    a.rawValue < b.rawValue
  }
}

/// Office parameters the profile states only in words (`Post.requirements`); extension
/// points until the profile carries them as values.
public struct OfficeExtensions: Sendable {
  /// Lowest rank of a unit's representative, per post id (tjsia-ai §5: vice-president level).
  public var minimumRank: [String: Ruled<RepresentativeRank>]

  public init(minimumRank: [String: Ruled<RepresentativeRank>] = [:]) {
    self.minimumRank = minimumRank
  }
}
