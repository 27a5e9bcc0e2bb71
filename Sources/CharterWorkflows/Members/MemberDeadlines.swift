import CharterAccounts
import CharterGovernance
import CharterScheduler
import Foundation

/// The deadlines of a member (RULES.md §8): the exit taking effect (DTPC art. 16(1)), the
/// deemed exit after two years without activity (DTPC art. 16(2)) and the end of a tier's term
/// (DTPC art. 12). The `termEnd` kind is shared with office terms: keys `tier-term-end:` are
/// ours, the others go to `officeTermEnded` (Offices/OfficeDeadlines.swift).
extension WorkflowService {
  var memberDeadlines: [(DeadlineKind, DeadlineHandler)] {
    [
      (
        .exitEffective,
        { scope, job in try await Self.memberJob(.exitEffectiveReached, scope, job) }
      ),
      (.inactivityExit, { scope, job in try await Self.memberJob(.inactivityCheck, scope, job) }),
      (
        .termEnd,
        { scope, job in
          if job.key?.hasPrefix("tier-term-end:") == true {
            return try await Self.tierTermEnded(scope, job)
          }
          return try await self.officeTermEnded(scope, job)
        }
      ),
    ]
  }

  /// The member a job is about, from its subject `member:<id>`.
  static func jobMember(_ job: DeadlineJobContext) -> UUID? {
    guard case .member(let member) = job.subject else { return nil }
    return UUID(uuidString: member.rawValue)
  }

  /// Feeds `event` to the job's member. The engine answers `nothingDue` for a job whose
  /// obligation went away (the member left another way), which is recorded and done.
  static func memberJob(
    _ event: MemberRecord.Event, _ scope: WorkflowScope, _ job: DeadlineJobContext
  ) async throws -> JobOutcome {
    guard let id = jobMember(job) else {
      return .fail(reason: "job subject \(job.subject) is not a member")
    }
    guard let member = try await MemberStore.load(id, on: scope.connection),
      let record = member.record
    else {
      return .fail(reason: "no admitted member \(id.uuidString.lowercased())")
    }
    if !record.isMember {
      // Left in the meantime (expelled, revoked): nothing is due any more.
      return .done
    }
    _ = try await applyMemberEvent(event, to: id, scope: scope)
    return .done
  }

  /// DTPC art. 12: the term of a director or vice-director unit ends. The tier itself stays
  /// until the body elects again (the charter does not say it lapses); the secretariat and the
  /// chair's office are told the election is due.
  static func tierTermEnded(_ scope: WorkflowScope, _ job: DeadlineJobContext) async throws
    -> JobOutcome
  {
    guard let id = jobMember(job),
      let member = try await MemberStore.load(id, on: scope.connection),
      let record = member.record
    else {
      return .fail(reason: "job subject \(job.subject) is not an admitted member")
    }
    let article = Article(job.payload["article"] ?? "DTPC art. 12")
    let tier = job.payload["tier"] ?? record.tier
    guard record.isMember, record.tier == tier else {
      try await scope.record(
        Transition(state: record, decision: Decision("nothingDue", article)),
        subject: .member(member.engineID), detail: ["tier": tier])
      return .done
    }
    var transition = Transition(state: record, decision: Decision("tierTermEnded", article))
    // The term's last day, not the day the job happens to run.
    let day = job.payload["due_day"] ?? scope.engine.today.description
    transition.notices.append(
      Notice(
        .reminder, to: [.secretariat, .chairsOffice], template: "member.tier.termEnded",
        parameters: ["member": member.engineID.rawValue, "name": member.name, "tier": tier],
        zh: "\(member.name) 的\(tier)任期于 \(day) 届满，请安排换届",
        en: "The \(tier) term of \(member.name) ended on \(day): an election is due",
        article: article))
    try await scope.record(
      transition, subject: .member(member.engineID), detail: ["tier": tier, "name": member.name])
    return .done
  }
}
