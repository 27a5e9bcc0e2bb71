import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// MEMBER APPLY / REVIEW / DECIDE / FILE / APPLICATIONS: admission as the tenant's profile
/// orders it (AII art. 11: secretariat review, then the standing council; DTPC art. 10–11:
/// review, then filing; tjsia-ai §2: the parent association's membership first). The engine
/// says which step is next; a step out of order is refused with its article.
extension WorkflowService {
  func memberApply(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    guard let kind = MemberKind(rawValue: arguments.string("kind") ?? "") else {
      throw CommandFailure.failure(.badArguments, "<kind> is unit or individual")
    }
    let name = (arguments.string("name") ?? "").trimmingCharacters(in: .whitespaces)
    guard (1...300).contains(name.count) else {
      throw CommandFailure.failure(.badArguments, "<name> must have 1 to 300 characters")
    }
    let credit = arguments.string("credit").map(Self.normalisedCreditCode)
    if kind == .unit {
      guard let credit, Self.isCreditCode(credit) else {
        throw CommandFailure.failure(
          .badArguments,
          "a unit applies with credit=<统一社会信用代码>, 18 letters and digits; it finds a unit that left before"
        )
      }
    }
    let email = arguments.string("email")
    if let email, !Self.looksLikeEmail(email) {
      throw CommandFailure.failure(.badArguments, "email=\(email) is not an e-mail address")
    }
    let born = arguments.civilDate("born")

    return try await change(context) { scope in
      let profile = try scope.profile()
      let tier = arguments.string("tier") ?? profile.tiers.first?.id ?? ""
      // A unit is one row for good: a new application finds its row, and so how it left.
      var memberID = UUID()
      var previous: MembershipApplication.PreviousLeaving?
      var existing: StoredMember?
      if let credit {
        let row = try await scope.connection.query(
          "select id from charter.members where credit_code = $1 for update", [credit]
        ).rows.first
        if let id = try row?.decode(0, as: UUID.self) {
          existing = try await MemberStore.load(id, on: scope.connection)
        }
      }
      if let existing {
        memberID = existing.id
        switch existing.status {
        case "applicant":
          throw scope.failure(
            .conflict, "\(existing.name) has an application under way (MEMBER APPLICATIONS)")
        case "member", "exit_pending", "suspended":
          throw scope.failure(
            .conflict,
            "\(existing.name) is a member (\(existing.status)); see MEMBER SHOW \(existing.id.uuidString.lowercased())"
          )
        default:
          if let record = existing.record, case .left(let how, let on) = record.status {
            previous = .init(kind: how, on: on)
          }
        }
        try await scope.connection.query(
          """
          update charter.members
          set name = $2, contact_name = $3, contact_email = $4, contact_phone = $5,
              representative_name = $6, representative_title = $7, representative_rank = $8,
              representative_birth_date = $9::date, status = 'applicant', joined_on = null,
              left_on = null, updated_at = now()
          where id = $1
          """,
          [
            memberID, name, arguments.string("contact"), email, arguments.string("phone"),
            arguments.string("representative"), arguments.string("title"),
            arguments.string("rank"), born?.description,
          ])
      } else {
        try await scope.connection.query(
          """
          insert into charter.members
              (tenant_id, id, kind, name, credit_code, contact_name, contact_email, contact_phone,
               representative_name, representative_title, representative_rank,
               representative_birth_date, status)
          values (charter.current_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date,
                  'applicant')
          """,
          [
            memberID, kind.rawValue, name, credit, arguments.string("contact"), email,
            arguments.string("phone"), arguments.string("representative"),
            arguments.string("title"), arguments.string("rank"), born?.description,
          ])
      }

      var parentMembership: Bool?
      if let parent = profile.membership.parent, parent.appliesTo.contains(kind), let credit {
        parentMembership = try await self.isParentMember(creditCode: credit, scope: scope)
      }
      let applicationID = UUID()
      let transition = try MembershipApplication.receive(
        id: CaseID(applicationID.uuidString.lowercased()),
        applicant: MemberID(memberID.uuidString.lowercased()), kind: kind, tier: tier,
        previousLeaving: previous, parentMembership: parentMembership, profile: profile,
        context: scope.engine)
      // AII art. 14(5), DTPC art. 14(8): a member names a contact person who receives the
      // secretariat's notices; checked after the engine's own rules, which come first.
      if let rule = profile.membership.contactPersonRequired, rule.value, kind == .unit,
        arguments.string("contact") == nil || email == nil
      {
        throw Refusal(
          "contactPersonRequired", Article(rule.citation), zh: "申请单位须指定联络人（contact=、email=）",
          en: "the applicant must name a contact person (contact=, email=)")
      }
      try await scope.connection.query(
        """
        insert into charter.membership_applications
            (tenant_id, id, member_id, stage, received_on, state)
        values (charter.current_tenant(), $1, $2, $3, $4::date, $5)
        """,
        [
          applicationID, memberID, Self.stage(of: transition.state),
          scope.engine.today.description, try EngineState.encode(transition.state),
        ])
      let recorded = try await scope.record(
        transition, subject: .member(MemberID(memberID.uuidString.lowercased())),
        detail: ["application": applicationID.uuidString.lowercased(), "name": name])
      let applicant = StoredMember(
        id: memberID, name: name, kind: kind, contactEmail: email, record: nil,
        status: "applicant", revision: 0)
      try await MemberStore.appendRegister(
        applicant, event: "applied", effectiveOn: scope.engine.today,
        cause: "application \(applicationID.uuidString.lowercased()) for tier \(tier)",
        scope: scope, detail: ["decision": String(recorded.decisionID)])
      var lines = try await self.settle(transition.state, memberID: memberID, scope: scope)
      lines.insert("application: \(applicationID.uuidString.lowercased())", at: 0)
      lines.insert("member: \(memberID.uuidString.lowercased()) \(name)", at: 1)
      return CommandOutcome(
        reply: .text(
          lines + recorded.replyLines,
          status: .ok("application \(applicationID.uuidString.lowercased()) received")))
    }
  }

  func memberReview(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let passed = arguments.string("outcome") == "passed"
    return try await applicationStep(context) { _ in
      .preliminaryReview(passed: passed, reasons: arguments.string("reasons"))
    }
  }

  func memberDecide(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let approved = arguments.string("outcome") == "approved"
    let body = arguments.string("body") ?? ""
    return try await applicationStep(context) { _ in
      .bodyDecided(body: body, approved: approved, reasons: arguments.string("reasons"))
    }
  }

  func memberFile(_ context: CommandContext) async throws -> CommandOutcome {
    let body = context.invocation.arguments.string("body")
    return try await applicationStep(context) { step in
      .filed(body: body ?? step?.body ?? "")
    }
  }

  /// Applies one admission step to the application of the command's `application` argument.
  private func applicationStep(
    _ context: CommandContext,
    _ event: @escaping @Sendable (AdmissionStep?) -> MembershipApplication.Event
  ) async throws -> CommandOutcome {
    let id = UUID(uuidString: context.invocation.arguments.string("application") ?? "") ?? UUID()
    return try await change(context) { scope in
      let profile = try scope.profile()
      let row = try await scope.connection.query(
        "select member_id, state from charter.membership_applications where id = $1 for update",
        [id]
      ).rows.first
      guard let row else {
        throw scope.failure(.notFound, "no application \(id.uuidString.lowercased())")
      }
      let memberID = try row.decode(0, as: UUID.self)
      let application = try EngineState.decode(
        MembershipApplication.self, from: try row.decode(1, as: PostgresJSON.self),
        row: "application \(id)")
      var step: AdmissionStep?
      if case .awaiting(let index) = application.stage,
        index < profile.membership.admission.steps.count
      {
        step = profile.membership.admission.steps[index]
      }
      let transition = try application.apply(event(step), profile: profile, context: scope.engine)
      try await scope.connection.query(
        """
        update charter.membership_applications
        set state = $2, stage = $3, revision = revision + 1, updated_at = now()
        where id = $1
        """, [id, try EngineState.encode(transition.state), Self.stage(of: transition.state)])
      let recorded = try await scope.record(
        transition, subject: .member(MemberID(memberID.uuidString.lowercased())),
        detail: ["application": id.uuidString.lowercased()])
      var lines = try await self.settle(
        transition.state, memberID: memberID, scope: scope, decisionID: recorded.decisionID)
      lines.insert("application: \(id.uuidString.lowercased())", at: 0)
      return CommandOutcome(
        reply: .text(
          lines + recorded.replyLines,
          status: .ok("application \(id.uuidString.lowercased()): \(transition.decision.code)")))
    }
  }

  /// After a step: an admitted applicant gets its MemberRecord and the register entry
  /// 'admitted'; a refused one the entry 'refused'. Answers the lines saying where the
  /// application stands and which step is next.
  private func settle(
    _ application: MembershipApplication, memberID: UUID, scope: WorkflowScope,
    decisionID: Int64? = nil
  ) async throws -> [String] {
    let profile = try scope.profile()
    switch application.stage {
    case .awaiting(let index):
      let steps = profile.membership.admission.steps
      guard index < steps.count else { return ["stage: awaiting"] }
      let step = steps[index]
      let by = step.body.map { " by \($0)" } ?? ""
      return ["next: \(step.kind.rawValue)\(by) (\(step.citation.article))"]
    case .admitted(let day):
      guard var member = try await MemberStore.load(memberID, on: scope.connection) else {
        throw WorkflowError.corrupt("application of a missing member \(memberID)")
      }
      member.record = application.admittedMember()
      try await MemberStore.save(member, on: scope.connection, today: day)
      var detail: [String: String] = ["application": application.id.rawValue]
      if let decisionID { detail["decision"] = String(decisionID) }
      try await MemberStore.appendRegister(
        member, event: "admitted", effectiveOn: day,
        cause:
          "admitted as \(application.tier) (\(profile.membership.admission.steps.last?.citation.article ?? ""))",
        scope: scope, detail: detail)
      var lines = ["stage: admitted on \(day) as \(application.tier)"]
      // zgc-ai fee rules: this year's fee reminder of the new member.
      try await Self.scheduleFeeReminder(
        scope, member: member.engineID, tier: application.tier)
      // DTPC art. 16(2): the two years without activity count from admission.
      if profile.membership.inactivity != nil {
        let started = try await Self.applyMemberEvent(
          .activityRecorded, to: memberID, scope: scope, cause: "admission")
        lines += started.recorded.replyLines.map { "then \($0)" }
      }
      return lines
    case .refused(let day, let reasons):
      let member = try await MemberStore.load(memberID, on: scope.connection)
      // A former member refused again stays former; a new applicant becomes 'refused'.
      let status = member?.record.map(MemberStore.status(of:)) ?? "refused"
      try await scope.connection.query(
        "update charter.members set status = $2, updated_at = now() where id = $1",
        [memberID, status])
      if var member {
        member.status = status
        member.record = nil
        try await MemberStore.appendRegister(
          member, event: "refused", effectiveOn: day, cause: reasons, scope: scope,
          detail: ["application": application.id.rawValue])
      }
      return ["stage: refused on \(day): \(reasons)"]
    }
  }

  func memberApplications(_ context: CommandContext) async throws -> CommandOutcome {
    let page = try ListingPage(context)
    let stage = context.invocation.arguments.string("stage")
    return try await read(context) { scope in
      let profile = try scope.profile()
      var conditions = ["a.tenant_id = charter.current_tenant()"]
      var values: [any PostgresEncodable] = []
      if let stage {
        values.append(stage)
        conditions.append("a.stage = $\(values.count)")
      }
      if let after = page.after, after.count == 2, let id = UUID(uuidString: after[1]) {
        values.append(after[0])
        values.append(id)
        conditions.append("(a.received_on, a.id) > ($\(values.count - 1)::date, $\(values.count))")
      }
      values.append(page.limit)
      let result = try await scope.connection.query(
        """
        select a.id, a.member_id, m.name, m.kind, a.stage, a.received_on::text, a.state
        from charter.membership_applications a
        join charter.members m on m.tenant_id = a.tenant_id and m.id = a.member_id
        where \(conditions.joined(separator: " and "))
        order by a.received_on, a.id limit $\(values.count)
        """, values)
      var rows: [[String]] = []
      var lastKey: [String]?
      for row in result.rows {
        let id = try row.decode(0, as: UUID.self).uuidString.lowercased()
        let application = try EngineState.decode(
          MembershipApplication.self, from: try row.decode(6, as: PostgresJSON.self),
          row: "application \(id)")
        var next = ""
        if case .awaiting(let index) = application.stage,
          index < profile.membership.admission.steps.count
        {
          let step = profile.membership.admission.steps[index]
          next = step.kind.rawValue + (step.body.map { " by \($0)" } ?? "")
        }
        let received = try row.decode(5, as: String.self)
        rows.append([
          id, try row.decode(1, as: UUID.self).uuidString.lowercased(),
          try row.decode(2, as: String.self), try row.decode(3, as: String.self),
          application.tier, try row.decode(4, as: String.self), next, received,
        ])
        lastKey = [received, id]
      }
      return CommandOutcome(
        reply: .table(
          columns: ["application", "member", "name", "kind", "tier", "stage", "next", "received"],
          rows: rows,
          status: .ok(page.status(count: rows.count, noun: "application", lastKey: lastKey))))
    }
  }

  static func stage(of application: MembershipApplication) -> String {
    switch application.stage {
    case .awaiting: "awaiting"
    case .admitted: "admitted"
    case .refused: "refused"
    }
  }

  /// 统一社会信用代码 as stored: upper case, no spaces.
  static func normalisedCreditCode(_ text: String) -> String {
    text.uppercased().filter { !$0.isWhitespace }
  }

  /// 18 characters of digits and upper-case letters (GB 32100-2015; the check digit is not
  /// verified: registers carry codes copied by hand, and a wrong one is found by the parent).
  static func isCreditCode(_ text: String) -> Bool {
    text.count == 18
      && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("A"..."Z").contains($0) }
  }

  static func looksLikeEmail(_ text: String) -> Bool {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
      && !text.contains(where: { $0.isWhitespace })
  }
}
