/// The charter article a rule comes from, as RULES.md writes it ("AITISA art. 4.2"), with the
/// profile's **[interp]** mark and note when the rule is a per-tenant reading of a silent or
/// vague article, so that whoever reads a decision sees that it rests on an interpretation.
public struct Article: Hashable, Sendable, CustomStringConvertible, Codable {
  public let citation: String
  /// The profile marks the rule as an interpretation (RULES.md **[interp]**).
  public let interpretation: Bool
  /// Why the interpretation was chosen, or what the article says, as the profile notes it.
  public let note: String?

  public init(_ citation: String, interpretation: Bool = false, note: String? = nil) {
    self.citation = citation
    self.interpretation = interpretation
    self.note = note
  }

  /// The article a profile parameter cites, keeping its [interp] mark and note.
  public init(_ citation: Citation) {
    self.init(citation.article, interpretation: citation.interpretation, note: citation.note)
  }

  /// "AII art. 23", or "AII art. 13 [interp]" for an interpretation, as `Citation` shows it.
  public var description: String { interpretation ? "\(citation) [interp]" : citation }
}

/// A per-tenant rule parameter together with the article it comes from, so that every
/// decision and refusal that applies it can name its source.
public struct Ruled<Value: Sendable>: Sendable {
  public var value: Value
  public var article: Article

  public init(_ value: Value, _ article: Article) {
    self.value = value
    self.article = article
  }
}

extension Ruled: Equatable where Value: Equatable {}
