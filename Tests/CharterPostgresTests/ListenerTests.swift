import CharterPostgres
import Foundation
import Testing

/// Consumes a notification stream in the background so tests can wait with a timeout
/// (cancelling a task blocked in an AsyncStream's `next()` would end the stream itself).
final class NotificationCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var received: [PostgresNotification] = []
  private var task: Task<Void, Never>?

  init(_ stream: AsyncStream<PostgresNotification>) {
    task = Task { [weak self] in
      for await notification in stream {
        guard let self else { return }
        self.lock.withLock { self.received.append(notification) }
      }
    }
  }

  var all: [PostgresNotification] { lock.withLock { received } }

  /// Waits until a notification with `payload` arrived, up to `timeout`.
  func waitFor(payload: String, timeout: Duration = .seconds(60)) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if all.contains(where: { $0.payload == payload }) { return true }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return false
  }

  deinit { task?.cancel() }
}

/// Sends `payload` on `channel` every 100 ms until the collector has it or `timeout` passed:
/// after a reconnect the listener only hears what is sent once it has LISTENed again.
func notifyUntilHeard(
  _ collector: NotificationCollector, channel: String, payload: String,
  timeout: Duration = .seconds(60),
  send: (String, String) async throws -> Void
) async throws -> Bool {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    try? await send(channel, payload)
    if await collector.waitFor(payload: payload, timeout: .milliseconds(100)) { return true }
  }
  return false
}

@Suite struct ListenerTests {
  @Test func aNotificationFromAnotherConnectionArrives() async throws {
    let channel = TestDatabase.uniqueName("notices")
    let listener = PostgresListener(configuration: try TestDatabase.configuration())
    let collector = NotificationCollector(try await listener.listen(channel))
    try await withTestConnection { sender in
      try await sender.query("SELECT pg_notify($1, $2)", channel, "会议通知 meeting")
      #expect(await collector.waitFor(payload: "会议通知 meeting"))
      #expect(collector.all.first?.channel == channel)
      #expect(collector.all.first?.pid == sender.backendPID)
    }
    await listener.stop()
  }

  @Test func theListenerReconnectsAfterItsBackendIsTerminated() async throws {
    // RELIABILITY R5: kill only the LISTEN backend.
    let channel = TestDatabase.uniqueName("rescue")
    var configuration = try TestDatabase.configuration()
    configuration.applicationName = TestDatabase.uniqueName("listener")
    let listener = PostgresListener(
      configuration: configuration,
      reconnectBackoff: PostgresBackoff(initial: .milliseconds(20), maximum: .milliseconds(200)))
    let collector = NotificationCollector(try await listener.listen(channel))
    try await withTestConnection { admin in
      let killed = try await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
        configuration.applicationName
      ).scalar(as: Bool.self)
      #expect(killed)
      let heard = try await notifyUntilHeard(collector, channel: channel, payload: "after") {
        try await admin.query("SELECT pg_notify($1, $2)", $0, $1)
      }
      #expect(heard)
      #expect(listener.reconnectCount >= 1)
    }
    await listener.stop()
  }

  @Test func stopEndsTheStream() async throws {
    let listener = PostgresListener(configuration: try TestDatabase.configuration())
    let stream = try await listener.listen(TestDatabase.uniqueName("stop"))
    await listener.stop()
    var iterator = stream.makeAsyncIterator()
    #expect(await iterator.next() == nil)
  }
}
