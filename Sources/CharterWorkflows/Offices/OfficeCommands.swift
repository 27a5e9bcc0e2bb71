import CharterAdminServer
import CharterGovernance

/// Posts, elections and terms (issue 5).
extension WorkflowService {
  var officeCommands: [(String, Handler)] { [] }

  var officeDeadlines: [(DeadlineKind, DeadlineHandler)] { [] }
}
