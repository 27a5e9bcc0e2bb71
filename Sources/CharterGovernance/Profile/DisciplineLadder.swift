/// Measures against a member that breaks the charter, mildest first (DTPC art. 15, AII art. 16).
public struct DisciplineLadder: Sendable, Hashable {
  public var steps: [Cited<DisciplineMeasure>]
  /// Bodies that may decide a measure (DTPC: secretariat; AII: council or standing council).
  public var decidedBy: [String]
  /// How the deciding body decides expulsion: by vote (AII art. 16) or administratively.
  public var byVote: Bool
  /// The body a decision is filed with (DTPC art. 15: joint meeting).
  public var filedWith: String?
  /// What a suspended member may still do (RULES.md §3 [interp]).
  public var suspension: Cited<SuspensionEffect>?
  public var citation: Citation

  public init(
    steps: [Cited<DisciplineMeasure>], decidedBy: [String], byVote: Bool, filedWith: String? = nil,
    suspension: Cited<SuspensionEffect>? = nil, citation: Citation
  ) {
    self.steps = steps
    self.decidedBy = decidedBy
    self.byVote = byVote
    self.filedWith = filedWith
    self.suspension = suspension
    self.citation = citation
  }
}

public enum DisciplineMeasure: String, Sendable, Hashable, CaseIterable {
  /// 警告
  case warning
  /// 通报批评
  case publicCriticism = "public_criticism"
  /// 暂停行使成员单位权利
  case suspension
  /// 除名
  case expulsion
}

/// Rights a suspended member keeps.
public struct SuspensionEffect: Sendable, Hashable {
  public var mayVote: Bool
  public var mayHoldOffice: Bool
  public var receivesNotices: Bool
  public var keepsDuties: Bool

  public init(mayVote: Bool, mayHoldOffice: Bool, receivesNotices: Bool, keepsDuties: Bool) {
    self.mayVote = mayVote
    self.mayHoldOffice = mayHoldOffice
    self.receivesNotices = receivesNotices
    self.keepsDuties = keepsDuties
  }
}
