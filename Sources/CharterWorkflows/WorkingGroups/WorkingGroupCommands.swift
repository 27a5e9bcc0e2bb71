import CharterAdminServer
import CharterGovernance

/// Working groups (issue 5, AITISA).
extension WorkflowService {
  var workingGroupCommands: [(String, Handler)] { [] }

  var workingGroupDeadlines: [(DeadlineKind, DeadlineHandler)] { [] }
}
