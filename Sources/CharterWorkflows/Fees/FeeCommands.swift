import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// Fees, payments, arrears (zgc-ai fee rules; DTPC art. 28(1): none) and the fund-use
/// publication (DTPC art. 33) (issue 5).
extension WorkflowService {
  var feeCommands: [(String, Handler)] {
    [
      ("FEE SET", { try await self.feeSet($0) }),
      ("FEE PAY", { try await self.feePay($0) }),
      ("FEE ARREARS", { try await self.feeArrears($0) }),
      ("FEE REMINDERS", { try await self.feeReminders($0) }),
      ("FUNDS PUBLISH", { try await self.fundsPublish($0) }),
    ]
  }

  var feeDeadlines: [(DeadlineKind, DeadlineHandler)] {
    [
      (.feeReminder, { try await self.feeReminderJob($0, $1) }),
      (.fundUsePublication, { try await self.fundUsePublicationJob($0, $1) }),
    ]
  }

  /// The per-tier fee schedule of the profile, or the charter's refusal (DTPC art. 28(1):
  /// no fees are collected).
  static func feeSchedule(_ profile: CharterProfile) throws -> (FeeSchedule, Article) {
    guard let fees = profile.fees else {
      throw Refusal(
        "noFees", Article(profile.membership.kinds.citation), zh: "章程未规定会费",
        en: "the charter sets no membership fee")
    }
    guard case .perTier(let schedule) = fees.value else {
      throw Refusal(
        "noFees", Article(fees.citation), zh: "章程规定不收取会费",
        en: "the charter collects no membership fee")
    }
    return (schedule, Article(fees.citation))
  }

  func feeSet(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let year = arguments.integer("year") ?? 0
    let tier = arguments.string("tier") ?? ""
    let amountText = arguments.string("amount") ?? ""
    return try await change(context) { scope in
      let (schedule, article) = try Self.feeSchedule(try scope.profile())
      guard schedule.annualAmountFen.keys.contains(tier) else {
        throw scope.failure(
          .notFound,
          "tier \(tier) pays no fee under the charter; fee tiers: \(schedule.annualAmountFen.keys.sorted().joined(separator: ", "))"
        )
      }
      guard let fen = Money.fen(amountText) else {
        throw scope.failure(
          .badArguments, "amount \(amountText) is not a sum of yuan like 5000 or 5000.50")
      }
      try await scope.connection.query(
        """
        insert into charter.fee_schedule (tenant_id, year, tier, amount)
        values (charter.current_tenant(), $1, $2, $3::numeric / 100)
        on conflict (tenant_id, year, tier) do update set amount = excluded.amount
        """, [year, tier, fen])
      let transition = Transition(
        state: "", decision: Decision("feeSet", article, profile: try scope.profile().stamp))
      let recorded = try await scope.record(
        transition, subject: .body("secretariat"),
        detail: ["year": String(year), "tier": tier, "amount": Money.yuan(fen)])
      return CommandOutcome(
        reply: .text(
          recorded.replyLines, status: .ok("fee \(year) \(tier): \(Money.yuan(fen)) yuan")))
    }
  }

  func feePay(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let memberText = arguments.string("member") ?? ""
    let year = arguments.integer("year") ?? 0
    let amountText = arguments.string("amount") ?? ""
    let paid = arguments.civilDate("paid")
    let reference = arguments.string("reference")
    return try await change(context) { scope in
      let (_, article) = try Self.feeSchedule(try scope.profile())
      guard let fen = Money.fen(amountText), fen > 0 else {
        throw scope.failure(.badArguments, "amount \(amountText) is not a positive sum of yuan")
      }
      guard let id = UUID(uuidString: memberText),
        let member = try await MemberStore.load(id, on: scope.connection)
      else { throw scope.failure(.notFound, "no member \(memberText)") }
      let day = paid ?? scope.engine.today
      try await scope.connection.query(
        """
        insert into charter.fee_payments
            (tenant_id, member_id, year, amount, paid_on, reference, recorded_by)
        values (charter.current_tenant(), $1, $2, $3::numeric / 100, $4::date, $5, $6)
        """, [id, year, fen, day.description, reference, scope.actor])
      let account = try await feeAccount(member: id, year: year, scope: scope)
      var transition = Transition(
        state: "", decision: Decision("feePaid", article, profile: try scope.profile().stamp))
      if account.owing.map({ $0 <= 0 }) ?? true {
        transition.cancelledJobKeys = [
          Self.feeReminderKey(member: member.engineID, year: year)
        ]
      }
      let recorded = try await scope.record(
        transition, subject: .member(member.engineID),
        detail: [
          "year": String(year), "amount": Money.yuan(fen), "paid_on": day.description,
          "reference": reference ?? "",
        ])
      let due = account.due.map(Money.yuan) ?? "not set"
      let owing = account.owing.map { Money.yuan(max(0, $0)) } ?? "unknown"
      return CommandOutcome(
        reply: .text(
          ["year \(year): due \(due), paid \(Money.yuan(account.paid)), owing \(owing)"]
            + recorded.replyLines,
          status: .ok("\(member.name) paid \(Money.yuan(fen)) yuan for \(year)")))
    }
  }

  /// `fee-reminder:<member>:<period start>` (PeriodicObligations) of the period a fee year
  /// starts: 1 January, whether fees are per year or per quarter.
  static func feeReminderKey(member: MemberID, year: Int) -> String {
    "fee-reminder:\(member):\(year)-01-01"
  }

  struct FeeAccount: Sendable {
    /// What the member's current tier owes for the year, in fen; nil when FEE SET has not
    /// set it.
    var due: Int?
    var paid: Int
    var owing: Int? { due.map { $0 - paid } }
  }

  func feeAccount(member: UUID, year: Int, scope: WorkflowScope) async throws -> FeeAccount {
    let row = try await scope.connection.query(
      """
      select (select (s.amount * 100)::int8 from charter.fee_schedule s
              where s.year = $2 and s.tier = m.tier),
             (select coalesce(sum(p.amount * 100), 0)::int8 from charter.fee_payments p
              where p.member_id = m.id and p.year = $2)
      from charter.members m where m.id = $1
      """, [member, year]
    ).rows.first
    return FeeAccount(
      due: try row?.decode(0, as: Int64?.self).map(Int.init),
      paid: Int(try row?.decode(1, as: Int64.self) ?? 0))
  }
}

/// Sums of money in fen (0.01 yuan), as the profile keeps them.
enum Money {
  /// `5000`, `5000.5`, `5000.50` → fen; nil for anything else.
  static func fen(_ text: String) -> Int? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let yuan = Int(parts[0]), yuan >= 0, yuan < 10_000_000_000
    else { return nil }
    var cents = 0
    if parts.count == 2 {
      let decimals = parts[1]
      guard (1...2).contains(decimals.count), decimals.allSatisfy(\.isASCII),
        let value = Int(decimals)
      else { return nil }
      cents = decimals.count == 1 ? value * 10 : value
    }
    return yuan * 100 + cents
  }

  static func yuan(_ fen: Int) -> String {
    let sign = fen < 0 ? "-" : ""
    let magnitude = abs(fen)
    let cents = magnitude % 100
    return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
  }
}
