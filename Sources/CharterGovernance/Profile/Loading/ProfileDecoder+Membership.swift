import CharterTOML

extension ProfileDecoder {
  mutating func membershipRules(_ reader: TOMLReader) throws(TOMLError) -> MembershipRules {
    try reader.rejectUnknownKeys(allowed: [
      "kinds", "parent", "admission", "exit", "absence", "inactivity", "rejoin", "discipline",
      "contact_person_required",
    ])
    let kinds = try reader.cited("kinds") { (inner) throws(TOMLError) in
      let kinds = try inner.choiceSet("value", MemberKind.self)
      guard !kinds.isEmpty else { throw inner.error("value", "name at least one kind of member") }
      return kinds
    }
    let parent = try reader.optionalTable("parent").map { (inner) throws(TOMLError) in
      try parentRequirement(inner)
    }
    var absence: [AbsenceRule] = []
    for inner in try reader.optionalTableArray("absence") {
      absence.append(try absenceRule(inner))
    }
    let inactivity = try reader.optionalCited("inactivity") { (inner) throws(TOMLError) in
      InactivityRule(years: try inner.int("value", in: 1...100))
    }
    let discipline = try reader.optionalTable("discipline").map { (inner) throws(TOMLError) in
      try disciplineLadder(inner)
    }
    return MembershipRules(
      kinds: kinds, parent: parent, admission: try admission(try reader.table("admission")),
      exit: try exitRules(try reader.table("exit")), absence: absence, inactivity: inactivity,
      rejoin: try rejoinRule(try reader.table("rejoin")), discipline: discipline,
      contactPersonRequired: try reader.optionalCitedBool("contact_person_required"))
  }

  func parentRequirement(_ reader: TOMLReader) throws(TOMLError) -> ParentRequirement {
    try reader.rejectUnknownKeys(
      allowed: TOMLReader.citationKeys.union(["profile_id", "name", "applies_to"]))
    return ParentRequirement(
      profileId: try reader.optionalIdentifier("profile_id"), name: try reader.string("name"),
      appliesTo: try reader.choiceSet("applies_to", MemberKind.self),
      citation: try reader.citation())
  }

  mutating func admission(_ reader: TOMLReader) throws(TOMLError) -> AdmissionProcess {
    try reader.rejectUnknownKeys(allowed: ["steps", "eligibility"])
    var steps: [AdmissionStep] = []
    for inner in try reader.tableArray("steps") {
      try inner.rejectUnknownKeys(allowed: TOMLReader.citationKeys.union(["kind", "body"]))
      let body = try inner.optionalIdentifier("body")
      if let body { references.expect(.body, body, at: inner, key: "body") }
      steps.append(
        AdmissionStep(
          kind: try inner.choice("kind", AdmissionStepKind.self), body: body,
          citation: try inner.citation()))
    }
    guard !steps.isEmpty else { throw reader.error("steps", "admission needs at least one step") }
    return AdmissionProcess(steps: steps, eligibility: try reader.citedTexts("eligibility"))
  }

  mutating func exitRules(_ reader: TOMLReader) throws(TOMLError) -> ExitRules {
    try reader.rejectUnknownKeys(allowed: [
      "voluntary", "notice", "filed_with", "announced", "licence_revocation_ends_membership",
    ])
    let voluntary = try reader.table("voluntary")
    try voluntary.rejectUnknownKeys(allowed: TOMLReader.citationKeys)
    let filedWith = try reader.optionalIdentifier("filed_with")
    if let filedWith { references.expect(.body, filedWith, at: reader, key: "filed_with") }
    return ExitRules(
      notice: try reader.optionalPeriod("notice"), voluntary: try voluntary.citation(),
      filedWith: filedWith,
      announced: try reader.optionalCitedBool("announced"),
      licenceRevocationEndsMembership: try reader.optionalCitedBool(
        "licence_revocation_ends_membership"))
  }

  mutating func absenceRule(_ reader: TOMLReader) throws(TOMLError) -> AbsenceRule {
    try reader.rejectUnknownKeys(
      allowed: TOMLReader.citationKeys.union([
        "body", "subject_tiers", "consecutive", "excused_counts", "proxy_counts_as_present",
        "correspondence_counts_as_present", "consequence", "downgrade_tiers",
      ]))
    let body = try reader.identifier("body")
    references.expect(.body, body, at: reader, key: "body")
    var subjects = AbsenceSubjects.bodyMembers
    if let tiers = try reader.optionalStringArray("subject_tiers") {
      guard !tiers.isEmpty else { throw reader.error("subject_tiers", "name at least one tier") }
      references.expect(.tier, tiers, at: reader, key: "subject_tiers")
      subjects = .tiers(Set(tiers))
    }
    let consequence: AbsenceConsequence
    let name = try reader.string("consequence")
    switch name {
    case "reminder": consequence = .reminder
    case "automatic_exit": consequence = .automaticExit
    case "loss_of_seat": consequence = .lossOfSeat
    case "downgrade": consequence = .downgrade(tiers: try reader.int("downgrade_tiers", in: 1...10))
    default:
      throw reader.error(
        "consequence",
        "\"\(name)\" is not one of: reminder, automatic_exit, downgrade, loss_of_seat")
    }
    if name != "downgrade", reader["downgrade_tiers"] != nil {
      throw reader.error(
        "downgrade_tiers", "downgrade_tiers only applies to consequence = \"downgrade\"")
    }
    return AbsenceRule(
      body: body, subjects: subjects, consecutive: try reader.int("consecutive", in: 1...100),
      excusedCounts: try reader.bool("excused_counts"),
      proxyCountsAsPresent: try reader.bool("proxy_counts_as_present"),
      correspondenceCountsAsPresent: try reader.bool("correspondence_counts_as_present"),
      consequence: consequence, citation: try reader.citation())
  }

  func rejoinRule(_ reader: TOMLReader) throws(TOMLError) -> Cited<RejoinRule> {
    try reader.rejectUnknownKeys(
      allowed: TOMLReader.citationKeys.union(["policy", "years", "applies_to"]))
    let policy: RejoinPolicy
    switch try reader.string("policy") {
    case "allowed": policy = .allowed
    case "never": policy = .never
    case "after_years": policy = .afterYears(try reader.int("years", in: 1...100))
    case let other:
      throw reader.error("policy", "\"\(other)\" is not one of: allowed, never, after_years")
    }
    let appliesTo =
      try reader.optionalStringArray("applies_to") == nil
      ? Set(LeavingKind.allCases) : try reader.choiceSet("applies_to", LeavingKind.self)
    return Cited(RejoinRule(policy: policy, appliesTo: appliesTo), try reader.citation())
  }

  mutating func disciplineLadder(_ reader: TOMLReader) throws(TOMLError) -> DisciplineLadder {
    try reader.rejectUnknownKeys(
      allowed: TOMLReader.citationKeys.union([
        "steps", "decided_by", "by_vote", "filed_with", "suspension",
      ]))
    var steps: [Cited<DisciplineMeasure>] = []
    for inner in try reader.tableArray("steps") {
      try inner.rejectUnknownKeys(allowed: TOMLReader.citationKeys.union(["measure"]))
      steps.append(Cited(try inner.choice("measure", DisciplineMeasure.self), try inner.citation()))
    }
    guard !steps.isEmpty else {
      throw reader.error("steps", "a discipline ladder needs at least one step")
    }
    let decidedBy = try reader.stringArray("decided_by")
    guard !decidedBy.isEmpty else { throw reader.error("decided_by", "name at least one body") }
    references.expect(.body, decidedBy, at: reader, key: "decided_by")
    let filedWith = try reader.optionalIdentifier("filed_with")
    if let filedWith { references.expect(.body, filedWith, at: reader, key: "filed_with") }
    let suspension = try reader.optionalTable("suspension").map {
      (inner) throws(TOMLError) -> Cited<SuspensionEffect> in
      try inner.rejectUnknownKeys(
        allowed: TOMLReader.citationKeys.union([
          "may_vote", "may_hold_office", "receives_notices", "keeps_duties",
        ]))
      let effect = SuspensionEffect(
        mayVote: try inner.bool("may_vote"), mayHoldOffice: try inner.bool("may_hold_office"),
        receivesNotices: try inner.bool("receives_notices"),
        keepsDuties: try inner.bool("keeps_duties"))
      return Cited(effect, try inner.citation())
    }
    return DisciplineLadder(
      steps: steps, decidedBy: decidedBy, byVote: try reader.bool("by_vote"), filedWith: filedWith,
      suspension: suspension, citation: try reader.citation())
  }
}
