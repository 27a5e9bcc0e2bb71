public import CharterGovernance
public import Foundation

extension WorkflowScope {
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
    guard !groups.isEmpty else { return [] }
    let parameters = try workingGroupParameters()
    var recorded: [RecordedDecision] = []
    for groupID in groups {
      guard var stored = try await WorkingGroupStore.loadGroup(groupID, on: connection) else {
        continue
      }
      let members = stored.group.members.keys.compactMap(WorkingGroupStore.uuid)
      let transition = MemberNames.naming(
        try stored.group.apply(
          .leave(WorkingGroupStore.memberID(id)),
          surroundings: WorkingGroup.Surroundings(standing: [:]), parameters: parameters,
          context: engine),
        try await MemberNames.names(of: members, on: connection))
      stored.group = transition.state
      try await WorkingGroupStore.saveGroup(stored, on: connection)
      recorded.append(
        try await record(
          transition, subject: .workingGroup(stored.group.id),
          detail: ["member": id.uuidString.lowercased(), "cause": "left the alliance"]))
    }
    return recorded
  }
}
