import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// MEETING ATTENDANCE and MEETING HOLD: how each member of the body took part (RULES.md §5:
/// present, by proxy with its holder, by correspondence, excused, absent), and the closing of
/// the meeting, which makes the attendance final and applies its consequences at once
/// (RULES.md §8): a reminder, an automatic exit, a downgrade (AII art. 13) or the loss of a
/// seat (DTPC art. 19), as the charter's absence rules of the body say.
extension WorkflowService {
  func meetingAttendance(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let id = try meetingArgument(context)
    guard let memberText = arguments.string("member"), let member = UUID(uuidString: memberText)
    else { throw CommandFailure.failure(.badArguments, "missing <member>") }
    let status = arguments.string("status") ?? ""
    let holder = arguments.string("holder").flatMap { UUID(uuidString: $0) }
    guard (status == "proxy") == (holder != nil) else {
      throw CommandFailure.failure(
        .badArguments,
        status == "proxy"
          ? "a proxy needs holder=<member>, the member holding the written proxy"
          : "holder= is for a proxy only")
    }
    guard holder != member else {
      throw CommandFailure.failure(.badArguments, "a member cannot hold its own proxy")
    }
    return try await change(context) { scope in
      let meeting = try await scope.meeting(id)
      try scope.requireOpenMeeting(meeting, for: "attendance is recorded")
      let body = try scope.body(of: meeting)
      let roster = try await BodyRoster.members(of: body, group: meeting.group, scope: scope)
      guard let seated = roster.first(where: { $0.id == member }) else {
        throw scope.failure(
          .conflict, "member \(memberText) does not sit in \(body.id) (\(body.name))")
      }
      var holderName: String?
      if let holder {
        holderName = try await scope.connection.query(
          """
          select name from charter.members
          where id = $1 and status in ('member', 'exit_pending', 'suspended')
          """, [holder]
        ).rows.first?.decode(0, as: String.self)
        guard holderName != nil else {
          throw scope.failure(
            .notFound, "no current member \(holder.uuidString.lowercased()) to hold the proxy")
        }
      }
      try await scope.connection.query(
        """
        insert into charter.meeting_attendance
            (tenant_id, meeting_id, member_id, status, proxy_holder_id)
        values (charter.current_tenant(), $1, $2, $3, $4)
        on conflict (tenant_id, meeting_id, member_id) do update
            set status = excluded.status, proxy_holder_id = excluded.proxy_holder_id,
                recorded_at = now()
        """, [meeting.id, member, status, holder])
      let shown = holderName.map { "\(status) (held by \($0))" } ?? status
      return CommandOutcome(
        reply: .ok("attendance of \(seated.name) at meeting \(meeting.engineID): \(shown)"))
    }
  }

  func meetingHold(_ context: CommandContext) async throws -> CommandOutcome {
    let id = try meetingArgument(context)
    return try await change(context) { scope in
      var meeting = try await scope.meeting(id)
      try scope.requireOpenMeeting(meeting, for: "it is held")
      let profile = try scope.profile()
      let body = try scope.body(of: meeting)
      let state = meeting.state
      // The same rule as for its votes: a meeting whose notice period was neither met nor
      // overridden with a recorded reason is not held (DTPC art. 20).
      if let latest = state.latestNoticeDay, state.noticeOverride == nil,
        state.noticeSentOn.map({ $0 > latest }) ?? true
      {
        throw Refusal(
          "noticeNotGiven", Article(body.notice?.citation ?? body.citation),
          zh: "会议通知未于 \(latest) 前发出，且未记录理由，不能召开",
          en: "the notice was not sent by \(latest) and no override was recorded")
      }
      let roster = try await BodyRoster.members(of: body, group: meeting.group, scope: scope)
      // Members of the body with no attendance recorded were absent.
      try await scope.connection.query(
        """
        insert into charter.meeting_attendance (tenant_id, meeting_id, member_id, status)
        select charter.current_tenant(), $1, m, 'absent' from unnest($2::uuid[]) m
        on conflict do nothing
        """, [meeting.id, roster.map(\.id)])
      let attendance = try await Self.attendance(of: meeting.id, scope: scope)
      meeting.status = "held"
      try await MeetingStore.save(meeting, on: scope.connection)

      var counts: [String: Int] = [:]
      for member in roster { counts[attendance[member.id]?.word ?? "absent", default: 0] += 1 }
      let summary = ["present", "proxy", "correspondence", "excused", "absent"].map {
        "\($0) \(counts[$0] ?? 0)"
      }.joined(separator: ", ")
      let held = try await scope.record(
        Transition(state: meeting.state, decision: Decision("meetingHeld", Article(body.citation))),
        subject: .meeting(meeting.engineID),
        detail: ["members": String(roster.count), "attendance": summary])
      var lines = [
        "meeting: \(meeting.engineID)", "members: \(roster.count)", "attendance: \(summary)",
      ]
      lines += held.replyLines
      if let group = meeting.group {
        lines += try await applyGroupAttendance(
          meeting: meeting, group: group, roster: roster, attendance: attendance,
          profile: profile, scope: scope)
      } else {
        lines += try await applyAttendanceConsequences(
          meeting: meeting, body: body, roster: roster, attendance: attendance, profile: profile,
          scope: scope)
      }
      lines += try await recordActivity(
        meeting: meeting, roster: roster, attendance: attendance, profile: profile, scope: scope)
      return CommandOutcome(
        reply: .text(lines, status: .ok("meeting \(meeting.engineID) held")))
    }
  }

  /// Feeds each member's attendance to its register entry (`MemberRecord.attendanceRecorded`)
  /// when the charter has absence rules for the body, and records what follows: the streak,
  /// and at its count a reminder, an automatic exit, a downgrade or the loss of the seat, each
  /// with its register entry and announcement. Returns a reply line per consequence.
  private func applyAttendanceConsequences(
    meeting: StoredMeeting, body: Body, roster: [RosterMember],
    attendance: [UUID: RecordedAttendance], profile: CharterProfile, scope: WorkflowScope
  ) async throws -> [String] {
    let rules = profile.membership.absenceRules(for: body.id)
    guard !rules.isEmpty else { return [] }
    var lines: [String] = []
    for member in roster {
      guard var stored = try await MemberStore.load(member.id, on: scope.connection),
        let record = stored.record
      else { continue }
      let status = attendance[member.id]?.engine ?? .absent
      let transition = try record.apply(
        .attendanceRecorded(body: body.id, status: status), profile: profile,
        context: scope.engine)
      // A member whose tier no rule of the body watches (AII art. 13: director units and up).
      if transition.decision.code == "noAbsenceRule" { continue }
      stored.record = transition.state
      try await MemberStore.save(stored, on: scope.connection)
      let streak = transition.state.absenceStreaks[body.id] ?? 0
      try await Self.memberStandingChanged(stored, transition: transition, scope: scope)
      let recorded = try await scope.record(
        transition, subject: .member(member.engineID),
        detail: [
          "meeting": meeting.engineID.rawValue, "body": body.id,
          "attendance": attendance[member.id]?.word ?? "absent",
          "streak": String(record.absenceStreaks[body.id] ?? 0) + "->" + String(streak),
        ])
      let article = transition.decision.article
      let cause =
        "\(article): absent from \(record.absenceStreaks[body.id].map { $0 + 1 } ?? 1) consecutive meetings of \(body.id), the last \(meeting.day) (meeting \(meeting.engineID))"
      let event: String?
      switch transition.decision.code {
      case "downgraded": event = "downgraded"
      case "seatLost": event = "seat_lost"
      case "membershipEnded": event = "automatic_exit"
      default: event = nil
      }
      if let event {
        try await MemberStore.appendRegister(
          stored, event: event, effectiveOn: scope.engine.today, cause: cause, scope: scope,
          detail: [
            "meeting": meeting.engineID.rawValue, "body": body.id, "from_tier": record.tier,
          ])
        if event == "seat_lost" {
          try await scope.connection.query(
            """
            update charter.body_seats set ended_on = $3::date
            where body = $1 and member_id = $2 and ended_on is null
            """, [body.id, member.id, scope.engine.today.description])
        }
        var line =
          "consequence: \(member.name): \(event.replacingOccurrences(of: "_", with: " ")) (\(article))"
        if event == "downgraded" { line += " \(record.tier) -> \(transition.state.tier)" }
        lines.append(line)
        lines += recorded.warnings.map { "warning: \($0)" }
      } else if !transition.notices.isEmpty {
        lines.append("reminder: \(member.name): \(streak) consecutive absences (\(article))")
      }
    }
    return lines
  }

  /// Taking part in a meeting is taking part in an activity (DTPC art. 16(2): a member that
  /// joins no activity for 2 years is deemed to have left): each member present, represented
  /// or voting by correspondence gets `activityRecorded`, which moves its inactivity deadline.
  private func recordActivity(
    meeting: StoredMeeting, roster: [RosterMember], attendance: [UUID: RecordedAttendance],
    profile: CharterProfile, scope: WorkflowScope
  ) async throws -> [String] {
    guard profile.membership.inactivity != nil else { return [] }
    var count = 0
    for member in roster {
      switch attendance[member.id]?.engine {
      case .present, .proxy, .correspondence: break
      case .excused, .absent, .none: continue
      }
      guard var stored = try await MemberStore.load(member.id, on: scope.connection),
        let record = stored.record, record.isMember
      else { continue }
      let transition = try record.apply(.activityRecorded, profile: profile, context: scope.engine)
      stored.record = transition.state
      try await MemberStore.save(stored, on: scope.connection)
      try await scope.record(
        transition, subject: .member(member.engineID),
        detail: ["meeting": meeting.engineID.rawValue])
      count += 1
    }
    let article = profile.membership.inactivity.map { Article($0.citation).description } ?? ""
    return ["activity recorded: \(count) member\(count == 1 ? "" : "s") (\(article))"]
  }

  /// The attendance recorded for a meeting, by member.
  static func attendance(of meeting: UUID, scope: WorkflowScope) async throws
    -> [UUID: RecordedAttendance]
  {
    let result = try await scope.connection.query(
      """
      select member_id, status, proxy_holder_id from charter.meeting_attendance
      where meeting_id = $1
      """, [meeting])
    var entries: [UUID: RecordedAttendance] = [:]
    for row in result.rows {
      let word = try row.decode(1, as: String.self)
      let holder = try row.decode(2, as: UUID?.self)
      guard let entry = RecordedAttendance(word: word, holder: holder) else {
        throw WorkflowError.corrupt("meeting \(meeting): attendance \(word)")
      }
      entries[try row.decode(0, as: UUID.self)] = entry
    }
    return entries
  }
}

/// One row of charter.meeting_attendance, and the engine's view of it.
struct RecordedAttendance: Sendable, Hashable {
  let word: String
  let holder: UUID?
  let engine: AttendanceStatus

  init?(word: String, holder: UUID?) {
    self.word = word
    self.holder = holder
    switch word {
    case "present": engine = .present
    case "proxy":
      guard let holder else { return nil }
      engine = .proxy(holder: holder.uuidString.lowercased())
    case "correspondence": engine = .correspondence
    case "excused": engine = .excused
    case "absent": engine = .absent
    default: return nil
    }
  }
}
