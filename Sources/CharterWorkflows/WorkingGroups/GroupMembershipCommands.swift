import CharterAccounts
import CharterAdminServer
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// A group's members and posts, AITISA art. 7: joining with the leader's approval, leaving,
/// leader and co-leaders, and attendance with its consequences (art. 7.6).
extension WorkflowService {
  /// Runs one `WorkingGroup` event on group `<group>` and saves it with its projection
  /// before recording, so that the transition's notices reach the members it leaves.
  func changeGroup(
    _ context: CommandContext, detail: [String: String] = [:],
    surroundingMembers: [UUID] = [], checkLeaders: Bool = false,
    before: (@Sendable (WorkflowScope, StoredWorkingGroup) async throws -> Void)? = nil,
    event: @escaping @Sendable (StoredWorkingGroup) throws -> WorkingGroup.Event,
    message: @escaping @Sendable (StoredWorkingGroup) -> String
  ) async throws -> CommandOutcome {
    guard let id = context.invocation.arguments.groupUUID("group") else {
      throw CommandFailure.failure(.badArguments, "<group> is required")
    }
    return try await change(context) { scope in
      let parameters = try scope.workingGroupParameters()
      var stored = try await scope.requireGroup(id)
      try await before?(scope, stored)
      let surroundings = WorkingGroup.Surroundings(
        standing: try await WorkingGroupStore.standing(
          of: surroundingMembers, on: scope.connection),
        leadersOfOtherGroups: checkLeaders
          ? try await WorkingGroupStore.leadersOfOtherGroups(except: id, on: scope.connection)
          : [:])
      let formerMembers = stored.group.members.keys.compactMap(WorkingGroupStore.uuid)
      let transition = MemberNames.naming(
        try stored.group.apply(
          try event(stored), surroundings: surroundings, parameters: parameters,
          context: scope.engine),
        try await MemberNames.names(of: formerMembers + surroundingMembers, on: scope.connection))
      stored.group = transition.state
      try await WorkingGroupStore.saveGroup(stored, on: scope.connection)
      let recorded = try await scope.record(
        transition, subject: .workingGroup(stored.group.id), detail: detail)
      return groupReply([recorded], message(stored))
    }
  }

  /// GROUP JOIN: art. 7.1 (alliance members only) and 7.2 (the leader approves).
  func groupJoin(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    guard let member = arguments.groupUUID("member") else {
      throw CommandFailure.failure(.badArguments, "<member> is required")
    }
    let approved = arguments.string("leader_approval") == "yes"
    return try await changeGroup(
      context,
      detail: [
        "member": member.uuidString.lowercased(), "leaderApproval": approved ? "yes" : "no",
      ],
      surroundingMembers: [member],
      event: { _ in .join(WorkingGroupStore.memberID(member), approvedByLeader: approved) },
      message: {
        "member \(member.uuidString.lowercased()) joined \($0.group.name) (\($0.group.members.count) members)"
      })
  }

  /// GROUP LEAVE: a member's freedom to leave (art. 9.3 [interp]); the group is told.
  func groupLeave(_ context: CommandContext) async throws -> CommandOutcome {
    guard let member = context.invocation.arguments.groupUUID("member") else {
      throw CommandFailure.failure(.badArguments, "<member> is required")
    }
    return try await changeGroup(
      context, detail: ["member": member.uuidString.lowercased()],
      event: { _ in .leave(WorkingGroupStore.memberID(member)) },
      message: {
        "member \(member.uuidString.lowercased()) left \($0.group.name) (\($0.group.members.count) members)"
      })
  }

  /// GROUP LEADER / GROUP CO-LEADER: art. 7.3–7.5.
  func groupLeader(_ context: CommandContext, coLeader: Bool) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    guard let member = arguments.groupUUID("member") else {
      throw CommandFailure.failure(.badArguments, "<member> is required")
    }
    let person = (arguments.string("person") ?? "").trimmingCharacters(in: .whitespaces)
    guard !person.isEmpty else {
      throw CommandFailure.failure(.badArguments, "<person> is required")
    }
    let post = WorkingGroup.LeaderPost(
      person: PersonID(person), unit: WorkingGroupStore.memberID(member))
    let title = coLeader ? "co-leader" : "leader"
    return try await changeGroup(
      context, detail: ["member": member.uuidString.lowercased(), "person": person],
      surroundingMembers: [member], checkLeaders: !coLeader,
      event: { _ in coLeader ? .appointCoLeader(post) : .appointLeader(post) },
      message: { "\(person) is \(title) of \($0.group.name)" })
  }

  /// GROUP ACTIVITY: art. 7.6. Every member not listed as absent, excused, by proxy or by
  /// correspondence was present; a reminder goes to a member at its 2nd consecutive absence,
  /// and at the 3rd it has left the group, announced to every group member. One activity
  /// (day and title) is recorded once.
  func groupActivity(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    guard let day = arguments.civilDate("day") else {
      throw CommandFailure.failure(.badArguments, "<day> is required")
    }
    let title = arguments.string("title") ?? "工作会议 working meeting"
    var listed: [(UUID, AttendanceStatus)] = []
    for (option, status) in [
      ("absent", AttendanceStatus.absent), ("excused", .excused),
      ("proxy", .proxy(holder: "书面委托 written proxy")), ("correspondence", .correspondence),
    ] {
      for id in try arguments.groupMemberIDs(option) ?? [] { listed.append((id, status)) }
    }
    let marks = listed
    let marked = Set(marks.map(\.0))
    guard marked.count == marks.count else {
      throw CommandFailure.failure(.badArguments, "a member is listed under two marks")
    }
    let activity = "\(day) \(title)"
    return try await changeGroup(
      context, detail: ["activity": activity, "day": day.description],
      before: { scope, stored in
        guard day <= scope.engine.today else {
          throw scope.failure(.badArguments, "the activity of \(day) has not taken place yet")
        }
        for id in marked where stored.group.members[WorkingGroupStore.memberID(id)] == nil {
          throw scope.failure(
            .notFound,
            "member \(id.uuidString.lowercased()) is not a member of \(stored.group.name)")
        }
        let recorded = try await scope.connection.query(
          """
          select exists (select 1 from charter.decisions
                         where subject = $1 and detail->>'activity' = $2
                           and code in ('attendanceRecorded', 'automaticLeave'))
          """, [Subject.workingGroup(stored.group.id).description, activity]
        ).scalar(as: Bool.self)
        if recorded {
          throw scope.failure(.conflict, "the attendance of \(activity) is already recorded")
        }
      },
      event: { stored in
        var all: [MemberID: AttendanceStatus] = [:]
        for member in stored.group.members.keys { all[member] = .present }
        for (id, status) in marks { all[WorkingGroupStore.memberID(id)] = status }
        return .attendanceRecorded(activity: activity, marks: all)
      },
      message: { "attendance of \(activity) recorded; \($0.group.members.count) members remain" })
  }
}
