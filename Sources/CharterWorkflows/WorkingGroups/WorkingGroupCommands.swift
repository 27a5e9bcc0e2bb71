import CharterAccounts
import CharterAdminServer
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// Working groups (issue 5, AITISA art. 4–14): the GROUP commands and the deadline jobs of
/// applications and dissolutions. Each command loads its aggregate `FOR UPDATE`, asks the
/// engine, saves the new state with its projections and records the transition.
extension WorkflowService {
  var workingGroupCommands: [(String, Handler)] {
    [
      ("GROUP APPLY", { try await self.groupApply($0) }),
      ("GROUP REVIEW-NOTICE", { try await self.groupReviewNotice($0) }),
      ("GROUP DECIDE", { try await self.groupDecide($0) }),
      ("GROUP REJECTION-NOTICE", { try await self.groupRejectionNotice($0) }),
      ("GROUP JOIN", { try await self.groupJoin($0) }),
      ("GROUP LEAVE", { try await self.groupLeave($0) }),
      ("GROUP LEADER", { try await self.groupLeader($0, coLeader: false) }),
      ("GROUP CO-LEADER", { try await self.groupLeader($0, coLeader: true) }),
      ("GROUP ACTIVITY", { try await self.groupActivity($0) }),
      ("GROUP RENAME", { try await self.groupRename($0) }),
      ("GROUP RENAME-DECIDE", { try await self.groupRenameDecide($0) }),
      ("GROUP RULES", { try await self.groupRules($0) }),
      ("GROUP BUDGET", { try await self.groupBudget($0) }),
      ("GROUP BUDGET-REVIEW", { try await self.groupBudgetReview($0) }),
      ("GROUP BUDGET-DECIDE", { try await self.groupBudgetDecide($0) }),
      ("GROUP DISSOLVE", { try await self.groupDissolve($0) }),
      ("GROUP DISSOLVE-NOTICE", { try await self.groupDissolveNotice($0) }),
      ("GROUP DISSOLVE-OBJECTION", { try await self.groupDissolveObjection($0) }),
      ("GROUP DISSOLVE-DECIDE", { try await self.groupDissolveDecide($0) }),
      ("GROUP LIST", { try await self.groupList($0) }),
      ("GROUP SHOW", { try await self.groupShow($0) }),
      ("GROUP APPLICATIONS", { try await self.groupApplications($0) }),
    ]
  }
}

/// The settings of the working-group rules that the profile does not carry yet
/// (docs/rules-engine.md, "Parameters the profile does not carry yet").
enum WorkingGroupSettings {
  /// [interp] The secretariat is reminded 2 working days before the review notice is due;
  /// renaming is AITISA art. 5 and a group's own rules art. 14.
  static let extensions = WorkingGroupExtensions(
    reviewReminderLead: Ruled(2, Article("AITISA art. 4.2", interpretation: true)),
    renameArticle: Article("AITISA art. 5"),
    activityRulesArticle: Article("AITISA art. 14"))
}

extension WorkflowScope {
  /// The working-group rules of the charter in force; a charter without them (a tenant that
  /// has no working groups) is a conflict naming what is missing.
  func workingGroupParameters() throws -> WorkingGroupParameters {
    let profile = try self.profile()
    do {
      return try WorkingGroupParameters(
        profile: profile, extensions: WorkingGroupSettings.extensions)
    } catch {
      throw failure(
        .conflict,
        "the charter in force has no working-group rules (\(error)); GROUP commands do not apply")
    }
  }

  /// The group `id`, locked, or NOT_FOUND.
  func requireGroup(_ id: UUID) async throws -> StoredWorkingGroup {
    guard let group = try await WorkingGroupStore.loadGroup(id, on: connection) else {
      throw failure(.notFound, "no working group \(id.uuidString.lowercased())")
    }
    return group
  }

  /// The application `id`, locked, or NOT_FOUND.
  func requireApplication(_ id: UUID) async throws -> StoredGroupApplication {
    guard let application = try await WorkingGroupStore.loadApplication(id, on: connection) else {
      throw failure(.notFound, "no working-group application \(id.uuidString.lowercased())")
    }
    return application
  }
}

extension CommandArguments {
  /// A required `.uuid` argument.
  func groupUUID(_ name: String) -> UUID? { string(name).flatMap(UUID.init(uuidString:)) }

  /// A comma-separated list of member ids (`sponsors=`, `absent=`); nil when not given, a
  /// failure naming the first word that is not an id.
  func groupMemberIDs(_ name: String) throws -> [UUID]? {
    guard let text = string(name) else { return nil }
    var ids: [UUID] = []
    for part in text.split(separator: ",") {
      let word = part.trimmingCharacters(in: .whitespaces)
      guard !word.isEmpty else { continue }
      guard let id = UUID(uuidString: word) else {
        throw CommandFailure.failure(
          .badArguments, "\(name)=: \(String(word.prefix(40))) is not a member id (a UUID)")
      }
      ids.append(id)
    }
    return ids
  }
}

/// A reply to a change: the decision with its article, warnings, then `message`.
func groupReply(_ recorded: [RecordedDecision], _ message: String) -> CommandOutcome {
  CommandOutcome(reply: .text(recorded.flatMap(\.replyLines), status: .ok(message)))
}
