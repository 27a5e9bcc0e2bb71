public import CharterCalendar

/// Which charter profile, and which version of it, the engine applied (DESIGN.md: decisions
/// record the profile version they were made under). A tenant keeps every version of its
/// profile, so a stored decision, refusal, fact or job can always be traced to the exact rules.
public struct ProfileStamp: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The profile's `id`, e.g. "aii".
  public let id: String
  /// The profile's `version`.
  public let version: Int
  /// The first day that version applies.
  public let effectiveDate: CivilDate

  public init(id: String, version: Int, effectiveDate: CivilDate) {
    self.id = id
    self.version = version
    self.effectiveDate = effectiveDate
  }

  /// "aii v2 (from 2025-01-01)".
  public var description: String { "\(id) v\(version) (from \(effectiveDate))" }
}

extension CharterProfile {
  /// The stamp the engine puts on everything it decides under this profile.
  public var stamp: ProfileStamp {
    ProfileStamp(id: id, version: version, effectiveDate: effectiveDate)
  }
}

extension ProfileStamp {
  /// Runs one transition and records this profile version on what it produces: the decision,
  /// every fact and every job, or the refusal. Every public entry point of a state machine goes
  /// through here, so that no rule can forget to name the profile it applied.
  func recording<State>(_ transition: () throws(Refusal) -> Transition<State>) throws(Refusal)
    -> Transition<State>
  {
    stamp(try stampingRefusal(transition))
  }

  /// Runs `body`; a refusal it throws is recorded as made under this profile version.
  func stampingRefusal<Value>(_ body: () throws(Refusal) -> Value) throws(Refusal) -> Value {
    do throws(Refusal) {
      return try body()
    } catch {
      var refusal = error
      refusal.profile = self
      throw refusal
    }
  }

  func stamp<State>(_ transition: Transition<State>) -> Transition<State> {
    var t = transition
    t.decision.profile = self
    for i in t.facts.indices { t.facts[i].profile = self }
    t.jobs = t.jobs.map(stamp)
    return t
  }

  func stamp(_ job: DeadlineJob) -> DeadlineJob {
    var job = job
    job.profile = self
    return job
  }
}
