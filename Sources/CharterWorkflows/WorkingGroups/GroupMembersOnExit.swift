public import CharterGovernance
public import Foundation

/// What other workflows do to working groups, in their own transaction: the membership
/// workflow when a unit leaves the alliance, the meetings workflow when a meeting of a working
/// group records attendance.
extension WorkflowScope {
  /// Applies one event to working group `id` (locked), saves it with its projection and
  /// records it; notices name member units by name. `standingOf` are the units whose standing
  /// in the alliance the event needs (joining, posts).
  @discardableResult
  public func applyToWorkingGroup(
    _ id: UUID, _ event: WorkingGroup.Event, standingOf units: [UUID] = [],
    detail: [String: String] = [:]
  ) async throws -> RecordedDecision {
    let parameters = try workingGroupParameters()
    var stored = try await requireGroup(id)
    let members = stored.group.members.keys.compactMap(WorkingGroupStore.uuid)
    let transition = MemberNames.naming(
      try stored.group.apply(
        event,
        surroundings: WorkingGroup.Surroundings(
          standing: try await WorkingGroupStore.standing(of: units, on: connection)),
        parameters: parameters, context: engine),
      try await MemberNames.names(of: members + units, on: connection))
    stored.group = transition.state
    try await WorkingGroupStore.saveGroup(stored, on: connection)
    return try await record(transition, subject: .workingGroup(stored.group.id), detail: detail)
  }

  /// A unit that is no longer a member of the alliance (exit, automatic exit, expulsion,
  /// licence revocation) leaves every active working group it is in, since only alliance
  /// members belong to groups (AITISA art. 7.1); each group is told, and the secretariat when
  /// a group falls below its minimum. For the membership workflow to call in the transaction
  /// that ends the membership. Returns one recorded decision per group left.
  @discardableResult
  public func removeFromWorkingGroups(member id: UUID) async throws -> [RecordedDecision] {
    let groups = try await connection.query(
      """
      select g.id from charter.working_group_members m
      join charter.working_groups g on g.tenant_id = m.tenant_id and g.id = m.group_id
      where m.member_id = $1 and g.status = 'active' order by g.id
      """, [id]
    ).rows.map { try $0.decode(0, as: UUID.self) }
    var recorded: [RecordedDecision] = []
    for group in groups {
      recorded.append(
        try await applyToWorkingGroup(
          group, .leave(WorkingGroupStore.memberID(id)),
          detail: ["member": id.uuidString.lowercased(), "cause": "left the alliance"]))
    }
    return recorded
  }

  /// The attendance of a meeting or activity of working group `id` (AITISA art. 7.6): marks
  /// per member unit; units of the group not marked are left as they were. A reminder at
  /// the 2nd consecutive absence, automatic leave at the 3rd, announced to the group.
  @discardableResult
  public func recordWorkingGroupAttendance(
    _ id: UUID, activity: String, marks: [UUID: AttendanceStatus]
  ) async throws -> RecordedDecision {
    var engineMarks: [MemberID: AttendanceStatus] = [:]
    for (member, status) in marks { engineMarks[WorkingGroupStore.memberID(member)] = status }
    return try await applyToWorkingGroup(
      id, .attendanceRecorded(activity: activity, marks: engineMarks),
      detail: ["activity": activity])
  }
}
