/// A citation of the charter article a rule comes from, as RULES.md writes it: "AITISA art. 4.2".
public struct Article: Hashable, Sendable, CustomStringConvertible, Codable {
  public let citation: String

  public init(_ citation: String) { self.citation = citation }

  public var description: String { citation }
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
