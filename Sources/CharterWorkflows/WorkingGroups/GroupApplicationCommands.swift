import CharterAccounts
import CharterAdminServer
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// Establishing a working group, AITISA art. 4: the joint application, the secretariat's
/// review notice within 10 working days, the chair's office decision and the reasoned
/// rejection notice within 10 days.
extension WorkflowService {
  /// GROUP APPLY: art. 4.1 (at least 5 sponsoring members in good standing, the lead among
  /// them; the lead counts as a sponsor whether listed or not) and art. 4.2 (the review
  /// notice, its reminder and its escalation become jobs).
  func groupApply(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let name = (arguments.string("name") ?? "").trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty, name.count <= 200 else {
      throw CommandFailure.failure(.badArguments, "<name> must be 1 to 200 characters")
    }
    guard let lead = arguments.groupUUID("lead") else {
      throw CommandFailure.failure(.badArguments, "lead=<member> is required (the lead unit)")
    }
    guard let listed = try arguments.groupMemberIDs("sponsors") else {
      throw CommandFailure.failure(
        .badArguments, "sponsors=<member,…> is required (the sponsoring member units)")
    }
    var distinct = [lead]
    for id in listed where !distinct.contains(id) { distinct.append(id) }
    let sponsors = distinct
    return try await change(context) { scope in
      let parameters = try scope.workingGroupParameters()
      if try await WorkingGroupStore.activeNameTaken(name, except: nil, on: scope.connection) {
        throw scope.failure(.conflict, "an active working group is already called \(name)")
      }
      let standing = try await WorkingGroupStore.standing(of: sponsors, on: scope.connection)
      let id = UUID()
      let transition = try GroupApplication.receive(
        id: CaseID(id.uuidString.lowercased()), proposedName: name,
        sponsors: sponsors.map(WorkingGroupStore.memberID),
        leadUnit: WorkingGroupStore.memberID(lead),
        standing: standing, parameters: parameters, context: scope.engine)
      try await WorkingGroupStore.insertApplication(transition.state, id: id, on: scope.connection)
      let recorded = try await scope.record(
        transition, subject: .filedCase(transition.state.id),
        detail: ["name": name, "sponsors": String(sponsors.count)])
      var message = "application \(id.uuidString.lowercased()) received"
      if case .underReview(let due) = transition.state.stage {
        message += "; review notice due \(due)"
      }
      return groupReply([recorded], message)
    }
  }

  /// GROUP REVIEW-NOTICE: art. 4.2, the written notice counts once recorded as sent; not
  /// forwarding needs reasons.
  func groupReviewNotice(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    guard let id = arguments.groupUUID("application") else {
      throw CommandFailure.failure(.badArguments, "<application> is required")
    }
    let forwarded = arguments.string("outcome") == "forwarded"
    let reasons = arguments.string("reasons")
    return try await change(context) { scope in
      let parameters = try scope.workingGroupParameters()
      var stored = try await scope.requireApplication(id)
      let transition = try stored.application.apply(
        .reviewNoticeSent(forwarded: forwarded, reasons: reasons), parameters: parameters,
        context: scope.engine)
      stored.application = transition.state
      try await WorkingGroupStore.saveApplication(stored, on: scope.connection)
      let recorded = try await scope.record(
        transition, subject: .filedCase(stored.application.id),
        detail: reasons.map { ["reasons": $0] } ?? [:])
      return groupReply(
        [recorded],
        "application \(id.uuidString.lowercased()) \(forwarded ? "forwarded to the chair's office" : "not forwarded")"
      )
    }
  }

  /// GROUP DECIDE: art. 4.3. Approval establishes the group with the sponsors as members;
  /// rejection needs reasons and makes the rejection notice fall due.
  func groupDecide(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    guard let id = arguments.groupUUID("application") else {
      throw CommandFailure.failure(.badArguments, "<application> is required")
    }
    let approved = arguments.string("outcome") == "approve"
    let reasons = arguments.string("reasons")
    return try await change(context) { scope in
      let parameters = try scope.workingGroupParameters()
      var stored = try await scope.requireApplication(id)
      let groupID = UUID()
      if approved,
        try await WorkingGroupStore.activeNameTaken(
          stored.application.proposedName, except: nil, on: scope.connection)
      {
        throw scope.failure(
          .conflict,
          "an active working group is already called \(stored.application.proposedName); the chair's office cannot establish a second one"
        )
      }
      let transition = try stored.application.apply(
        .chairsOfficeDecided(
          approved: approved, reasons: reasons,
          group: WorkingGroupID(groupID.uuidString.lowercased())),
        parameters: parameters, context: scope.engine)
      stored.application = transition.state
      var message = "application \(id.uuidString.lowercased()) rejected"
      if let group = WorkingGroup.established(from: transition.state) {
        try await WorkingGroupStore.insertGroup(
          group, id: groupID, establishedOn: scope.engine.today, on: scope.connection)
        stored.groupID = groupID
        // AITISA art. 10.1: the new group's first minimum-meetings check.
        try await Self.scheduleGroupMinimumMeetings(
          scope, group: WorkingGroupID(groupID.uuidString.lowercased()))
        message =
          "working group \(groupID.uuidString.lowercased()) established with \(group.members.count) members"
      } else if case .rejected(_, _, let due) = transition.state.stage {
        message += "; rejection notice due \(due)"
      }
      try await WorkingGroupStore.saveApplication(stored, on: scope.connection)
      let recorded = try await scope.record(
        transition, subject: .filedCase(stored.application.id),
        detail: reasons.map { ["reasons": $0] } ?? [:])
      return groupReply([recorded], message)
    }
  }

  /// GROUP REJECTION-NOTICE: art. 4.3, the applicants were told with the reasons.
  func groupRejectionNotice(_ context: CommandContext) async throws -> CommandOutcome {
    guard let id = context.invocation.arguments.groupUUID("application") else {
      throw CommandFailure.failure(.badArguments, "<application> is required")
    }
    return try await change(context) { scope in
      let parameters = try scope.workingGroupParameters()
      var stored = try await scope.requireApplication(id)
      let transition = try stored.application.apply(
        .rejectionNoticeSent, parameters: parameters, context: scope.engine)
      stored.application = transition.state
      try await WorkingGroupStore.saveApplication(stored, on: scope.connection)
      let recorded = try await scope.record(transition, subject: .filedCase(stored.application.id))
      return groupReply(
        [recorded], "rejection of application \(id.uuidString.lowercased()) notified")
    }
  }
}
