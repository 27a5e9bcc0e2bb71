import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// MEETING MINUTES, LIST and SHOW: the archive of meetings RULES.md §5 asks for (notice,
/// agenda, attendance, motions with their counts and outcome, minutes).
extension WorkflowService {
  func meetingMinutes(_ context: CommandContext) async throws -> CommandOutcome {
    let id = try meetingArgument(context)
    let text = context.invocation.arguments.string("text") ?? ""
    guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw CommandFailure.failure(.badArguments, "the minutes are empty")
    }
    return try await change(context) { scope in
      var meeting = try await scope.meeting(id)
      guard meeting.status == "held" else {
        throw scope.failure(
          .conflict,
          "meeting \(meeting.engineID) is \(meeting.status); minutes are attached to a held meeting"
        )
      }
      let body = try scope.body(of: meeting)
      let replacing = meeting.minutes != nil
      meeting.minutes = text
      try await MeetingStore.save(meeting, on: scope.connection)
      // The decision keeps each version of the minutes: the archive is never overwritten.
      let recorded = try await scope.record(
        Transition(
          state: meeting.state,
          decision: Decision(
            replacing ? "minutesAmended" : "minutesRecorded", Article(body.citation))),
        subject: .meeting(meeting.engineID), detail: ["minutes": text])
      return CommandOutcome(
        reply: .text(
          ["meeting: \(meeting.engineID)", "characters: \(text.count)"] + recorded.replyLines,
          status: .ok(
            "minutes of meeting \(meeting.engineID) \(replacing ? "amended" : "recorded")")))
    }
  }

  func meetingList(_ context: CommandContext) async throws -> CommandOutcome {
    let page = try ListingPage(context)
    let arguments = context.invocation.arguments
    let body = arguments.string("body")
    let status = arguments.string("status")
    let cursor = try page.after.map { after -> (String, UUID) in
      guard after.count == 2, CivilDate(iso: after[0]) != nil, let id = UUID(uuidString: after[1])
      else {
        throw CommandFailure.failure(.badArguments, "after= is not a cursor of MEETING LIST")
      }
      return (after[0], id)
    }
    let afterDay = cursor?.0
    let afterID = cursor?.1
    return try await read(context) { scope in
      let result = try await scope.connection.query(
        """
        select m.id, m.held_on::text, to_char(m.starts_at, 'HH24:MI'), m.body, m.title, m.mode,
               m.status,
               coalesce(m.state->>'noticeSentOn', ''),
               (select count(*) from charter.motions o
                where o.tenant_id = m.tenant_id and o.meeting_id = m.id)::int8
        from charter.meetings m
        where ($1::text is null or m.body = $1) and ($2::text is null or m.status = $2)
          and ($3::date is null or (m.held_on, m.id) < ($3::date, $4::uuid))
        order by m.held_on desc, m.id desc
        limit $5
        """, [body, status, afterDay, afterID, page.limit])
      var rows: [[String]] = []
      var last: [String]?
      for row in result.rows {
        let id = try row.decode(0, as: UUID.self)
        let day = try row.decode(1, as: String.self)
        rows.append([
          id.uuidString.lowercased(), day, try row.decode(2, as: String.self),
          try row.decode(3, as: String.self), try row.decode(4, as: String.self),
          try row.decode(5, as: String.self), try row.decode(6, as: String.self),
          try row.decode(7, as: String.self), String(try row.decode(8, as: Int64.self)),
        ])
        last = [day, id.uuidString.lowercased()]
      }
      return CommandOutcome(
        reply: .table(
          columns: [
            "id", "day", "start", "body", "title", "mode", "status", "notice_sent", "motions",
          ],
          rows: rows,
          status: .ok(page.status(count: rows.count, noun: "meeting", lastKey: last))))
    }
  }

  func meetingShow(_ context: CommandContext) async throws -> CommandOutcome {
    let id = try meetingArgument(context)
    return try await read(context) { scope in
      guard let meeting = try await MeetingStore.load(id, on: scope.connection) else {
        throw scope.failure(.notFound, "no meeting \(id.uuidString.lowercased())")
      }
      let state = meeting.state
      var rows: [[String]] = [
        ["id", meeting.engineID.rawValue], ["body", meeting.body], ["title", meeting.title],
        ["day", meeting.day.description], ["time", "\(meeting.startsAt)-\(meeting.endsAt)"],
        ["mode", meeting.mode], ["location", meeting.location ?? ""], ["status", meeting.status],
        ["agenda", meeting.agenda],
        ["notice_due_by", state.latestNoticeDay?.description ?? ""],
        ["notice_sent", state.noticeSentOn?.description ?? ""],
        ["notice_override", state.noticeOverride ?? ""],
      ]
      let attendance = try await scope.connection.query(
        """
        select m.name, a.status, coalesce(h.name, '')
        from charter.meeting_attendance a
        join charter.members m on m.tenant_id = a.tenant_id and m.id = a.member_id
        left join charter.members h on h.tenant_id = a.tenant_id and h.id = a.proxy_holder_id
        where a.meeting_id = $1 order by m.name, m.id
        """, [meeting.id])
      for row in attendance.rows {
        let holder = try row.decode(2, as: String.self)
        let status = try row.decode(1, as: String.self)
        let name = try row.decode(0, as: String.self)
        rows.append([
          "attendance \(name)", holder.isEmpty ? status : "\(status) (held by \(holder))",
        ])
      }
      let motions = try await scope.connection.query(
        """
        select id, title, matter, ballot, arithmetic::text from charter.motions
        where meeting_id = $1 order by decided_at, id
        """, [meeting.id])
      for row in motions.rows {
        let motion = try row.decode(0, as: UUID.self).uuidString.lowercased()
        let title = try row.decode(1, as: String.self)
        let matter = try row.decode(2, as: String.self)
        let ballot = try row.decode(3, as: String.self)
        let arithmetic = try Self.arithmetic(try row.decode(4, as: String.self))
        rows.append(["motion \(motion)", "\(title) [\(matter), \(ballot)]: \(arithmetic.summary)"])
      }
      rows.append(["minutes", meeting.minutes ?? ""])
      return CommandOutcome(
        reply: .table(columns: ["field", "value"], rows: rows, status: .ok("")))
    }
  }

  private static func arithmetic(_ json: String) throws -> MotionArithmetic {
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
    var details: [String: String] = [:]
    for (key, value) in object {
      if let text = value as? String {
        details[key] = text
      } else if let number = value as? NSNumber {
        details[key] = number.stringValue
      }
    }
    return MotionArithmetic(stored: details)
  }
}

extension MotionArithmetic {
  /// The arithmetic as charter.motions.arithmetic keeps it.
  init(stored: [String: String]) { values = stored }
}
