/// Automatic consequences of absence from a body's meetings (AII art. 13: downgrade after 3
/// consecutive council absences; DTPC art. 19: loss of the joint-meeting seat after 3
/// consecutive unexcused absences), applied at once when attendance is recorded.
extension MemberRecord {
  func recordingAttendance(
    body: String, status attendance: AttendanceStatus, profile: CharterProfile,
    context: EngineContext
  ) -> Transition<MemberRecord> {
    let rules = profile.membership.absence.filter { $0.body == body && applies($0.subjects) }
    let counting = rules.first { $0.consequence != .reminder } ?? rules.first
    guard let counting else {
      let article = Article(profile.body(body)?.citation ?? profile.membership.kinds.citation)
      return Transition(state: self, decision: Decision("noAbsenceRule", article))
    }
    let streakRule = StreakRule(counting)
    let before = absenceStreaks[body] ?? 0
    let streak = streakRule.streak(after: before, status: attendance)
    var next = self
    next.absenceStreaks[body] = streak
    var t = Transition(
      state: next, decision: Decision("attendanceRecorded", Article(counting.citation)))
    // Only a streak that just reached a rule's count triggers it, so recording the same
    // streak twice never repeats a consequence.
    guard streak > before else { return t }
    for rule in rules.sorted(by: { $0.consecutive < $1.consecutive })
    where streak == rule.consecutive {
      let article = Article(rule.citation)
      switch rule.consequence {
      case .reminder:
        t.notices.append(
          Notice(
            .reminder, to: [.memberContact(id)], template: "member.absence.reminder",
            parameters: ["member": id.rawValue, "body": body, "absences": String(streak)],
            zh: "贵单位已连续 \(streak) 次未出席\(profile.body(body)?.name ?? body)会议",
            en: "Your unit missed \(streak) consecutive meetings of \(body)", article: article))
      case .automaticExit:
        let exit = t.state.leaving(
          .automaticExit, article: article, profile: profile, context: context, cause: "absence")
        t.state = exit.state
        t.facts += exit.facts
        t.notices += exit.notices
        t.cancelledJobKeys += exit.cancelledJobKeys
        t.decision = exit.decision
      case .downgrade(let steps):
        guard let from = profile.tier(t.state.tier),
          let to = profile.tier(below: t.state.tier, steps: steps)
        else { continue }
        t.state.tier = to.id
        t.state.absenceStreaks[body] = 0
        t.facts.append(
          Fact(
            .tierChanged, .member(id), day: context.today, article: article,
            details: ["from": from.id, "to": to.id, "cause": "absence", "body": body]))
        t.notices.append(tierNotice(from: from, to: to, cause: "absence", article: article))
        t.decision = Decision("downgraded", article)
      case .lossOfSeat:
        t.state.seats.remove(body)
        t.state.absenceStreaks[body] = 0
        t.facts.append(
          Fact(
            .seatLost, .member(id), day: context.today, article: article,
            details: ["body": body, "cause": "absence"]))
        t.notices.append(
          Notice(
            .announcement, to: [.memberContact(id), .body(body)], template: "member.seatLost",
            parameters: ["member": id.rawValue, "body": body],
            zh: "\(id) 连续 \(streak) 次无故缺席，自动失去\(profile.body(body)?.name ?? body)资格",
            en: "\(id) loses its seat in \(body) after \(streak) consecutive unexcused absences",
            article: article))
        t.decision = Decision("seatLost", article)
      }
    }
    return t
  }

  private func applies(_ subjects: AbsenceSubjects) -> Bool {
    switch subjects {
    case .bodyMembers: return true
    case .tiers(let tiers): return tiers.contains(tier)
    }
  }
}
