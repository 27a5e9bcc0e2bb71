import CharterGovernance
import CharterScheduler

/// The end of an office term (`termEnd` jobs keyed `term-end:<post>:<person>:<start>`). The
/// member deadlines own the `termEnd` job kind and hand these keys here; tier terms
/// (`tier-term-end:`) stay with the members.
extension WorkflowService {
  func officeTermEnded(_ scope: WorkflowScope, _ job: DeadlineJobContext) async throws
    -> JobOutcome
  {
    .fail(reason: "office terms are not handled yet")
  }
}
