import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterScheduler
import Foundation

extension WorkflowService {
  /// The `termEnd` job of an office term (key `term-end:<post>:<person>:<start>`, DTPC art. 12,
  /// tjsia-ai §5): ends the term on its last day. The members part registers the kind and
  /// hands these keys over; a term already ended (resigned, removed) is `nothingDue`.
  func officeTermEnded(_ scope: WorkflowScope, _ job: DeadlineJobContext) async throws
    -> JobOutcome
  {
    guard let post = job.payload["post"], let person = job.payload["person"] else {
      return .fail(reason: "a term-end job without post and person: \(job.key ?? "")")
    }
    let candidates = try await scope.connection.query(
      """
      select id from charter.office_terms
      where post = $1 and person_name = $2 and status = 'serving' order by starts_on
      """, [post, person])
    for row in candidates.rows {
      let id = try row.decode(0, as: UUID.self)
      guard var stored = try await OfficeStore.load(id, on: scope.connection) else { continue }
      let term = stored.term
      guard job.key == nil || job.key == "term-end:\(term.post):\(term.holder):\(term.start)"
      else { continue }
      let transition = try term.apply(
        .termEndReached, profile: try scope.profile(), context: scope.engine)
      stored.term = transition.state
      try await OfficeStore.save(stored, on: scope.connection)
      try await scope.record(
        transition, subject: .person(term.holder),
        detail: ["term": id.uuidString.lowercased(), "post": post])
      return .done
    }
    return .done
  }
}
