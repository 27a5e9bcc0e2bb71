import Foundation

/// The sizes of the daemon reliability tests (RELIABILITY.md §7.1). They run only when
/// CHARTER_RELIABILITY=1 (`Scripts/test reliability`, and the default `Scripts/test` run
/// as its last stage); the defaults finish in a few minutes on two cores.
/// CHARTER_RELIABILITY_FULL=1 runs the sizes of RELIABILITY.md (10,000 jobs, ≥ 50 kills);
/// CHARTER_RELIABILITY_JOBS=N sets the job count of the kill and two-daemon runs.
struct ReliabilityScale: Sendable {
  /// R1: jobs, tenants, the window their due times spread over, the fewest and most kills
  /// (the kills stop between the two once the window is over and everything is through).
  var killJobs: Int
  var tenants: Int
  var killWindow: Duration
  var minKills: Int
  var maxKills: Int
  /// R2: jobs of the fault-free two-daemon run.
  var twoDaemonJobs: Int
  /// R4: jobs of the PostgreSQL restart run.
  var restartJobs: Int
  /// R15: jobs of the SIGTERM run.
  var shutdownJobs: Int

  static var enabled: Bool { environment["CHARTER_RELIABILITY"] == "1" }

  static var current: ReliabilityScale {
    let full = environment["CHARTER_RELIABILITY_FULL"] == "1"
    var scale =
      full
      ? ReliabilityScale(
        killJobs: 10_000, tenants: 20, killWindow: .seconds(120), minKills: 50, maxKills: 100,
        twoDaemonJobs: 10_000, restartJobs: 2_000, shutdownJobs: 2_000)
      : ReliabilityScale(
        killJobs: 2_000, tenants: 20, killWindow: .seconds(60), minKills: 20, maxKills: 40,
        twoDaemonJobs: 2_000, restartJobs: 600, shutdownJobs: 600)
    if let text = environment["CHARTER_RELIABILITY_JOBS"], let jobs = Int(text), jobs > 0 {
      scale.killJobs = jobs
      scale.twoDaemonJobs = jobs
    }
    return scale
  }

  private static var environment: [String: String] { ProcessInfo.processInfo.environment }
}
