/// Why the engine will not apply an event, and the article that says so. Refusals are values
/// the caller shows to the operator; they never change state.
public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
  /// A stable code for programs and tests, e.g. "tooFewSponsors".
  public let code: String
  public let article: Article
  /// Chinese first, then English, as every user-facing text.
  public let reasonZh: String
  public let reasonEn: String
  /// The profile version that refuses; set by every engine entry point.
  public internal(set) var profile: ProfileStamp?

  public init(_ code: String, _ article: Article, zh: String, en: String) {
    self.code = code
    self.article = article
    self.reasonZh = zh
    self.reasonEn = en
  }

  public var description: String { "\(article): \(reasonZh) / \(reasonEn)" }
}
