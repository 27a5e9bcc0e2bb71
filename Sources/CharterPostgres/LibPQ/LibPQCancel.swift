internal import CLibPQ
import Dispatch

/// Owns one `PGcancel` (from `PQgetCancel`); `PQfreeCancel` happens here only. libpq documents
/// `PQcancel` as safe to call from any thread while the connection is busy on another, which
/// is the point: it interrupts a statement blocking the connection's queue.
final class LibPQCancel: @unchecked Sendable {
  private let pointer: OpaquePointer
  /// Cancel requests still being sent.
  private let inFlight = DispatchGroup()

  /// Takes ownership of a `PGcancel` returned by `PQgetCancel`.
  init(taking pointer: OpaquePointer) {
    self.pointer = pointer
  }

  deinit {
    PQfreeCancel(pointer)
  }

  /// Asks the server to cancel the statement running now. Sending the request opens a new
  /// connection, so it happens on a Dispatch thread, never on the caller's.
  func requestCancel() {
    inFlight.enter()
    DispatchQueue.global().async {
      withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { errorBuffer in
        _ = PQcancel(self.pointer, errorBuffer.baseAddress, 256)
      }
      self.inFlight.leave()
    }
  }

  /// Called on the connection's queue before each statement: a cancel request that is still
  /// on its way could otherwise hit the next statement (perhaps another task's, once the
  /// connection is back in a pool). `PQcancel` returns after the server signalled the
  /// backend, and a backend that is idle by then ignores the signal. Returns at once when
  /// no request is pending.
  func waitForPendingRequests() {
    inFlight.wait()
  }
}
