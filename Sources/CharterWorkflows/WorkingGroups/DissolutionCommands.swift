import CharterAccounts
import CharterAdminServer
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// Dissolving a working group, AITISA art. 6: (a) at least half of its members ask, and the
/// chair's office decides; (b) the secretary-general moves it with grounds, the group is told
/// in writing within 10 days, may object within 10 days of that notice, and only then does
/// the chair's office decide. A group has at most one open case; commands name the group.
extension WorkflowService {
  /// GROUP DISSOLVE: opens the case, by the members' request or by the motion.
  func groupDissolve(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    guard let groupID = arguments.groupUUID("group") else {
      throw CommandFailure.failure(.badArguments, "<group> is required")
    }
    let requesters = try arguments.groupMemberIDs("requesters")
    let grounds = try Self.grounds(arguments.string("grounds"))
    guard (requesters == nil) != (grounds == nil) else {
      throw CommandFailure.failure(
        .badArguments,
        "give either requesters=<members> (art. 6, the members' request) or grounds=<grounds> (art. 6, the secretary-general's motion)"
      )
    }
    return try await change(context) { scope in
      let parameters = try scope.workingGroupParameters()
      let stored = try await scope.requireGroup(groupID)
      try Self.requireActive(stored, scope: scope)
      if let open = try await WorkingGroupStore.openCase(ofGroup: groupID, on: scope.connection) {
        throw scope.failure(
          .conflict,
          "\(stored.group.name) already has an open dissolution case \(open.id.uuidString.lowercased())"
        )
      }
      let id = UUID()
      let transition =
        if let requesters {
          try DissolutionCase.requestByMembers(
            id: CaseID(id.uuidString.lowercased()), group: stored.group,
            requesters: Set(requesters.map(WorkingGroupStore.memberID)), parameters: parameters,
            context: scope.engine)
        } else {
          try DissolutionCase.moveBySecretaryGeneral(
            id: CaseID(id.uuidString.lowercased()), group: stored.group, grounds: grounds ?? [],
            parameters: parameters, context: scope.engine)
        }
      try await WorkingGroupStore.insertCase(
        StoredDissolutionCase(id: id, groupID: groupID, dissolution: transition.state),
        on: scope.connection)
      let recorded = try await scope.record(
        transition, subject: .workingGroup(stored.group.id),
        detail: ["case": id.uuidString.lowercased()])
      var message = "dissolution case \(id.uuidString.lowercased()) of \(stored.group.name) opened"
      if case .moved(_, _, let due) = transition.state.stage {
        message += "; written notice due \(due)"
      } else {
        message += "; the chair's office decides"
      }
      return groupReply([recorded], message)
    }
  }

  /// GROUP DISSOLVE-NOTICE: the written notice of the motion was sent; the objection window
  /// runs from that day.
  func groupDissolveNotice(_ context: CommandContext) async throws -> CommandOutcome {
    try await changeCase(context, event: .noticeSent) { stored, _ in
      if case .noticeGiven(_, _, let closes, _) = stored.dissolution.stage {
        return "notice recorded; objections until \(closes)"
      }
      return "notice recorded"
    }
  }

  /// GROUP DISSOLVE-OBJECTION: the group's objection, accepted through the closing day.
  func groupDissolveObjection(_ context: CommandContext) async throws -> CommandOutcome {
    let text = context.invocation.arguments.string("text") ?? ""
    return try await changeCase(context, event: .objectionReceived(text)) { _, _ in
      "objection recorded; it goes to the chair's office"
    }
  }

  /// GROUP DISSOLVE-DECIDE: the chair's office decides; after a motion only once the
  /// objection window has closed.
  func groupDissolveDecide(_ context: CommandContext) async throws -> CommandOutcome {
    let dissolve = context.invocation.arguments.string("outcome") == "dissolve"
    return try await changeCase(context, event: .chairsOfficeDecided(dissolve: dissolve)) {
      _, group in
      dissolve
        ? "working group \(group.group.name) dissolved" : "working group \(group.group.name) kept"
    }
  }

  /// Runs one event of the group's open dissolution case; a decision to dissolve ends the
  /// group in the same transaction.
  private func changeCase(
    _ context: CommandContext,
    event: DissolutionCase.Event,
    message: @escaping @Sendable (StoredDissolutionCase, StoredWorkingGroup) -> String
  ) async throws -> CommandOutcome {
    guard let groupID = context.invocation.arguments.groupUUID("group") else {
      throw CommandFailure.failure(.badArguments, "<group> is required")
    }
    return try await change(context) { scope in
      let parameters = try scope.workingGroupParameters()
      var group = try await scope.requireGroup(groupID)
      guard
        var stored = try await WorkingGroupStore.openCase(ofGroup: groupID, on: scope.connection)
      else {
        throw scope.failure(
          .notFound, "\(group.group.name) has no open dissolution case; GROUP DISSOLVE first")
      }
      let transition = try stored.dissolution.apply(
        event, parameters: parameters, context: scope.engine)
      stored.dissolution = transition.state
      try await WorkingGroupStore.saveCase(stored, on: scope.connection)
      if case .decided(true, let day) = transition.state.stage {
        group.group = group.group.dissolved(on: day)
        try await WorkingGroupStore.saveGroup(group, on: scope.connection)
      }
      let recorded = try await scope.record(
        transition, subject: .workingGroup(group.group.id),
        detail: ["case": stored.id.uuidString.lowercased()])
      return groupReply([recorded], message(stored, group))
    }
  }

  static func requireActive(_ stored: StoredWorkingGroup, scope: WorkflowScope) throws {
    if case .dissolved(let day) = stored.group.status {
      throw scope.failure(.conflict, "\(stored.group.name) was dissolved on \(day)")
    }
  }

  /// `grounds=` as the engine's grounds; nil when not given.
  static func grounds(_ text: String?) throws -> [DissolutionCase.Ground]? {
    guard let text else { return nil }
    var grounds: [DissolutionCase.Ground] = []
    for part in text.split(separator: ",") {
      let word = part.trimmingCharacters(in: .whitespaces)
      guard
        let ground = DissolutionCase.Ground.allCases.first(where: {
          $0.rawValue.caseInsensitiveCompare(word) == .orderedSame
        })
      else {
        let known = DissolutionCase.Ground.allCases.map(\.rawValue).joined(separator: ", ")
        throw CommandFailure.failure(
          .badArguments, "grounds=: \(String(word.prefix(40))) is not one of \(known)")
      }
      if !grounds.contains(ground) { grounds.append(ground) }
    }
    return grounds
  }
}
