import CharterCalendar
import CharterTOML

extension CharterProfile {
  /// Parses and validates a profile. `file` names the source in errors ("charters/aii.toml").
  /// Malformed TOML, a missing or unknown key, a value out of range or a reference to a
  /// tier, body or post that does not exist is refused with its file, line and key.
  public static func load(text: String, file: String) throws(ProfileError) -> CharterProfile {
    do {
      let root = TOMLReader(try TOML.parse(text, file: file), file: file)
      var decoder = ProfileDecoder()
      return try decoder.profile(root)
    } catch {
      throw ProfileError(
        file: error.file ?? file, line: error.line, column: error.column, key: error.key,
        message: error.message)
    }
  }
}

/// Reads the sections of a profile; see docs/profiles.md for the format.
struct ProfileDecoder {
  var references = ProfileReferences()

  mutating func profile(_ root: TOMLReader) throws(TOMLError) -> CharterProfile {
    try root.rejectUnknownKeys(allowed: [
      "id", "version", "effective_date", "name", "name_english", "source_document", "time_zone",
      "tiers", "bodies", "matters", "membership", "working_groups", "fees", "fund_use_publication",
    ])
    let id = try root.identifier("id")
    let version = try root.int("version", in: 1...Int.max)
    let date = try root.date("effective_date")
    guard let effectiveDate = CivilDate(year: date.year, month: date.month, day: date.day) else {
      throw root.error("effective_date", "\(date) is not a day of the calendar")
    }
    let tiers = try tierList(root)
    let bodies = try bodyList(root)
    let matters = try matterList(root)
    let membership = try membershipRules(try root.table("membership"))
    let workingGroups = try root.optionalTable("working_groups").map {
      (reader) throws(TOMLError) in try workingGroupRules(reader)
    }
    let fees = try feePolicy(root)
    let fundUse = try root.optionalRecurrence("fund_use_publication")

    var postIds: Set<String> = []
    for body in bodies {
      for post in body.posts {
        guard postIds.insert(post.id).inserted else {
          throw try root.table("bodies").table(body.id).error(
            "posts", "post id \"\(post.id)\" is used twice")
        }
      }
    }
    try references.check(
      tiers: Set(tiers.map(\.id)), bodies: Set(bodies.map(\.id)), posts: postIds)

    return CharterProfile(
      id: id, version: version, effectiveDate: effectiveDate, name: try root.string("name"),
      nameEnglish: try root.optionalString("name_english"),
      sourceDocument: try root.string("source_document"),
      timeZone: try root.optionalString("time_zone") ?? "Asia/Shanghai", tiers: tiers,
      bodies: bodies,
      matters: matters, membership: membership, workingGroups: workingGroups, fees: fees,
      fundUsePublication: fundUse)
  }

  // MARK: - Tiers

  mutating func tierList(_ root: TOMLReader) throws(TOMLError) -> [Tier] {
    var tiers: [Tier] = []
    let readers = try root.tableArray("tiers")
    guard !readers.isEmpty else { throw root.error("tiers", "a profile needs at least one tier") }
    for reader in readers {
      try reader.rejectUnknownKeys(
        allowed: TOMLReader.citationKeys.union(["id", "name", "rights", "term", "elected_by"]))
      let id = try reader.identifier("id")
      guard !tiers.contains(where: { $0.id == id }) else {
        throw reader.error("id", "tier id \"\(id)\" is used twice")
      }
      var rights: Set<TierRight> = []
      for name in try reader.stringArray("rights") {
        let right = TierRight(rawValue: name)
        guard TierRight.known.contains(right) else {
          let known = TierRight.known.map(\.rawValue).sorted().joined(separator: ", ")
          throw reader.error("rights", "unknown right \"\(name)\" (known: \(known))")
        }
        rights.insert(right)
      }
      let electedBy = try reader.optionalIdentifier("elected_by")
      if let electedBy { references.expect(.body, electedBy, at: reader, key: "elected_by") }
      tiers.append(
        Tier(
          id: id, name: try reader.string("name"), rights: rights,
          term: try reader.optionalTermLength("term"), electedBy: electedBy,
          citation: try reader.citation()))
    }
    return tiers
  }

  // MARK: - Matters

  mutating func matterList(_ root: TOMLReader) throws(TOMLError) -> [Matter] {
    var matters: [Matter] = []
    for reader in try root.optionalTableArray("matters") {
      try reader.rejectUnknownKeys(
        allowed: TOMLReader.citationKeys.union([
          "id", "name", "body", "quorum", "pass", "ballot", "then_body",
        ]))
      let id = try reader.identifier("id")
      guard !matters.contains(where: { $0.id == id }) else {
        throw reader.error("id", "matter id \"\(id)\" is used twice")
      }
      let body = try reader.identifier("body")
      references.expect(.body, body, at: reader, key: "body")
      let thenBody = try reader.optionalIdentifier("then_body")
      if let thenBody { references.expect(.body, thenBody, at: reader, key: "then_body") }
      let ballot = try reader.optionalCited("ballot") { (inner) throws(TOMLError) in
        try inner.choice("value", BallotKind.self)
      }
      matters.append(
        Matter(
          id: id, name: try reader.string("name"), body: body,
          quorum: try reader.optionalThreshold("quorum"),
          pass: try reader.optionalThreshold("pass"),
          ballot: ballot, thenBody: thenBody, citation: try reader.citation()))
    }
    return matters
  }

  // MARK: - Money

  mutating func feePolicy(_ root: TOMLReader) throws(TOMLError) -> Cited<FeePolicy>? {
    guard let reader = try root.optionalTable("fees") else { return nil }
    try reader.rejectUnknownKeys(
      allowed: TOMLReader.citationKeys.union([
        "policy", "tiers", "annual_amount_fen", "per", "reminder_after",
      ]))
    let policy: FeePolicy
    switch try reader.string("policy") {
    case "none":
      policy = .none
    case "per_tier":
      let tiers = try reader.stringArray("tiers")
      references.expect(.tier, tiers, at: reader, key: "tiers")
      var amounts: [String: Int?] = [:]
      for tier in tiers { amounts[tier] = .some(nil) }
      if let table = try reader.optionalTable("annual_amount_fen") {
        for tier in table.keys {
          guard amounts[tier] != nil else {
            throw table.error(tier, "tier \"\(tier)\" is not listed in fees.tiers")
          }
          amounts[tier] = try table.int(tier, in: 0...Int(Int32.max))
        }
      }
      var reminder: CalendarPeriod?
      if let inner = try reader.optionalTable("reminder_after") {
        try inner.rejectUnknownKeys(allowed: TOMLReader.periodKeys)
        reminder = try inner.bareperiod()
      }
      policy = .perTier(
        FeeSchedule(
          annualAmountFen: amounts, per: try reader.choice("per", RecurrenceUnit.self),
          reminderAfter: reminder))
    case let other:
      throw reader.error("policy", "\"\(other)\" is not one of: none, per_tier")
    }
    return Cited(policy, try reader.citation())
  }
}
