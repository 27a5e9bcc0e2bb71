/// A counting semaphore for tasks: at most `limit` holders at once, the others wait in
/// arrival order without blocking a thread.
actor AsyncSemaphore {
  private var available: Int
  private var waiters: [CheckedContinuation<Void, Never>] = []

  init(limit: Int) {
    available = max(1, limit)
  }

  func acquire() async {
    if available > 0 {
      available -= 1
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  func release() {
    if waiters.isEmpty {
      available += 1
    } else {
      // The permit passes straight to the oldest waiter.
      waiters.removeFirst().resume()
    }
  }

  /// Runs `body` holding one permit.
  func withPermit<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
    await acquire()
    let value = await body()
    release()
    return value
  }
}
