import Dispatch

/// The threads libcurl's blocking transfers run on: a Dispatch queue the sender owns, never the
/// Swift concurrency pool (a 10-minute SMTP wait would hold one of its few threads).
final class BlockingTransferQueue: Sendable {
  private let queue: DispatchQueue

  init(label: String) {
    queue = DispatchQueue(label: label, attributes: .concurrent)
  }

  func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      queue.async { continuation.resume(returning: work()) }
    }
  }
}
