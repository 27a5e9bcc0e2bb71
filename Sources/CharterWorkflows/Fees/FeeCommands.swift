import CharterAdminServer
import CharterGovernance

/// Fees, payments, arrears and the fund-use publication (issue 5).
extension WorkflowService {
  var feeCommands: [(String, Handler)] { [] }

  var feeDeadlines: [(DeadlineKind, DeadlineHandler)] { [] }
}
