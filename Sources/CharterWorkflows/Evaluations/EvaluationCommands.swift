import CharterAdminServer
import CharterGovernance

/// Annual evaluations and minimum-meeting warnings (issue 5).
extension WorkflowService {
  var evaluationCommands: [(String, Handler)] { [] }

  var evaluationDeadlines: [(DeadlineKind, DeadlineHandler)] { [] }
}
