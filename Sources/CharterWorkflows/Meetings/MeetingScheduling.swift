import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterDelivery
import CharterGovernance
import CharterPostgres
import CharterProtocol
import CharterScheduler
import Foundation

/// MEETING SCHEDULE, NOTICE and CANCEL, and the `meetingNotice` deadline: a meeting of a body
/// with its notice period (DTPC art. 20: the agenda 15 days before), the notice with an
/// iCalendar invitation, and the escalation when the notice was not sent in time.
extension WorkflowService {
  func meetingSchedule(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let bodyID = arguments.string("body") ?? ""
    guard let day = arguments.civilDate("date") else {
      throw CommandFailure.failure(.badArguments, "missing <date>")
    }
    let title = arguments.string("title") ?? ""
    let mode = arguments.string("mode") ?? "in_person"
    let start = try ClockTime.minutes(arguments.string("start") ?? "09:00", option: "start")
    let end =
      try arguments.string("end").map { try ClockTime.minutes($0, option: "end") }
      ?? min(start + 180, 23 * 60 + 59)
    guard end > start else {
      throw CommandFailure.failure(.badArguments, "end=\(ClockTime.text(end)) is not after start")
    }
    guard title.count <= 300, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw CommandFailure.failure(.badArguments, "<title> must have 1 to 300 characters")
    }
    let location = arguments.string("location")
    let agenda = arguments.string("agenda") ?? ""
    let override = arguments.string("override")
    let group = arguments.string("group").flatMap { UUID(uuidString: $0) }
    return try await change(context) { scope in
      let profile = try scope.profile()
      guard let body = profile.body(bodyID) else {
        throw scope.failure(
          .notFound,
          "the charter has no body \(bodyID); bodies: \(profile.bodies.map(\.id).joined(separator: ", "))"
        )
      }
      switch body.composition.value {
      case .appointed:
        throw scope.failure(
          .conflict,
          "\(body.id) (\(body.name)) has no members in the register to notice or count; meetings are kept for bodies of members, tiers, posts or a working group"
        )
      case .workingGroupMembers:
        // AITISA art. 10: the all-member meeting of one working group.
        guard let group else {
          throw scope.failure(.badArguments, "a meeting of \(body.id) needs group=<working group>")
        }
        let active = try await scope.connection.query(
          "select status = 'active' from charter.working_groups where id = $1", [group]
        ).rows.first?.decode(0, as: Bool.self)
        guard active == true else {
          throw scope.failure(
            .notFound, "no active working group \(group.uuidString.lowercased())")
        }
      case .allMembers, .tiers, .postHolders:
        guard group == nil else {
          throw scope.failure(.badArguments, "group= is for a working group's meeting only")
        }
      }
      // The charter lists how the body may meet (AII art. 23: in person or by correspondence);
      // an online meeting is a meeting in person by video [interp].
      if let modes = body.meetingModes {
        let asCharter: MeetingMode = mode == "correspondence" ? .correspondence : .inPerson
        guard modes.value.contains(asCharter) else {
          throw Refusal(
            "meetingModeNotAllowed", Article(modes.citation),
            zh: "\(body.name)不得以该方式（\(mode)）召开",
            en: "\(body.id) may not meet \(mode.replacingOccurrences(of: "_", with: " "))")
        }
      }
      let id = UUID()
      let engineID = MeetingID(id.uuidString.lowercased())
      let transition = try Meeting.schedule(
        id: engineID, body: body.id, on: day, overrideReason: override, profile: profile,
        context: scope.engine)
      let meeting = StoredMeeting(
        id: id, group: group, title: title, mode: mode, day: day, startsAt: ClockTime.text(start),
        endsAt: ClockTime.text(end), location: location, agenda: agenda, status: "scheduled",
        minutes: nil, state: transition.state, revision: 1)
      try await MeetingStore.insert(meeting, on: scope.connection)
      var detail = ["title": title, "day": day.description, "mode": mode]
      if let reason = transition.state.noticeOverride { detail["override"] = reason }
      let recorded = try await scope.record(transition, subject: .meeting(engineID), detail: detail)
      var lines = [
        "meeting: \(engineID)",
        "body: \(body.id) (\(body.name))",
        "day: \(day) \(meeting.startsAt)-\(meeting.endsAt) (\(scope.engine.timeZone.identifier))",
      ]
      if let latest = transition.state.latestNoticeDay {
        lines.append("notice due by: \(latest)")
      }
      if let reason = transition.state.noticeOverride {
        lines.append("notice period overridden: \(reason)")
      }
      lines += recorded.replyLines
      return CommandOutcome(
        reply: .text(lines, status: .ok("meeting \(engineID) scheduled")))
    }
  }

  func meetingNotice(_ context: CommandContext) async throws -> CommandOutcome {
    let id = try meetingArgument(context)
    return try await change(context) { scope in
      var meeting = try await scope.meeting(id)
      guard meeting.status == "scheduled" else {
        let sent = meeting.state.noticeSentOn.map { " (sent on \($0))" } ?? ""
        throw scope.failure(
          .conflict,
          "meeting \(meeting.engineID) is \(meeting.status)\(sent); a notice goes out once, before the meeting"
        )
      }
      let profile = try scope.profile()
      let body = try scope.body(of: meeting)
      let roster = try await BodyRoster.members(of: body, group: meeting.group, scope: scope)
      var transition = try meeting.state.apply(.noticeSent, profile: profile, context: scope.engine)
      let recipients = Self.recipients(of: meeting, body: body, roster: roster)
      transition.notices.append(
        Self.noticeOfMeeting(
          meeting, body: body, profile: profile, recipients: recipients,
          article: transition.decision.article))
      let invitation = try Self.invitation(meeting, body: body, scope: scope)
      meeting.state = transition.state
      meeting.status = "notice_sent"
      try await MeetingStore.save(meeting, on: scope.connection)
      let recorded = try await scope.record(
        transition, subject: .meeting(meeting.engineID),
        detail: ["members": String(roster.count)], invitation: invitation)
      let lines =
        [
          "meeting: \(meeting.engineID)", "members noticed: \(roster.count)",
          "deliveries: \(recorded.deliveries)",
        ] + recorded.replyLines
      return CommandOutcome(
        reply: .text(lines, status: .ok("notice of meeting \(meeting.engineID) sent")))
    }
  }

  func meetingCancel(_ context: CommandContext) async throws -> CommandOutcome {
    let id = try meetingArgument(context)
    let reason = context.invocation.arguments.string("reason") ?? ""
    guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw CommandFailure.failure(.badArguments, "a cancellation needs its <reason>")
    }
    return try await change(context) { scope in
      var meeting = try await scope.meeting(id)
      guard meeting.status == "scheduled" || meeting.status == "notice_sent" else {
        throw scope.failure(
          .conflict,
          "meeting \(meeting.engineID) is \(meeting.status); only an open meeting is cancelled")
      }
      let profile = try scope.profile()
      let body = try scope.body(of: meeting)
      let article = Article(body.citation)
      var transition = Transition(
        state: meeting.state, decision: Decision("meetingCancelled", article))
      transition.cancelledJobKeys = ["meeting-notice:\(meeting.engineID)"]
      if meeting.status == "notice_sent" {
        let roster = try await BodyRoster.members(of: body, group: meeting.group, scope: scope)
        let recipients = Self.recipients(of: meeting, body: body, roster: roster)
        transition.notices.append(
          Notice(
            .information, to: recipients, template: "meeting.cancelled",
            parameters: ["meeting": meeting.engineID.rawValue, "reason": reason],
            zh:
              "\(profile.name)\(body.name)原定于 \(meeting.day) 召开的“\(meeting.title)”取消。原因：\(reason)",
            en:
              "The \(body.id) meeting \"\(meeting.title)\" of \(meeting.day) is cancelled: \(reason)",
            article: article))
      }
      meeting.status = "cancelled"
      try await MeetingStore.save(meeting, cancelReason: reason, on: scope.connection)
      let recorded = try await scope.record(
        transition, subject: .meeting(meeting.engineID), detail: ["reason": reason])
      return CommandOutcome(
        reply: .text(
          ["meeting: \(meeting.engineID)", "reason: \(reason)"] + recorded.replyLines,
          status: .ok("meeting \(meeting.engineID) cancelled")))
    }
  }

  /// The `meetingNotice` job: the latest notice day has ended. The engine escalates to the
  /// secretariat when the notice has not gone out (DTPC art. 20), and answers `nothingDue`
  /// when it has.
  func meetingNoticeOverdue(_ scope: WorkflowScope, _ job: DeadlineJobContext) async throws
    -> JobOutcome
  {
    guard case .meeting(let engineID) = job.subject, let id = UUID(uuidString: engineID.rawValue)
    else {
      return .fail(reason: "meetingNotice job without a meeting subject: \(job.subject)")
    }
    guard var meeting = try await MeetingStore.load(id, on: scope.connection) else {
      return .fail(reason: "meeting \(engineID) does not exist")
    }
    let transition = try meeting.state.apply(
      .noticeDeadlinePassed, profile: try scope.profile(), context: scope.engine)
    meeting.state = transition.state
    try await MeetingStore.save(meeting, on: scope.connection)
    try await scope.record(transition, subject: .meeting(engineID))
    return .done
  }

  // MARK: Notice texts

  func meetingArgument(_ context: CommandContext) throws -> UUID {
    guard let text = context.invocation.arguments.string("meeting"), let id = UUID(uuidString: text)
    else { throw CommandFailure.failure(.badArguments, "missing <meeting>") }
    return id
  }

  /// Who a meeting's notices go to: all members, a working group's members, or each member
  /// of the body's roster.
  static func recipients(of meeting: StoredMeeting, body: Body, roster: [RosterMember])
    -> [Recipient]
  {
    if let group = meeting.group {
      return [.groupMembers(WorkingGroupID(group.uuidString.lowercased()))]
    }
    if body.composition.value == .allMembers { return [.allMembers] }
    return roster.map { .memberContact($0.engineID) }
  }

  static func modeZh(_ mode: String) -> String {
    switch mode {
    case "correspondence": "通信方式"
    case "online": "线上会议"
    default: "现场会议"
    }
  }

  /// The notice of a meeting to the members of its body, with the agenda (DTPC art. 20).
  static func noticeOfMeeting(
    _ meeting: StoredMeeting, body: Body, profile: CharterProfile, recipients: [Recipient],
    article: Article
  ) -> Notice {
    let place = meeting.location.map { "，地点：\($0)" } ?? ""
    let placeEn = meeting.location.map { ", at \($0)" } ?? ""
    let agenda = meeting.agenda.isEmpty ? "" : "\n议程 / Agenda:\n\(meeting.agenda)"
    return Notice(
      .information, to: recipients, template: "meeting.notice",
      parameters: [
        "meeting": meeting.engineID.rawValue, "body": body.id, "title": meeting.title,
        "day": meeting.day.description, "start": meeting.startsAt, "end": meeting.endsAt,
        "mode": meeting.mode, "location": meeting.location ?? "", "agenda": meeting.agenda,
      ],
      zh:
        "\(profile.name)定于 \(meeting.day) \(meeting.startsAt)-\(meeting.endsAt) 召开\(body.name)会议“\(meeting.title)”（\(modeZh(meeting.mode))\(place)）。\(agenda)",
      en:
        "\(profile.nameEnglish ?? profile.id): \(body.id) meeting \"\(meeting.title)\" on \(meeting.day) \(meeting.startsAt)-\(meeting.endsAt) (\(meeting.mode.replacingOccurrences(of: "_", with: " "))\(placeEn)).",
      article: article)
  }

  /// The iCalendar invitation (RFC 5545) attached to the notice: the meeting's start and end
  /// in the tenant's zone (TZID), one UID per meeting.
  static func invitation(_ meeting: StoredMeeting, body: Body, scope: WorkflowScope) throws
    -> String
  {
    let zone = scope.engine.timeZone
    let midnight = meeting.day.startOfDay(in: zone)
    let start = try ClockTime.minutes(meeting.startsAt, option: "start")
    let end = try ClockTime.minutes(meeting.endsAt, option: "end")
    let invitation = MeetingInvitation(
      uid: "meeting-\(meeting.engineID)@\(scope.tenant.slug).charter",
      start: midnight.addingTimeInterval(Double(start * 60)),
      end: midnight.addingTimeInterval(Double(end * 60)), timeZone: zone.identifier,
      summary: "\(body.name)：\(meeting.title)", location: meeting.location,
      description: meeting.agenda.isEmpty ? nil : meeting.agenda)
    do {
      return try invitation.rendered(stamp: scope.engine.now)
    } catch {
      throw scope.failure(.conflict, "the invitation cannot be written: \(error)")
    }
  }
}
