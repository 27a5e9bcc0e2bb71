import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterProtocol
import Foundation

/// Meetings, attendance and votes (issue 5, RULES.md §5): the commands of
/// AdminCommands+Meetings.swift and the `meetingNotice` deadline (RULES.md §8, DTPC art. 20).
/// One concern per file: scheduling and notice, attendance and closing, votes, reading.
extension WorkflowService {
  var meetingCommands: [(String, Handler)] {
    [
      ("MEETING SCHEDULE", { try await self.meetingSchedule($0) }),
      ("MEETING NOTICE", { try await self.meetingNotice($0) }),
      ("MEETING CANCEL", { try await self.meetingCancel($0) }),
      ("MEETING ATTENDANCE", { try await self.meetingAttendance($0) }),
      ("MEETING HOLD", { try await self.meetingHold($0) }),
      ("MEETING MINUTES", { try await self.meetingMinutes($0) }),
      ("MEETING LIST", { try await self.meetingList($0) }),
      ("MEETING SHOW", { try await self.meetingShow($0) }),
      ("MOTION VOTE", { try await self.motionVote($0) }),
    ]
  }

  var meetingDeadlines: [(DeadlineKind, DeadlineHandler)] {
    [(.meetingNotice, { scope, job in try await self.meetingNoticeOverdue(scope, job) })]
  }
}

/// What the meeting commands share: finding the meeting and its body, and the checks of the
/// stage a meeting is in.
extension WorkflowScope {
  /// The meeting `id` (locked), or NOT_FOUND.
  func meeting(_ id: UUID) async throws -> StoredMeeting {
    guard let meeting = try await MeetingStore.load(id, on: connection) else {
      throw failure(.notFound, "no meeting \(id.uuidString.lowercased())")
    }
    return meeting
  }

  /// The body of the charter in force that `meeting` is a meeting of.
  func body(of meeting: StoredMeeting) throws -> Body {
    guard let body = try profile().body(meeting.body) else {
      throw failure(
        .conflict, "the charter in force has no body \(meeting.body) any more (amended?)")
    }
    return body
  }

  /// Refuses unless the meeting is still open (scheduled or noticed, not held or cancelled)
  /// and its day has come: attendance and votes are taken at the meeting.
  func requireOpenMeeting(_ meeting: StoredMeeting, for what: String) throws {
    guard meeting.status == "scheduled" || meeting.status == "notice_sent" else {
      throw failure(
        .conflict,
        "meeting \(meeting.id.uuidString.lowercased()) is \(meeting.status); \(what) only while it is open"
      )
    }
    guard engine.today >= meeting.day else {
      throw failure(
        .conflict,
        "meeting \(meeting.id.uuidString.lowercased()) is on \(meeting.day); \(what) from that day")
    }
  }
}
