public import CharterSystemd
import Synchronization

/// The daemon's side of `Type=notify` (Deploy/charterd.service): what RunCommand tells
/// systemd, and the watchdog. Every call is a no-op when not started by systemd, and a failed
/// send is logged, never fatal (the daemon serves even if the service manager went away).
///
/// Wiring in RunCommand, in order:
/// 1. `let serviceManager = ServiceManagerLink.takeFromProcess()` first, before the embedded
///    PostgreSQL is spawned (removes NOTIFY_SOCKET and WATCHDOG_* from the environment, so
///    PostgreSQL — itself sd_notify-aware — does not speak to our service manager);
/// 2. `serviceManager.startWatchdog()` right after (a no-op unless `WatchdogSec=` is set);
/// 3. `serviceManager.ready(status:)` once migrations ran, the posture check passed and the
///    admin server listens;
/// 4. on SIGHUP: `serviceManager.reloading()` before reading the file, `serviceManager.ready(status:)`
///    when the reload is applied (or refused: the old configuration is still serving);
/// 5. on SIGTERM: `serviceManager.stopping()` before draining, `serviceManager.stopWatchdog()`
///    at the end.
public final class ServiceManagerLink: Sendable {
  public let environment: SystemdEnvironment
  private let pinger: Mutex<WatchdogPinger?>

  init(environment: SystemdEnvironment) {
    self.environment = environment
    pinger = Mutex(nil)
    for problem in environment.problems { DaemonLog.warning("systemd: \(problem)") }
  }

  /// Reads and removes NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID. Call once, early.
  public static func takeFromProcess() -> ServiceManagerLink {
    ServiceManagerLink(environment: .takeFromProcess())
  }

  public var isEnabled: Bool { environment.notifier.isEnabled }

  /// Pings WATCHDOG=1 at half of `WatchdogSec=` from its own Dispatch queue.
  public func startWatchdog() {
    guard let interval = environment.watchdogInterval, environment.notifier.isEnabled else {
      return
    }
    let notifier = environment.notifier
    pinger.withLock { current in
      guard current == nil else { return }
      current = WatchdogPinger(
        notifier: notifier, interval: interval,
        onError: { error in DaemonLog.warning("systemd watchdog: \(error)") })
    }
    DaemonLog.info("systemd watchdog: pinging every \(interval)")
  }

  public func stopWatchdog() {
    let stopped = pinger.withLock { current in
      defer { current = nil }
      return current
    }
    stopped?.cancel()
  }

  /// READY=1 with a status line (after start-up, and after each reload).
  public func ready(status: String) { send([.ready, .status(status)]) }

  /// RELOADING=1 with MONOTONIC_USEC (systemd 253+), at the start of a reload.
  public func reloading() { send([.reloadingNow(), .status("reloading the configuration")]) }

  /// STOPPING=1, at the start of a graceful stop.
  public func stopping() { send([.stopping, .status("stopping")]) }

  public func status(_ text: String) { send([.status(text)]) }

  /// More time before systemd's start timeout fires, e.g. before long migrations.
  public func extendTimeout(by duration: Duration) {
    let microseconds =
      duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    send([.extendTimeout(microseconds: UInt64(clamping: max(microseconds, 0)))])
  }

  private func send(_ messages: [NotifyMessage]) {
    do {
      try environment.notifier.send(messages)
    } catch {
      DaemonLog.warning("systemd: \(error)")
    }
  }
}
