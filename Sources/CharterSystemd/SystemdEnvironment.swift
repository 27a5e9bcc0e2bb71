#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// What the service manager told this process through its environment: where to send
/// notifications (`NOTIFY_SOCKET`) and how often to ping the watchdog (`WATCHDOG_USEC`, for
/// `WATCHDOG_PID` or, when that is unset, for whoever reads it).
public struct SystemdEnvironment: Sendable {
  public static let variableNames = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"]

  public var notifier: SystemdNotifier
  /// How often to send WATCHDOG=1; nil when no watchdog is asked of this process.
  public var watchdogInterval: Duration?
  /// Values that were set but not understood, to log once (the notifier is disabled then).
  public var problems: [String]

  /// Reads the variables from `variables`; `processID` is ours, compared with WATCHDOG_PID.
  public init(variables: [String: String], processID: Int32) {
    problems = []
    notifier = .disabled
    if let value = variables["NOTIFY_SOCKET"], !value.isEmpty {
      do {
        notifier = SystemdNotifier(address: try NotifySocketAddress(value))
      } catch {
        problems.append(error.description)
      }
    }
    watchdogInterval = Self.watchdogInterval(
      microseconds: variables["WATCHDOG_USEC"], forProcess: variables["WATCHDOG_PID"],
      processID: processID)
  }

  /// Reads the variables of this process and removes them (`sd_notify(unset_environment: 1)`),
  /// so children — the embedded PostgreSQL, itself built with sd_notify support — neither
  /// speak to our service manager nor believe a watchdog is asked of them. Call it once, first
  /// thing in `main`, before any thread or child exists (setenv and unsetenv are not
  /// thread-safe).
  public static func takeFromProcess() -> SystemdEnvironment {
    var variables: [String: String] = [:]
    for name in variableNames {
      if let value = getenv(name) { variables[name] = String(cString: value) }
      unsetenv(name)
    }
    return SystemdEnvironment(variables: variables, processID: getpid())
  }

  /// Half the watchdog timeout, as sd_watchdog_enabled(3) advises: a ping can be late by up to
  /// half the period without a restart. nil when WATCHDOG_USEC is unset, zero or not a number,
  /// or when WATCHDOG_PID names another process (the watchdog is then that process's).
  public static func watchdogInterval(
    microseconds: String?, forProcess pid: String?, processID: Int32
  ) -> Duration? {
    guard let microseconds, let timeout = UInt64(microseconds), timeout > 0 else { return nil }
    if let pid, !pid.isEmpty {
      guard let owner = Int32(pid), owner == processID else { return nil }
    }
    return .microseconds(Int64(clamping: timeout / 2))
  }
}
