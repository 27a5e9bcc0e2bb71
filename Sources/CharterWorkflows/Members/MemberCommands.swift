import CharterAccounts
import CharterAdminServer
import CharterGovernance
import CharterProtocol
import Foundation

/// Membership applications and the events of a member's life (issue 5, RULES.md §1–§3).
extension WorkflowService {
  var memberCommands: [(String, Handler)] {
    [
      ("MEMBER APPLY", { try await self.memberApply($0) }),
      ("MEMBER REVIEW", { try await self.memberReview($0) }),
      ("MEMBER DECIDE", { try await self.memberDecide($0) }),
      ("MEMBER FILE", { try await self.memberFile($0) }),
      ("MEMBER APPLICATIONS", { try await self.memberApplications($0) }),
      ("MEMBER TIER", { try await self.memberTier($0) }),
      ("MEMBER EXIT", { try await self.memberEvent($0) { _ in .exitNoticeReceived } }),
      ("MEMBER REVOKE", { try await self.memberEvent($0) { _ in .licenceRevoked } }),
      ("MEMBER SANCTION", { try await self.memberSanction($0) }),
      (
        "MEMBER REINSTATE",
        {
          try await self.memberEvent($0) { arguments in
            .liftSuspension(decidedBy: arguments.string("body") ?? "")
          }
        }
      ),
      ("MEMBER ACTIVITY", { try await self.memberEvent($0) { _ in .activityRecorded } }),
      ("MEMBER SEAT", { try await self.memberSeat($0) }),
      ("MEMBER SHOW", { try await self.memberShow($0) }),
      ("MEMBER HISTORY", { try await self.memberHistory($0) }),
    ]
  }

  /// The member of the command's `member` argument (the table checked it is a uuid).
  static func memberArgument(_ context: CommandContext) -> UUID {
    UUID(uuidString: context.invocation.arguments.string("member") ?? "") ?? UUID()
  }

  /// One member event from a command, in one audited transaction.
  func memberEvent(
    _ context: CommandContext, cause: String? = nil,
    _ event: @escaping @Sendable (CommandArguments) throws -> MemberRecord.Event,
    check: @escaping @Sendable (WorkflowScope) throws -> Void = { _ in }
  ) async throws -> CommandOutcome {
    let id = Self.memberArgument(context)
    let memberEvent = try event(context.invocation.arguments)
    return try await change(context) { scope in
      try check(scope)
      let applied = try await Self.applyMemberEvent(memberEvent, to: id, scope: scope, cause: cause)
      return CommandOutcome(
        reply: .text(
          Self.replyLines(applied),
          status: .ok("\(applied.member.name): \(applied.recorded.decision.code)")))
    }
  }

  func memberTier(_ context: CommandContext) async throws -> CommandOutcome {
    let tier = context.invocation.arguments.string("tier") ?? ""
    return try await memberEvent(context) { _ in .changeTier(to: tier) }
  }

  /// A seat in a body the charter has (the engine takes any name).
  func memberSeat(_ context: CommandContext) async throws -> CommandOutcome {
    let body = context.invocation.arguments.string("body") ?? ""
    return try await memberEvent(context) { _ in
      .seatGranted(body: body)
    } check: { scope in
      let profile = try scope.profile()
      guard profile.body(body) != nil else {
        throw scope.failure(
          .badArguments,
          "the charter has no body \(body); its bodies are \(profile.bodies.map(\.id).joined(separator: ", "))"
        )
      }
    }
  }

  func memberSanction(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    guard let measure = DisciplineMeasure(rawValue: arguments.string("measure") ?? "") else {
      throw CommandFailure.failure(.badArguments, "unknown measure")
    }
    let reasons = arguments.string("reasons") ?? ""
    let vote = arguments.string("vote").flatMap(VoteOutcome.init(rawValue:))
    return try await memberEvent(context, cause: reasons) { arguments in
      .sanction(
        measure, decidedBy: arguments.string("body") ?? "", reasons: reasons, vote: vote)
    }
  }
}
