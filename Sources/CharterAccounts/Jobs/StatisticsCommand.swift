import CharterAdminServer
import CharterProtocol
import CharterScheduler
import Foundation

/// STATS (issue 6): the current tenant's job queue; an operator without TENANT USE sees the
/// whole installation (every tenant summed, each read in its own tenant transaction).
extension AccountsService {
  func statistics(_ context: CommandContext) async throws -> CommandOutcome {
    let scope: String
    let statistics: JobStatistics
    if let tenant = try await currentTenant(context) {
      scope = tenant.slug
      statistics = try await jobAdministration.statistics(tenant: tenant.id)
    } else {
      scope = "installation"
      statistics = try await jobAdministration.installationStatistics()
    }
    var rows = [["scope", scope]]
    for state in JobState.allCases {
      rows.append([state.rawValue, String(statistics.countsByState[state, default: 0])])
    }
    rows += [
      ["oldest_pending_due", statistics.oldestPendingDue.map(AuditQuery.format) ?? ""],
      ["lateness_seconds", statistics.oldestOverdueLateness.map(Self.seconds) ?? ""],
      ["waiting_for_retry", String(statistics.waitingForRetry)],
      [
        "failures",
        String(statistics.dead + statistics.countsByState[.failed, default: 0]),
      ],
    ]
    return CommandOutcome(reply: .table(columns: ["field", "value"], rows: rows, status: .ok("")))
  }

  /// `12.345`: milliseconds are what lateness is judged by.
  static func seconds(_ duration: Duration) -> String {
    let milliseconds =
      duration.components.seconds * 1000
      + duration.components.attoseconds / 1_000_000_000_000_000
    let whole = milliseconds / 1000
    let fraction = String(milliseconds % 1000)
    return "\(whole).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
  }
}
