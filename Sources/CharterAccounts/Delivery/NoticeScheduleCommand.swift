import CharterAdminServer
import CharterDelivery
import CharterPostgres
import CharterProtocol
import CharterScheduler
import Foundation

/// NOTICE SCHEDULE: a one-off notice the secretariat writes itself ("the meeting moves to room
/// 301"), sent by e-mail at a time it chooses. It is a `notice.deliver` job, like the notices
/// the charters' deadlines send: JOBS LIST shows it, JOBS CANCEL withdraws it before it runs,
/// and when it runs its deliveries go through the outbox (NOTICES LIST).
extension AccountsService {
  static let maxNoticeRecipients = 100

  func noticeSchedule(_ context: CommandContext) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    let arguments = context.invocation.arguments
    func refuse(_ code: StatusCode, _ message: String) -> CommandFailure {
      CommandFailure(code, message, target: .tenant(tenant))
    }
    guard let date = arguments.date("date") else {
      throw refuse(.badArguments, "date must be YYYY-MM-DD")
    }
    let day = String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    let time = arguments.string("time") ?? ""
    do {
      _ = try ClockTime.minutes(time, option: "time")
    } catch let failure as CommandFailure {
      throw refuse(failure.code, failure.message)
    }
    var recipients: [String] = []
    var seen: Set<String> = []
    for text in (arguments.string("to") ?? "").split(separator: ",") {
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty else { continue }
      do {
        let address = try MailAddress(trimmed)
        if seen.insert(address.text.lowercased()).inserted { recipients.append(address.text) }
      } catch {
        throw refuse(.badArguments, "to: \(trimmed) is not a mail address")
      }
    }
    guard !recipients.isEmpty else { throw refuse(.badArguments, "to: no address given") }
    guard recipients.count <= Self.maxNoticeRecipients else {
      throw refuse(
        .badArguments,
        "to: \(recipients.count) addresses; at most \(Self.maxNoticeRecipients) per notice")
    }
    let subject = arguments.string("subject") ?? ""
    let text = arguments.string("text") ?? ""
    guard !subject.trimmingCharacters(in: .whitespaces).isEmpty,
      !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    else { throw refuse(.badArguments, "the subject and the text must not be empty") }
    let payload = NoticeDeliveryPayload(
      noticeKind: "information", recipients: recipients, subject: subject, text: text)
    let baseEntry = Self.successEntry(context)
    let (jobID, local) = try await database.withTenant(tenant.id) {
      connection -> (UUID, String) in
      // The instant of that wall-clock time in the tenant's zone, by the database's zone rules.
      let row = try await connection.query(
        """
        select ($1::date + $2::time) at time zone t.time_zone,
               ($1::date + $2::time) at time zone t.time_zone < now(), t.time_zone
        from charter.tenants t where t.id = charter.current_tenant()
        """, [day, time]
      ).rows[0]
      let due = try row.decode(0, as: Date.self)
      let zone = try row.decode(2, as: String.self)
      if try row.decode(1, as: Bool.self) {
        throw refuse(.badArguments, "\(day) \(time) (\(zone)) has passed")
      }
      guard
        case .created(let jobID, _) = try await JobQueue.enqueue(
          try payload.job(subject: "notice: \(subject)", uniqueKey: nil, due: .at(due)),
          on: connection)
      else { throw refuse(.conflict, "the notice could not be scheduled; try again") }
      var entry = baseEntry
      entry.detail["job_id"] = jobID.uuidString.lowercased()
      entry.detail["recipients"] = String(recipients.count)
      try await AuditLog.append(entry, to: .tenant(tenant), on: connection)
      return (jobID, "\(day) \(time) \(zone)")
    }
    return CommandOutcome(
      reply: .ok(
        "notice \(jobID.uuidString.lowercased()) scheduled for \(local) to "
          + "\(recipients.count) address\(recipients.count == 1 ? "" : "es"); "
          + "JOBS SHOW \(jobID.uuidString.lowercased()) follows it"))
  }
}
