import CharterTOML

extension ProfileDecoder {
  mutating func bodyList(_ root: TOMLReader) throws(TOMLError) -> [Body] {
    let table = try root.table("bodies")
    var bodies: [Body] = []
    for key in table.keys {
      // Every entry of [bodies] is a body; a scalar there is a typo.
      let reader = try table.table(key)
      guard TOMLReader.isIdentifier(key) else {
        throw table.error(
          key, "\"\(key)\" is not an id: use lowercase letters, digits, '_' and '-'")
      }
      bodies.append(try body(id: key, reader))
    }
    guard !bodies.isEmpty else { throw root.error("bodies", "a profile needs at least one body") }
    return bodies
  }

  mutating func body(id: String, _ reader: TOMLReader) throws(TOMLError) -> Body {
    try reader.rejectUnknownKeys(
      allowed: TOMLReader.citationKeys.union([
        "name", "composition", "voting", "notice", "minimum_meetings", "meeting_modes",
        "default_ballot", "posts",
      ]))
    let voting = try reader.optionalTable("voting").map { (inner) throws(TOMLError) in
      try votingRules(inner)
    }
    let modes = try reader.optionalCited("meeting_modes") { (inner) throws(TOMLError) in
      try inner.choiceSet("value", MeetingMode.self)
    }
    let ballot = try reader.optionalCited("default_ballot") { (inner) throws(TOMLError) in
      try inner.choice("value", BallotKind.self)
    }
    var posts: [Post] = []
    for inner in try reader.optionalTableArray("posts") {
      posts.append(try post(inner))
    }
    return Body(
      id: id, name: try reader.string("name"),
      composition: try composition(try reader.table("composition")),
      voting: voting, notice: try reader.optionalPeriod("notice"),
      minimumMeetings: try reader.optionalRecurrence("minimum_meetings"), meetingModes: modes,
      defaultBallot: ballot, posts: posts, citation: try reader.citation())
  }

  /// Exactly one of `all_members = true`, `tiers = [...]`, `working_group_members = true`,
  /// `post_holders = [...]`, `appointed = true`.
  mutating func composition(_ reader: TOMLReader) throws(TOMLError) -> Cited<BodyComposition> {
    let shapes = ["all_members", "tiers", "working_group_members", "post_holders", "appointed"]
    try reader.rejectUnknownKeys(allowed: TOMLReader.citationKeys.union(shapes))
    let given = shapes.filter { reader[$0] != nil }
    guard given.count == 1, let shape = given.first else {
      throw reader.error(
        given.dropFirst().first,
        "a composition needs exactly one of: \(shapes.joined(separator: ", "))")
    }
    let composition: BodyComposition
    switch shape {
    case "tiers":
      let tiers = try reader.stringArray("tiers")
      guard !tiers.isEmpty else { throw reader.error("tiers", "name at least one tier") }
      references.expect(.tier, tiers, at: reader, key: "tiers")
      composition = .tiers(Set(tiers))
    case "post_holders":
      let posts = try reader.stringArray("post_holders")
      guard !posts.isEmpty else { throw reader.error("post_holders", "name at least one post") }
      references.expect(.post, posts, at: reader, key: "post_holders")
      composition = .postHolders(Set(posts))
    default:
      guard try reader.bool(shape) else {
        throw reader.error(shape, "write \(shape) = true or leave it out")
      }
      switch shape {
      case "all_members": composition = .allMembers
      case "working_group_members": composition = .workingGroupMembers
      default: composition = .appointed
      }
    }
    return Cited(composition, try reader.citation())
  }

  func votingRules(_ reader: TOMLReader) throws(TOMLError) -> VotingRules {
    try reader.rejectUnknownKeys(allowed: [
      "quorum", "pass", "proxy_counts_as_present", "correspondence_counts_as_present",
    ])
    let quorum = try reader.optionalThreshold("quorum")
    if let quorum, quorum.value.base != .members {
      throw try reader.table("quorum").error(
        "base", "a quorum is counted against the members of the body")
    }
    return VotingRules(
      quorum: quorum, pass: try reader.threshold("pass"),
      proxyCountsAsPresent: try reader.citedBool("proxy_counts_as_present"),
      correspondenceCountsAsPresent: try reader.citedBool("correspondence_counts_as_present"))
  }

  mutating func post(_ reader: TOMLReader) throws(TOMLError) -> Post {
    try reader.rejectUnknownKeys(
      allowed: TOMLReader.citationKeys.union([
        "id", "name", "minimum", "cap", "elected_by", "appointed_by", "term",
        "max_consecutive_terms",
        "maximum_age", "requirements",
      ]))
    let minimum = try reader.optionalInt("minimum", in: 0...10_000)
    let cap = try reader.optionalCitedInt("cap", in: 1...10_000)
    if let minimum, let cap, minimum > cap.value {
      throw reader.error("minimum", "minimum \(minimum) is above the cap \(cap.value)")
    }
    let electedBy = try reader.optionalIdentifier("elected_by")
    if let electedBy { references.expect(.body, electedBy, at: reader, key: "elected_by") }
    let appointedBy = try reader.optionalIdentifier("appointed_by")
    if let appointedBy { references.expect(.post, appointedBy, at: reader, key: "appointed_by") }
    return Post(
      id: try reader.identifier("id"), name: try reader.string("name"), minimum: minimum, cap: cap,
      electedBy: electedBy, appointedBy: appointedBy, term: try reader.optionalTermLength("term"),
      maxConsecutiveTerms: try reader.optionalCitedInt("max_consecutive_terms", in: 1...100),
      maximumAge: try reader.optionalCitedInt("maximum_age", in: 18...150),
      requirements: try reader.citedTexts("requirements"), citation: try reader.citation())
  }
}
