import CharterAdminServer
import CharterGovernance

/// Meetings, attendance and votes (issue 5).
extension WorkflowService {
  var meetingCommands: [(String, Handler)] { [] }

  var meetingDeadlines: [(DeadlineKind, DeadlineHandler)] { [] }
}
