import CharterGovernance
import CharterPostgres
import CharterScheduler
import Foundation

/// The deadline jobs of AITISA art. 4 and 6 (RULES.md §8): each feeds its event back to the
/// application or dissolution case it belongs to. The engine answers `nothingDue` when the
/// obligation was met before the job ran, so a late or repeated job is harmless.
extension WorkflowService {
  var workingGroupDeadlines: [(DeadlineKind, DeadlineHandler)] {
    [
      (.reviewNoticeReminder, { try await Self.applicationDeadline($0, $1, .reviewReminderDue) }),
      (
        .reviewNoticeEscalation,
        { try await Self.applicationDeadline($0, $1, .reviewDeadlinePassed) }
      ),
      (
        .rejectionNotice,
        { try await Self.applicationDeadline($0, $1, .rejectionNoticeDeadlinePassed) }
      ),
      (.dissolutionNotice, { try await Self.dissolutionDeadline($0, $1, .noticeDeadlinePassed) }),
      (
        .dissolutionObjectionWindow,
        { try await Self.dissolutionDeadline($0, $1, .objectionWindowClosed) }
      ),
    ]
  }

  /// Art. 4.2–4.3: the review-notice reminder and escalation, the rejection-notice deadline.
  static func applicationDeadline(
    _ scope: WorkflowScope, _ job: DeadlineJobContext, _ event: GroupApplication.Event
  ) async throws -> JobOutcome {
    guard let text = job.payload["application"], let id = UUID(uuidString: text) else {
      return .fail(reason: "job \(job.kind) has no application in its payload")
    }
    guard var stored = try await WorkingGroupStore.loadApplication(id, on: scope.connection) else {
      return .fail(reason: "working-group application \(text) is gone")
    }
    let transition = try stored.application.apply(
      event, parameters: try scope.workingGroupParameters(), context: scope.engine)
    stored.application = transition.state
    try await WorkingGroupStore.saveApplication(stored, on: scope.connection)
    try await scope.record(transition, subject: .filedCase(stored.application.id))
    return .done
  }

  /// Art. 6(b): the written notice of the motion is overdue; the objection window closed.
  static func dissolutionDeadline(
    _ scope: WorkflowScope, _ job: DeadlineJobContext, _ event: DissolutionCase.Event
  ) async throws -> JobOutcome {
    guard let text = job.payload["case"], let id = UUID(uuidString: text) else {
      return .fail(reason: "job \(job.kind) has no case in its payload")
    }
    guard var stored = try await WorkingGroupStore.loadCase(id, on: scope.connection) else {
      return .fail(reason: "dissolution case \(text) is gone")
    }
    let transition = try stored.dissolution.apply(
      event, parameters: try scope.workingGroupParameters(), context: scope.engine)
    stored.dissolution = transition.state
    try await WorkingGroupStore.saveCase(stored, on: scope.connection)
    try await scope.record(
      transition, subject: .workingGroup(stored.dissolution.group), detail: ["case": text])
    return .done
  }
}
