import Dispatch

/// Runs a task's jobs on a connection's serial queue. A task that prefers this executor
/// (`PostgresConnection.withQueueAffinity`) is already on the queue when it calls libpq, so a
/// query runs inline without hopping threads twice per round trip.
final class ConnectionQueueExecutor: TaskExecutor, @unchecked Sendable {
  let queue: DispatchQueue
  private static let key = DispatchSpecificKey<ObjectIdentifier>()

  init(queue: DispatchQueue) {
    self.queue = queue
    queue.setSpecific(key: Self.key, value: ObjectIdentifier(self))
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    queue.async {
      job.runSynchronously(on: self.asUnownedTaskExecutor())
    }
  }

  /// True when the calling code runs on this executor's queue.
  var isCurrent: Bool {
    DispatchQueue.getSpecific(key: Self.key) == ObjectIdentifier(self)
  }
}
