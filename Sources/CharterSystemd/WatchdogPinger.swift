import Dispatch

/// Sends WATCHDOG=1 every `interval` from a Dispatch timer on its own queue, so a blocked
/// cooperative pool does not delay it, while a process that stops running Dispatch (a dead
/// lock in its queues, a crash) stops pinging and systemd restarts it. `isHealthy`, checked
/// before each ping, lets the owner withhold pings when it knows it is stuck.
public final class WatchdogPinger: @unchecked Sendable {
  private let queue = DispatchQueue(label: "charter.systemd.watchdog")
  private let timer: any DispatchSourceTimer
  // Touched only on `queue`.
  private var cancelled = false

  /// Starts pinging at once, then every `interval`. `onError` hears failed sends (on the
  /// pinger's queue); pinging goes on, as the service manager may come back.
  public init(
    notifier: SystemdNotifier, interval: Duration,
    isHealthy: @escaping @Sendable () -> Bool = { true },
    onError: @escaping @Sendable (SystemdError) -> Void = { _ in }
  ) {
    timer = DispatchSource.makeTimerSource(queue: queue)
    let nanoseconds = max(
      Int(
        clamping: interval.components.seconds * 1_000_000_000
          + interval.components.attoseconds / 1_000_000_000), 1_000_000)
    timer.schedule(
      deadline: .now(), repeating: .nanoseconds(nanoseconds), leeway: .milliseconds(10))
    timer.setEventHandler {
      guard isHealthy() else { return }
      do throws(SystemdError) {
        try notifier.send(.watchdog)
      } catch {
        onError(error)
      }
    }
    timer.resume()
  }

  /// Stops pinging; returns once no ping is in flight. Safe to call more than once.
  public func cancel() {
    queue.sync {
      guard !cancelled else { return }
      cancelled = true
      timer.cancel()
    }
  }

  deinit {
    cancel()
  }
}
