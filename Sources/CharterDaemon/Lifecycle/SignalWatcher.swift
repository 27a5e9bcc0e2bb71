import Dispatch

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// Turns SIGTERM, SIGINT and SIGHUP into events on a queue, via Dispatch signal sources
/// (the signal itself is ignored so the default action does not kill us first).
/// A second SIGTERM or SIGINT exits at once, as operators expect (STYLE.md 8).
public final class SignalWatcher: @unchecked Sendable {
  public enum Event: Sendable { case terminate, reload }

  private let queue = DispatchQueue(label: "charter.signals")
  private var sources: [any DispatchSourceSignal] = []
  private var terminationRequested = false  // touched only on `queue`

  public init(handler: @escaping @Sendable (Event) -> Void) {
    for (number, event) in [(SIGTERM, Event.terminate), (SIGINT, .terminate), (SIGHUP, .reload)] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler { [unowned self] in
        if event == .terminate {
          if terminationRequested { _exit(128 + number) }
          terminationRequested = true
        }
        handler(event)
      }
      source.resume()
      sources.append(source)
    }
  }

  public func cancel() {
    queue.sync {
      for source in sources { source.cancel() }
      sources.removeAll()
    }
  }
}
