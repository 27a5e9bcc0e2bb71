import CharterTOML

extension ProfileDecoder {
  mutating func workingGroupRules(_ reader: TOMLReader) throws(TOMLError) -> WorkingGroupRules {
    try reader.rejectUnknownKeys(allowed: [
      "meeting_body", "kinds", "founding_minimum", "minimum_members", "approving_body",
      "reviewing_body",
      "review_notice", "rejection_notice", "dissolution_notice", "dissolution_objection_window",
      "dissolution_request", "one_leadership_per_person", "one_post_per_unit_per_group",
      "members_only",
      "joining_approved_by", "annual_evaluation", "budget_required",
    ])
    let meetingBody = try reader.identifier("meeting_body")
    references.expect(.body, meetingBody, at: reader, key: "meeting_body")
    let kinds = try reader.optionalCited("kinds") { (inner) throws(TOMLError) in
      try inner.choiceSet("value", WorkingGroupKind.self)
    }
    let approving = try reader.optionalCitedString("approving_body")
    if let approving {
      references.expect(
        .body, approving.value, at: try reader.table("approving_body"), key: "value")
    }
    let reviewing = try reader.optionalCitedString("reviewing_body")
    if let reviewing {
      references.expect(
        .body, reviewing.value, at: try reader.table("reviewing_body"), key: "value")
    }
    let joining = try reader.optionalCitedString("joining_approved_by")
    if let joining {
      references.expect(
        .post, joining.value, at: try reader.table("joining_approved_by"), key: "value")
    }
    var evaluation: Cited<EvaluationRules>?
    if let inner = try reader.optionalTable("annual_evaluation") {
      try inner.rejectUnknownKeys(
        allowed: TOMLReader.citationKeys.union(["per", "evaluated_by", "approved_by", "published"]))
      let evaluatedBy = try inner.identifier("evaluated_by")
      let approvedBy = try inner.identifier("approved_by")
      references.expect(.body, evaluatedBy, at: inner, key: "evaluated_by")
      references.expect(.body, approvedBy, at: inner, key: "approved_by")
      let rules = EvaluationRules(
        per: try inner.choice("per", RecurrenceUnit.self), evaluatedBy: evaluatedBy,
        approvedBy: approvedBy,
        published: try inner.bool("published"))
      evaluation = Cited(rules, try inner.citation())
    }
    return WorkingGroupRules(
      meetingBody: meetingBody, kinds: kinds,
      foundingMinimum: try reader.optionalCitedInt("founding_minimum", in: 1...10_000),
      minimumMembers: try reader.optionalCitedInt("minimum_members", in: 1...10_000),
      approvingBody: approving, reviewingBody: reviewing,
      reviewNotice: try reader.optionalPeriod("review_notice"),
      rejectionNotice: try reader.optionalPeriod("rejection_notice"),
      dissolutionNotice: try reader.optionalPeriod("dissolution_notice"),
      dissolutionObjectionWindow: try reader.optionalPeriod("dissolution_objection_window"),
      dissolutionRequest: try reader.optionalThreshold("dissolution_request"),
      oneLeadershipPerPerson: try reader.optionalCitedBool("one_leadership_per_person"),
      onePostPerUnitPerGroup: try reader.optionalCitedBool("one_post_per_unit_per_group"),
      membersOnly: try reader.optionalCitedBool("members_only"), joiningApprovedBy: joining,
      annualEvaluation: evaluation, budgetRequired: try reader.optionalCitedBool("budget_required"))
  }
}
