import CharterTOML

/// References between parts of a profile (a matter names a body, an absence rule names
/// tiers...), collected while reading and checked once everything is read, so that a
/// reference to a body defined further down the file is fine and a dangling one is an
/// error at the line that makes it.
struct ProfileReferences {
  enum Kind: String {
    case tier, body, post
  }

  private struct Reference {
    var kind: Kind
    var id: String
    var location: TOMLError
  }

  private var references: [Reference] = []

  /// Records that `reader[key]` names `id`, a `kind` that must exist.
  mutating func expect(_ kind: Kind, _ id: String, at reader: TOMLReader, key: String) {
    references.append(
      Reference(
        kind: kind, id: id, location: reader.error(key, "no \(kind.rawValue) with id \"\(id)\"")))
  }

  mutating func expect(
    _ kind: Kind, _ ids: some Sequence<String>, at reader: TOMLReader, key: String
  ) {
    for id in ids { expect(kind, id, at: reader, key: key) }
  }

  func check(tiers: Set<String>, bodies: Set<String>, posts: Set<String>) throws(TOMLError) {
    for reference in references {
      let known: Set<String>
      switch reference.kind {
      case .tier: known = tiers
      case .body: known = bodies
      case .post: known = posts
      }
      guard known.contains(reference.id) else {
        var located = reference.location
        located.message += " (known: \(known.sorted().joined(separator: ", ")))"
        throw located
      }
    }
  }
}
