/// One assignment of the sd_notify protocol (`sd_notify(3)`). Several go into one datagram,
/// one per line, and systemd applies them together.
public enum NotifyMessage: Sendable, Equatable {
  /// Start-up is finished: for `Type=notify`, systemd considers the unit started now.
  case ready
  /// A reload began. systemd 253 and newer want the moment too (`MONOTONIC_USEC`, from
  /// `CLOCK_MONOTONIC`) so a reload that began before a later state change is not confused with
  /// it; older versions ignore the extra line. Send `.ready` when the reload is done.
  case reloading(monotonicMicroseconds: UInt64)
  /// A graceful stop began.
  case stopping
  /// A one-line status shown by `systemctl status`.
  case status(String)
  /// The service is alive; systemd restarts it when these stop (`WatchdogSec=`).
  case watchdog
  /// Asks systemd for more time before its start, reload or stop timeout fires (long
  /// migrations): the new limit counts from now.
  case extendTimeout(microseconds: UInt64)

  /// `.reloading` stamped with the current monotonic time.
  public static func reloadingNow() -> NotifyMessage {
    .reloading(monotonicMicroseconds: MonotonicClock.microseconds())
  }

  /// The protocol's text for this message (without a line end).
  public var text: String {
    switch self {
    case .ready: "READY=1"
    case .reloading(let microseconds): "RELOADING=1\nMONOTONIC_USEC=\(microseconds)"
    case .stopping: "STOPPING=1"
    // A line end would start a new assignment: a status is one line by construction.
    case .status(let text):
      "STATUS=" + text.split(whereSeparator: \.isNewline).joined(separator: " ")
    case .watchdog: "WATCHDOG=1"
    case .extendTimeout(let microseconds): "EXTEND_TIMEOUT_USEC=\(microseconds)"
    }
  }

  /// The datagram carrying `messages`: their texts, one per line.
  public static func datagram(_ messages: [NotifyMessage]) -> String {
    messages.map(\.text).joined(separator: "\n")
  }
}
