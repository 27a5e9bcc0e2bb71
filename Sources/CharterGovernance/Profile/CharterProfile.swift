public import CharterCalendar

/// Every governance parameter of one organisation's charter, as data.
///
/// Loaded from `Config/charters/<id>.toml` and validated on load. A tenant keeps every
/// version; decisions record the `id` and `version` they were made under (DESIGN.md).
public struct CharterProfile: Sendable, Hashable {
  /// Short id of the organisation, e.g. "aii", "dtpc-nmi".
  public var id: String
  /// Increases with every amendment; recorded with each decision.
  public var version: Int
  /// The first day this version applies.
  public var effectiveDate: CivilDate
  /// Name in Chinese, as in the charter.
  public var name: String
  public var nameEnglish: String?
  /// The document the profile is digested from (title, revision).
  public var sourceDocument: String
  /// IANA time zone in which deadlines end; RULES.md §0 default "Asia/Shanghai".
  public var timeZone: String

  /// Member tiers, lowest first (e.g. AII art. 12: ordinary < director < vice-chair < chair).
  public var tiers: [Tier]
  /// Bodies (organs) of the organisation: assemblies, councils, secretariat, working groups.
  public var bodies: [Body]
  /// Decisions with their own thresholds or ballot kind (charter amendment, fee rules...).
  public var matters: [Matter]
  public var membership: MembershipRules
  /// Working-group (推进组) rules, when the charter has working groups.
  public var workingGroups: WorkingGroupRules?
  /// Membership fees (zgc-ai) or their absence (DTPC art. 28).
  public var fees: Cited<FeePolicy>?
  /// How often the use of funds is published to members (DTPC art. 33).
  public var fundUsePublication: Cited<Recurrence>?

  public init(
    id: String, version: Int, effectiveDate: CivilDate, name: String, nameEnglish: String? = nil,
    sourceDocument: String, timeZone: String = "Asia/Shanghai", tiers: [Tier], bodies: [Body],
    matters: [Matter] = [], membership: MembershipRules, workingGroups: WorkingGroupRules? = nil,
    fees: Cited<FeePolicy>? = nil, fundUsePublication: Cited<Recurrence>? = nil
  ) {
    self.id = id
    self.version = version
    self.effectiveDate = effectiveDate
    self.name = name
    self.nameEnglish = nameEnglish
    self.sourceDocument = sourceDocument
    self.timeZone = timeZone
    self.tiers = tiers
    self.bodies = bodies
    self.matters = matters
    self.membership = membership
    self.workingGroups = workingGroups
    self.fees = fees
    self.fundUsePublication = fundUsePublication
  }

  public func tier(_ id: String) -> Tier? { tiers.first { $0.id == id } }
  public func body(_ id: String) -> Body? { bodies.first { $0.id == id } }
  public func matter(_ id: String) -> Matter? { matters.first { $0.id == id } }

  /// The post with this id in any body (post ids are unique within a profile).
  public func post(_ id: String) -> Post? {
    for body in bodies {
      if let post = body.posts.first(where: { $0.id == id }) { return post }
    }
    return nil
  }

  /// Position of a tier in the order, 0 for the lowest; nil for an unknown tier.
  public func rank(ofTier id: String) -> Int? { tiers.firstIndex { $0.id == id } }

  /// The tier `steps` below `id`, or nil when there is none (already the lowest).
  public func tier(below id: String, steps: Int = 1) -> Tier? {
    guard let rank = rank(ofTier: id), rank - steps >= 0, steps >= 0 else { return nil }
    return tiers[rank - steps]
  }
}

/// "N times per year / quarter": minimum meetings, publication of fund use, activities.
public struct Recurrence: Sendable, Hashable {
  public var count: Int
  public var per: RecurrenceUnit

  public init(count: Int, per: RecurrenceUnit) {
    self.count = count
    self.per = per
  }
}

public enum RecurrenceUnit: String, Sendable, Hashable, CaseIterable {
  case year
  case quarter
}
