import CharterAccounts
import CharterAdminServer
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation
import Synchronization

/// What a group asks the chair's office for: a new name (AITISA art. 5), its own activity
/// rules (art. 14) and budgets (art. 12: submitted ahead of the activity, reviewed by the
/// secretariat, approved by the chair's office).
extension WorkflowService {
  /// GROUP RENAME: the all-member meeting's request, through the secretariat (art. 5).
  func groupRename(_ context: CommandContext) async throws -> CommandOutcome {
    let name = (context.invocation.arguments.string("name") ?? "")
      .trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty, name.count <= 200 else {
      throw CommandFailure.failure(.badArguments, "<name> must be 1 to 200 characters")
    }
    return try await changeGroup(
      context, detail: ["newName": name],
      before: { scope, stored in
        if try await WorkingGroupStore.activeNameTaken(
          name, except: stored.id, on: scope.connection)
        {
          throw scope.failure(.conflict, "an active working group is already called \(name)")
        }
      },
      event: { _ in .renameRequested(newName: name) },
      message: { "rename of \($0.group.name) to \(name) requested; the chair's office decides" })
  }

  /// GROUP RENAME-DECIDE: the chair's office decides a pending rename (art. 5).
  func groupRenameDecide(_ context: CommandContext) async throws -> CommandOutcome {
    let approved = context.invocation.arguments.string("outcome") == "approve"
    return try await changeGroup(
      context, detail: ["outcome": approved ? "approve" : "reject"],
      before: { scope, stored in
        if approved, let name = stored.group.pendingRename,
          try await WorkingGroupStore.activeNameTaken(
            name, except: stored.id, on: scope.connection)
        {
          throw scope.failure(.conflict, "an active working group is already called \(name)")
        }
      },
      event: { _ in .renameDecided(approved: approved) },
      message: { approved ? "working group renamed \($0.group.name)" : "rename rejected" })
  }

  /// GROUP RULES: the chair's office approves a group's own activity rules (art. 14).
  func groupRules(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let title = arguments.string("title") ?? ""
    let approved = arguments.string("outcome") == "approve"
    return try await changeGroup(
      context, detail: ["title": title],
      event: { _ in .activityRulesDecided(title: title, approved: approved) },
      message: {
        "activity rules \(title) of \($0.group.name) \(approved ? "approved" : "rejected")"
      }
    )
  }

  /// GROUP BUDGET: the group submits a budget ahead of an activity (art. 12).
  func groupBudget(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let activity = arguments.string("activity") ?? ""
    let amount = arguments.string("amount") ?? ""
    return try await changeGroup(
      context, detail: ["activity": activity, "amount": amount],
      before: { scope, stored in
        if case .submitted = try await Self.budgetStage(
          group: stored.group.id, activity: activity, scope: scope)
        {
          throw scope.failure(.conflict, "the budget for \(activity) is already submitted")
        }
      },
      event: { _ in .budgetSubmitted(activity: activity, amount: amount) },
      message: {
        "budget for \(activity) of \($0.group.name) submitted; the secretariat reviews it"
      }
    )
  }

  /// GROUP BUDGET-REVIEW: the secretariat's review of a submitted budget (art. 12). The engine
  /// has no event for it (it asks only whether the review happened), so the review is recorded
  /// as a decision of its own under the budget article.
  func groupBudgetReview(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    guard let id = arguments.groupUUID("group") else {
      throw CommandFailure.failure(.badArguments, "<group> is required")
    }
    let activity = arguments.string("activity") ?? ""
    return try await change(context) { scope in
      let parameters = try scope.workingGroupParameters()
      let stored = try await scope.requireGroup(id)
      switch try await Self.budgetStage(group: stored.group.id, activity: activity, scope: scope) {
      case .submitted(reviewed: false): break
      case .submitted(reviewed: true):
        throw scope.failure(.conflict, "the budget for \(activity) is already reviewed")
      case .none:
        throw scope.failure(
          .notFound, "no budget for \(activity) is waiting in \(stored.group.name)")
      }
      var transition = Transition(
        state: stored.group,
        decision: Decision("budgetReviewed", parameters.budgetArticle, profile: parameters.profile))
      transition.notices.append(
        Notice(
          .request, to: [.chairsOffice], template: "wg.budget.reviewed",
          parameters: ["group": stored.group.id.rawValue, "activity": activity],
          zh: "秘书处已审核推进组“\(stored.group.name)”活动“\(activity)”的预算，请理事长办公会审批",
          en:
            "The secretariat reviewed the budget of “\(stored.group.name)” for “\(activity)”; for the chair's office's approval",
          article: parameters.budgetArticle))
      let recorded = try await scope.record(
        transition, subject: .workingGroup(stored.group.id), detail: ["activity": activity])
      return groupReply([recorded], "budget for \(activity) reviewed; the chair's office decides")
    }
  }

  /// GROUP BUDGET-DECIDE: the chair's office decides a budget; the engine refuses it without
  /// the secretariat's review (art. 12).
  func groupBudgetDecide(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let activity = arguments.string("activity") ?? ""
    let approved = arguments.string("outcome") == "approve"
    let reviewed = Mutex(false)
    return try await changeGroup(
      context, detail: ["activity": activity],
      before: { scope, stored in
        switch try await Self.budgetStage(
          group: stored.group.id, activity: activity, scope: scope)
        {
        case .submitted(let wasReviewed): reviewed.withLock { $0 = wasReviewed }
        case .none:
          throw scope.failure(
            .notFound, "no budget for \(activity) is waiting in \(stored.group.name)")
        }
      },
      event: { _ in
        .budgetDecided(
          activity: activity, approved: approved,
          secretariatReviewed: reviewed.withLock { $0 })
      },
      message: {
        "budget for \(activity) of \($0.group.name) \(approved ? "approved" : "rejected")"
      })
  }

  enum BudgetStage {
    /// Submitted and not decided since; `reviewed` when the secretariat reviewed it since.
    case submitted(reviewed: Bool)
  }

  /// Where the latest budget of `activity` stands, from the group's decisions: submitted,
  /// reviewed, or nothing waiting (never submitted, or decided since).
  static func budgetStage(group: WorkingGroupID, activity: String, scope: WorkflowScope)
    async throws -> BudgetStage?
  {
    let codes = try await scope.connection.query(
      """
      select code from charter.decisions
      where subject = $1 and detail->>'activity' = $2
        and code in ('budgetSubmitted', 'budgetReviewed', 'budgetApproved', 'budgetRejected')
      order by id desc
      """, [Subject.workingGroup(group).description, activity]
    ).rows.map { try $0.decode(0, as: String.self) }
    var reviewed = false
    for code in codes {
      switch code {
      case "budgetReviewed": reviewed = true
      case "budgetSubmitted": return .submitted(reviewed: reviewed)
      default: return nil
      }
    }
    return nil
  }
}
