import CharterAdminServer
import CharterGovernance

/// Membership applications and the events of a member's life (issue 5, RULES.md §1–§3).
extension WorkflowService {
  var memberCommands: [(String, Handler)] { [] }

  var memberDeadlines: [(DeadlineKind, DeadlineHandler)] { [] }
}
