/// An office in a body: chair, vice-chair, secretary-general, working-group leader...
public struct Post: Sendable, Hashable {
  /// Unique within a profile, e.g. "chair", "deputy_secretary_general".
  public var id: String
  public var name: String
  /// Fewest holders the body must have (1 for a chair); nil when not stated.
  public var minimum: Int?
  /// Most holders allowed (DTPC art. 22: 7 deputy SGs); nil for "several" (若干).
  public var cap: Cited<Int>?
  /// The body that elects the holder, when elected.
  public var electedBy: String?
  /// The post that appoints the holder, when appointed (tjsia-ai §2: the chair appoints the SG).
  public var appointedBy: String?
  public var term: Cited<TermLength>?
  /// Most consecutive terms (tjsia-ai §5: 2).
  public var maxConsecutiveTerms: Cited<Int>?
  /// Oldest age at which the post may be held, inclusive (tjsia-ai §5: 不超过70周岁).
  public var maximumAge: Cited<Int>?
  /// Conditions the charter states in words (e.g. representative at vice-president level).
  public var requirements: [Cited<String>]
  public var citation: Citation

  public init(
    id: String, name: String, minimum: Int? = nil, cap: Cited<Int>? = nil, electedBy: String? = nil,
    appointedBy: String? = nil, term: Cited<TermLength>? = nil,
    maxConsecutiveTerms: Cited<Int>? = nil,
    maximumAge: Cited<Int>? = nil, requirements: [Cited<String>] = [], citation: Citation
  ) {
    self.id = id
    self.name = name
    self.minimum = minimum
    self.cap = cap
    self.electedBy = electedBy
    self.appointedBy = appointedBy
    self.term = term
    self.maxConsecutiveTerms = maxConsecutiveTerms
    self.maximumAge = maximumAge
    self.requirements = requirements
    self.citation = citation
  }
}

/// How long a term of office (or of a tier) lasts.
public enum TermLength: Sendable, Hashable {
  case years(Int)
  /// The same as the parent organisation's council term (tjsia-ai §5: 每届任期同总会理事会).
  case parentTerm
}
