import Foundation

/// State shared between threads, guarded by a lock. Used for small bookkeeping (pool slots,
/// connection flags) that is touched from async code on any thread; libpq handles never live
/// here, they stay on their connection's queue.
final class Locked<State>: @unchecked Sendable {
  private let lock = NSLock()
  private var state: State

  init(_ state: State) {
    self.state = state
  }

  func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&state)
  }
}
