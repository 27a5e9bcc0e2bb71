import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import CharterScheduler
import Foundation

/// What members owe (zgc-ai fee rules) and the reminders of unpaid fees.
extension WorkflowService {
  func feeArrears(_ context: CommandContext) async throws -> CommandOutcome {
    let page = try ListingPage(context)
    let yearArgument = context.invocation.arguments.integer("year")
    return try await read(context) { scope in
      _ = try Self.feeSchedule(try scope.profile())
      let year = yearArgument ?? scope.engine.today.year
      let after = page.after ?? []
      let result = try await scope.connection.query(
        """
        with accounts as (
            select m.id, m.name, m.tier, (s.amount * 100)::int8 as due,
                   (select coalesce(sum(p.amount * 100), 0)::int8 from charter.fee_payments p
                    where p.member_id = m.id and p.year = $1) as paid
            from charter.members m
            join charter.fee_schedule s
              on s.tenant_id = m.tenant_id and s.year = $1 and s.tier = m.tier
            where m.status in ('member', 'exit_pending', 'suspended')
        )
        select id::text, name, tier, due, paid from accounts
        where due > paid and ($2::text is null or (name, id::text) > ($2::text, $3::text))
        order by name, id::text limit $4
        """,
        [
          year, after.count == 2 ? after[0] : nil, after.count == 2 ? after[1] : nil, page.limit,
        ])
      let rows = try result.rows.map { row -> [String] in
        let due = Int(try row.decode(3, as: Int64.self))
        let paid = Int(try row.decode(4, as: Int64.self))
        return [
          try row.decode(0, as: String.self), try row.decode(1, as: String.self),
          try row.decode(2, as: String.self), Money.yuan(due), Money.yuan(paid),
          Money.yuan(due - paid),
        ]
      }
      let last = rows.last.map { [$0[1], $0[0]] }
      return CommandOutcome(
        reply: .table(
          columns: ["member", "name", "tier", "due", "paid", "owing"], rows: rows,
          status: .ok(
            "\(year): "
              + page.status(
                count: rows.count, noun: "member in arrears", plural: "members in arrears",
                lastKey: last)))
      )
    }
  }

  /// FEE REMINDERS: schedules the reminder of the current period for every member whose tier
  /// pays a fee and who has not paid it in full and has no reminder of the period yet
  /// (PeriodicObligations.feeReminders; running it twice schedules nothing twice).
  func feeReminders(_ context: CommandContext) async throws -> CommandOutcome {
    try await change(context) { scope in
      let profile = try scope.profile()
      _ = try Self.feeSchedule(profile)
      let jobs = try PeriodicObligations.feeReminders(
        members: try await self.feePayingMembers(scope: scope), profile: profile,
        context: scope.engine)
      var written = 0
      for job in jobs {
        if try await RecurringJobs.scheduleIfNew(
          job, charterVersion: scope.charter?.version, on: scope.connection)
        {
          written += 1
        }
      }
      let due = jobs.first.map { " due \($0.dueDay)" } ?? ""
      return CommandOutcome(
        reply: .ok("\(written) fee reminder\(written == 1 ? "" : "s") scheduled\(due)"))
    }
  }

  /// Current members with their tier, leaving out those who paid the current year in full.
  func feePayingMembers(scope: WorkflowScope) async throws -> [MemberID: String] {
    let result = try await scope.connection.query(
      """
      select m.id::text, m.tier from charter.members m
      where m.status in ('member', 'exit_pending', 'suspended') and m.tier is not null
        and not exists (
            select 1 from charter.fee_schedule s
            where s.year = $1 and s.tier = m.tier
              and s.amount <= (select coalesce(sum(p.amount), 0) from charter.fee_payments p
                               where p.member_id = m.id and p.year = $1))
      """, [scope.engine.today.year])
    var members: [MemberID: String] = [:]
    for row in result.rows {
      members[MemberID(try row.decode(0, as: String.self))] = try row.decode(1, as: String.self)
    }
    return members
  }

  /// The `feeReminder` job: a reminder to the member's contact, unless the fee is paid (or
  /// the member has left).
  func feeReminderJob(_ scope: WorkflowScope, _ job: DeadlineJobContext) async throws
    -> JobOutcome
  {
    guard case .member(let memberID) = job.subject, let id = UUID(uuidString: memberID.rawValue),
      let year = job.payload["periodStart"].flatMap(CivilDate.init(iso:))?.year
    else { return .fail(reason: "a fee reminder without member and period: \(job.key ?? "")") }
    let (_, article) = try Self.feeSchedule(try scope.profile())
    guard let member = try await MemberStore.load(id, on: scope.connection),
      ["member", "exit_pending", "suspended"].contains(member.status)
    else { return .done }
    let account = try await feeAccount(member: id, year: year, scope: scope)
    if let owing = account.owing, owing <= 0 { return .done }
    if account.due == nil && account.paid > 0 { return .done }
    let due = account.due.map(Money.yuan) ?? "按会费标准"
    var transition = Transition(
      state: "", decision: Decision("feeReminder", article, profile: try scope.profile().stamp))
    transition.notices.append(
      Notice(
        .reminder, to: [.memberContact(memberID)], template: "fees.reminder",
        parameters: [
          "member": member.name, "year": String(year), "due": due,
          "paid": Money.yuan(account.paid),
        ],
        zh: "\(member.name)：\(year) 年度会费尚未缴清（应缴 \(due) 元，已缴 \(Money.yuan(account.paid)) 元）",
        en:
          "\(member.name): the \(year) membership fee is not paid in full (due \(due), paid \(Money.yuan(account.paid)))",
        article: article))
    try await scope.record(transition, subject: job.subject, detail: ["year": String(year)])
    return .done
  }
}

extension WorkflowService {
  /// Schedules this period's fee reminder of a member admitted (or moved to a tier that pays a
  /// fee) today (zgc-ai fee rules). For the members part to call; CHARTER LOAD and FEE
  /// REMINDERS cover the members already registered. A reminder whose day has passed fires at
  /// once.
  static func scheduleFeeReminder(_ scope: WorkflowScope, member: MemberID, tier: String)
    async throws
  {
    guard let charter = scope.charter else { return }
    let jobs = try PeriodicObligations.feeReminders(
      members: [member: tier], profile: charter.profile, context: scope.engine)
    for job in jobs {
      try await RecurringJobs.scheduleIfNew(
        job, charterVersion: charter.version, on: scope.connection)
    }
  }
}
