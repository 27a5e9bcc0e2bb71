/// Where a parameter of a profile comes from, so that every decision can cite it.
///
/// `interpretation` marks a choice made where the charter is silent or vague (RULES.md's
/// **[interp]**); such choices are per-tenant data, never constants in code.
public struct Citation: Sendable, Hashable, CustomStringConvertible {
  /// The article, as RULES.md names it: "AII art. 23", "DTPC art. 16(1)", "tjsia-ai §5".
  public var article: String
  public var interpretation: Bool
  /// Why the interpretation was chosen, or what the article says when it is not obvious.
  public var note: String?

  public init(article: String, interpretation: Bool = false, note: String? = nil) {
    self.article = article
    self.interpretation = interpretation
    self.note = note
  }

  /// "AII art. 23", or "AII art. 13 [interp]" for an interpretation.
  public var description: String { interpretation ? "\(article) [interp]" : article }
}

/// A parameter value together with the article it comes from.
public struct Cited<Value: Sendable & Hashable>: Sendable, Hashable {
  public var value: Value
  public var citation: Citation

  public init(_ value: Value, _ citation: Citation) {
    self.value = value
    self.citation = citation
  }
}
