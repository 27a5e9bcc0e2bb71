import CharterAdminServer
import CharterPostgres
import CharterProtocol
import CharterScheduler
import Foundation

/// JOBS LIST / SHOW / RETRY / CANCEL (issue 6) over `JobAdministration`. Every query runs in
/// the current tenant's row-level-security context, so another tenant's job answers exactly
/// like a missing one (RELIABILITY S1); RETRY and CANCEL write their audit record in the
/// transaction that changes the job.
extension AccountsService {
  var jobAdministration: JobAdministration { JobAdministration(database: database) }

  static let jobColumns = ["id", "kind", "subject", "state", "due", "attempts", "last_error"]

  func jobsList(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let tenant = try await requiredTenant(context)
    let usage = context.invocation.spec.usage
    var cursor: JobCursor?
    if let token = arguments.string("after") {
      do {
        cursor = try JobCursor(token: token)
      } catch {
        throw CommandFailure(
          .badArguments, "<after> is not a cursor of JOBS LIST; usage: \(usage)",
          target: .tenant(tenant))
      }
    }
    let filter = JobFilter(
      kind: arguments.string("kind"),
      states: arguments.string("state").flatMap(JobState.init(rawValue:)).map { [$0] },
      dueFrom: arguments.date("due_from").flatMap(Self.shanghaiDayStart),
      dueBefore: arguments.date("due_before").flatMap(Self.shanghaiDayStart))
    let page = try await jobAdministration.list(
      tenant: tenant.id, filter: filter, after: cursor, limit: arguments.integer("limit") ?? 50)
    let rows = page.jobs.map { job in
      [
        job.id.uuidString.lowercased(), job.kind, job.subject, job.state.rawValue,
        AuditQuery.format(job.dueAt), "\(job.attempts)/\(job.maxAttempts)", job.lastError ?? "",
      ]
    }
    var status = Self.count(rows.count, "job")
    if let next = page.next { status += "; more: after=\(next.token)" }
    return CommandOutcome(reply: .table(columns: Self.jobColumns, rows: rows, status: .ok(status)))
  }

  func jobsShow(_ context: CommandContext) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    let id = try Self.idArgument(context)
    guard let job = try await jobAdministration.show(tenant: tenant.id, id: id) else {
      throw Self.noJob(id, tenant)
    }
    let summary = job.summary
    let rows = [
      ["id", summary.id.uuidString.lowercased()], ["tenant", tenant.slug], ["kind", summary.kind],
      ["subject", summary.subject], ["state", summary.state.rawValue],
      ["due", AuditQuery.format(summary.dueAt)], ["attempts", String(summary.attempts)],
      ["max_attempts", String(summary.maxAttempts)], ["last_error", summary.lastError ?? ""],
      ["unique_key", job.uniqueKey ?? ""], ["payload", job.payload.text],
      ["lease_owner", job.leaseOwner ?? ""],
      ["lease_expires", job.leaseExpiresAt.map(AuditQuery.format) ?? ""],
      ["created", AuditQuery.format(job.createdAt)],
      ["updated", AuditQuery.format(summary.updatedAt)],
      ["finished", job.finishedAt.map(AuditQuery.format) ?? ""],
    ]
    return CommandOutcome(reply: .table(columns: ["field", "value"], rows: rows, status: .ok("")))
  }

  func jobsRetry(_ context: CommandContext) async throws -> CommandOutcome {
    try await changeJob(context, verb: "retried", applies: "dead or failed") { id, connection in
      try await JobAdministration.retry(id: id, on: connection)
    }
  }

  func jobsCancel(_ context: CommandContext) async throws -> CommandOutcome {
    try await changeJob(context, verb: "cancelled", applies: "pending") { id, connection in
      try await JobAdministration.cancel(id: id, on: connection)
    }
  }

  private func changeJob(
    _ context: CommandContext, verb: String, applies: String,
    _ change: @Sendable (UUID, PostgresConnection) async throws -> JobCommandResult
  ) async throws -> CommandOutcome {
    let tenant = try await requiredTenant(context)
    let id = try Self.idArgument(context)
    let entry = Self.successEntry(context)
    try await database.withTenant(tenant.id) { connection in
      switch try await change(id, connection) {
      case .changed:
        try await AuditLog.append(entry, to: .tenant(tenant), on: connection)
      case .notFound:
        throw Self.noJob(id, tenant)
      case .refused(let current):
        throw CommandFailure(
          .conflict,
          "job \(id.uuidString.lowercased()) is \(current.rawValue); "
            + "\(context.invocation.spec.name) applies to \(applies) jobs",
          target: .tenant(tenant))
      }
    }
    return CommandOutcome(reply: .ok("job \(id.uuidString.lowercased()) \(verb)"))
  }

  static func noJob(_ id: UUID, _ tenant: TenantRef) -> CommandFailure {
    CommandFailure(.notFound, "no job \(id.uuidString.lowercased())", target: .tenant(tenant))
  }
}
