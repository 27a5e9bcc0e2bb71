import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// Posts, elections and terms (issue 5): OFFICE ELECT / APPOINT record who takes a post after
/// the engine's eligibility checks (caps, DTPC art. 22; age, consecutive terms and
/// representative rank, tjsia-ai §5; suspension, DTPC art. 15), OFFICE END ends a term.
extension WorkflowService {
  var officeCommands: [(String, Handler)] {
    [
      ("OFFICE ELECT", { try await self.officeTake($0, appointing: false) }),
      ("OFFICE APPOINT", { try await self.officeTake($0, appointing: true) }),
      ("OFFICE END", { try await self.officeEnd($0) }),
      ("OFFICE LIST", { try await self.officeList($0) }),
      ("OFFICE HISTORY", { try await self.officeHistory($0) }),
    ]
  }

  /// `termEnd` is registered by the members part (tier terms and office terms share the
  /// kind); it hands jobs keyed `term-end:` to `officeTermEnded`.
  var officeDeadlines: [(DeadlineKind, DeadlineHandler)] { [] }

  func officeTake(_ context: CommandContext, appointing: Bool) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let postID = arguments.string("post") ?? ""
    let person = arguments.string("person") ?? ""
    let memberText = arguments.string("member")
    let birth = arguments.civilDate("birth")
    let rankWord = arguments.string("rank")
    let startArgument = arguments.civilDate("start")
    let until = arguments.civilDate("until")
    return try await change(context) { scope in
      let profile = try scope.profile()
      guard let post = profile.post(postID) else {
        let known = profile.bodies.flatMap(\.posts).map(\.id).joined(separator: ", ")
        throw scope.failure(.notFound, "the charter has no post \(postID); its posts: \(known)")
      }
      if appointing, let body = post.electedBy, post.appointedBy == nil {
        throw scope.failure(.conflict, "\(postID) is elected by \(body): use OFFICE ELECT")
      }
      if !appointing, let by = post.appointedBy, post.electedBy == nil {
        throw scope.failure(.conflict, "\(postID) is appointed by \(by): use OFFICE APPOINT")
      }
      if post.maximumAge != nil && birth == nil {
        throw scope.failure(
          .badArguments,
          "\(postID) has a maximum age (\(post.maximumAge?.citation.article ?? "")): give birth=YYYY-MM-DD"
        )
      }
      let start = startArgument ?? scope.engine.today
      let engine = scope.engine.movedToNoon(of: start)
      // One election per post at a time: the cap is counted and the term written under it.
      try await scope.connection.query(
        "select pg_advisory_xact_lock(hashtext('office:' || charter.current_tenant() || ':' || $1))",
        [postID])

      var unit: MemberID?
      var memberID: UUID?
      var standing = MemberStanding.notAMember
      if let memberText {
        guard let id = UUID(uuidString: memberText),
          let member = try await MemberStore.load(id, on: scope.connection)
        else { throw scope.failure(.notFound, "no member \(memberText)") }
        memberID = id
        standing = member.record?.standing ?? .notAMember
        if member.kind == .unit || member.record == nil { unit = member.engineID }
      }

      let serving = try await scope.connection.query(
        """
        select count(*)::int8, count(*) filter (where person_name = $2)::int8
        from charter.office_terms where post = $1 and status = 'serving'
        """, [postID, person])
      let holders = try serving.rows.first?.decode(0, as: Int64.self) ?? 0
      if try serving.rows.first?.decode(1, as: Int64.self) ?? 0 > 0 {
        throw scope.failure(.conflict, "\(person) already holds \(postID)")
      }
      let earlier = try await scope.connection.query(
        """
        select starts_on::text, ends_on::text from charter.office_terms
        where post = $1 and person_name = $2 and status = 'ended' and ends_on is not null
          and ($3::date is null or birth_date is null or birth_date = $3::date)
        """, [postID, person, birth?.description]
      ).rows.compactMap { row -> (start: CivilDate, end: CivilDate)? in
        guard let start = CivilDate(iso: try row.decode(0, as: String.self)),
          let end = CivilDate(iso: try row.decode(1, as: String.self))
        else { return nil }
        return (start, end)
      }

      let candidate = OfficeTerm.Candidate(
        person: PersonID(person), unit: unit, birthDate: birth ?? start,
        rank: rankWord.flatMap { OfficeRules.rankWords[$0] },
        consecutiveTermsHeld: OfficeRules.consecutiveTerms(before: start, earlier: earlier),
        standing: standing)
      let transition = try OfficeTerm.elect(
        candidate, to: postID, currentHolders: Int(holders), parentTermEnd: until,
        profile: profile, extensions: OfficeRules.extensions(profile), context: engine)
      let id = UUID()
      try await OfficeStore.insert(
        id: id, term: transition.state, personName: person, memberID: memberID, birthDate: birth,
        on: scope.connection)
      let recorded = try await scope.record(
        transition, subject: .person(PersonID(person)),
        detail: [
          "term": id.uuidString.lowercased(), "post": postID,
          "how": appointing ? "appointed" : "elected",
        ])
      let lastDay = transition.state.lastDay?.description ?? "no set day"
      return CommandOutcome(
        reply: .text(
          ["term \(id.uuidString.lowercased())", "post \(postID) (\(post.name))"]
            + recorded.replyLines,
          status: .ok("\(person) takes \(postID) from \(start); term until \(lastDay)")))
    }
  }

  func officeEnd(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let termText = arguments.string("term") ?? ""
    let how = arguments.string("how") ?? ""
    let reason = arguments.string("reason")
    return try await change(context) { scope in
      let event: OfficeTerm.Event
      switch how {
      case "resigned": event = .resigned
      case "term-ended": event = .termEndReached
      default:
        guard let reason, !reason.isEmpty else {
          throw scope.failure(.badArguments, "a removal needs reason=<why>")
        }
        event = .removed(reason: reason)
      }
      guard let id = UUID(uuidString: termText),
        var stored = try await OfficeStore.load(id, on: scope.connection)
      else { throw scope.failure(.notFound, "no office term \(termText)") }
      guard case .serving = stored.term.status else {
        throw scope.failure(.conflict, "term \(termText) has already ended")
      }
      let transition = try stored.term.apply(
        event, profile: try scope.profile(), context: scope.engine)
      stored.term = transition.state
      try await OfficeStore.save(stored, on: scope.connection)
      let recorded = try await scope.record(
        transition, subject: .person(stored.term.holder),
        detail: ["term": termText, "post": stored.term.post, "how": how, "reason": reason ?? ""])
      return CommandOutcome(
        reply: .text(
          recorded.replyLines,
          status: .ok(
            "\(stored.personName) leaves \(stored.term.post) on \(scope.engine.today) (\(how))")))
    }
  }
}

extension EngineContext {
  /// The same context at noon of `day` in its zone: an event recorded for a day other than
  /// today (an election held on `start=`).
  func movedToNoon(of day: CivilDate) -> EngineContext {
    var moved = self
    moved.now = day.startOfDay(in: timeZone).addingTimeInterval(12 * 3600)
    return moved
  }
}
