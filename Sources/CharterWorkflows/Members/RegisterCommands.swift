import CharterAdminServer
import CharterGovernance

/// The register: listing, history, CSV export and import (issue 5, DTPC art. 17).
extension WorkflowService {
  var registerCommands: [(String, Handler)] { [] }
}
