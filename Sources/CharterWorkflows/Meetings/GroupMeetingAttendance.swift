import CharterAccounts
import CharterGovernance
import CharterPostgres
import Foundation

/// The attendance of a working group's all-member meeting (AITISA art. 10) goes to the group,
/// not to the alliance register: after 2 consecutive absences the leader must remind the
/// member, after 3 it has left the group — not the alliance — and every group member is told
/// (AITISA art. 7.6, `WorkingGroup.attendanceRecorded`).
extension WorkflowService {
  func applyGroupAttendance(
    meeting: StoredMeeting, group: UUID, roster: [RosterMember],
    attendance: [UUID: RecordedAttendance], profile: CharterProfile, scope: WorkflowScope
  ) async throws -> [String] {
    let row = try await scope.connection.query(
      "select state from charter.working_groups where id = $1 for update", [group]
    ).rows.first
    guard let row else {
      throw scope.failure(.notFound, "no working group \(group.uuidString.lowercased())")
    }
    let state = try EngineState.decode(
      WorkingGroup.self, from: try row.decode(0, as: PostgresJSON.self),
      row: "working group \(group)")
    let parameters: WorkingGroupParameters
    do {
      parameters = try WorkingGroupParameters(profile: profile, extensions: .forMeetings)
    } catch {
      throw scope.failure(.conflict, "the charter has no working-group rules: \(error)")
    }
    var marks: [MemberID: AttendanceStatus] = [:]
    for member in roster { marks[member.engineID] = attendance[member.id]?.engine ?? .absent }
    let transition = try state.apply(
      .attendanceRecorded(activity: "meeting:\(meeting.engineID)", marks: marks),
      surroundings: WorkingGroup.Surroundings(standing: [:]), parameters: parameters,
      context: scope.engine)
    try await scope.connection.query(
      """
      update charter.working_groups set state = $2, revision = revision + 1, updated_at = now()
      where id = $1
      """, [group, try EngineState.encode(transition.state)])
    let left = roster.filter {
      state.members[$0.engineID] != nil && transition.state.members[$0.engineID] == nil
    }
    if !left.isEmpty {
      try await scope.connection.query(
        "delete from charter.working_group_members where group_id = $1 and member_id = any($2)",
        [group, left.map(\.id)])
    }
    let recorded = try await scope.record(
      transition, subject: .workingGroup(state.id),
      detail: ["meeting": meeting.engineID.rawValue, "left": String(left.count)])
    let article = parameters.absence.article
    var lines = left.map { "consequence: \($0.name): left the group (\(article))" }
    let names = Dictionary(uniqueKeysWithValues: roster.map { ($0.engineID, $0.name) })
    for notice in transition.notices where notice.kind == .reminder {
      for case .memberContact(let member) in notice.recipients {
        lines.append(
          "reminder: \(names[member] ?? member.rawValue): \(notice.summaryZh) (\(article))")
      }
    }
    return lines + recorded.warnings.map { "warning: \($0)" }
  }
}

extension WorkingGroupExtensions {
  /// What the attendance of a group meeting needs of the settings the profile does not carry
  /// yet: none of them is used by it (they concern applications, renaming and activity rules),
  /// so the documented defaults are passed.
  static let forMeetings = WorkingGroupExtensions(
    reviewReminderLead: Ruled(2, Article("AITISA art. 4.2", interpretation: true)),
    renameArticle: Article("AITISA art. 5"), activityRulesArticle: Article("AITISA art. 14"))
}
