/// A parameter the engine needs that the tenant's charter profile does not give: the
/// profile must be completed before the engine can apply that part of the charter.
public struct ProfileGap: Error, Sendable, Equatable, CustomStringConvertible {
  public let profile: String
  public let key: String

  public init(profile: String, key: String) {
    self.profile = profile
    self.key = key
  }

  public var description: String { "charter profile \(profile) lacks \(key)" }
}

extension Optional {
  func required(_ profile: CharterProfile, _ key: String) throws(ProfileGap) -> Wrapped {
    guard let value = self else { throw ProfileGap(profile: profile.id, key: key) }
    return value
  }
}

extension Ruled where Value: Hashable {
  init(_ cited: Cited<Value>) { self.init(cited.value, Article(cited.citation)) }
}
