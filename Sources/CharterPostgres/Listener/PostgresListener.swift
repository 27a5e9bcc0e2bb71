import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// LISTEN/NOTIFY on a dedicated connection. A Dispatch read source on the connection's socket
/// wakes the listener when the server sends something; everything (libpq calls, the source's
/// handlers, the subscriber table) runs on the listener's one serial queue.
///
/// When the connection dies (server restart, `pg_terminate_backend`), the listener cancels the
/// source, reconnects with backoff and LISTENs again on every channel that has subscribers,
/// without the caller doing anything. Notifications sent while it was disconnected are lost
/// (PostgreSQL does not keep them): `onReconnect` tells the caller to reconcile by polling.
///
/// Channel names are passed quoted, so they are case-sensitive: NOTIFY them with the same
/// spelling (lower case avoids surprises with unquoted `NOTIFY name`).
public final class PostgresListener: @unchecked Sendable {
  public let configuration: PostgresConfiguration
  public let reconnectBackoff: PostgresBackoff
  private let onReconnect: (@Sendable () -> Void)?
  private let queue = DispatchQueue(label: "charter.postgres.listener")
  private let counters = Locked(Counters())

  // Touched only on `queue`.
  private var connection: LibPQConnection?
  private var source: (any DispatchSourceRead)?
  /// The duplicate of libpq's socket that `source` watches; -1 when disconnected.
  private var watchedSocket: Int32 = -1
  private var livenessTimer: (any DispatchSourceTimer)?
  private var subscribers: [String: [UInt64: AsyncStream<PostgresNotification>.Continuation]] = [:]
  private var nextSubscriberID: UInt64 = 0
  private var isStopped = false
  private var isReconnectScheduled = false
  private var failedAttempts = 0
  private var hasConnectedBefore = false

  private struct Counters {
    var reconnects = 0
    var isConnected = false
  }

  public init(
    configuration: PostgresConfiguration, reconnectBackoff: PostgresBackoff = .default,
    onReconnect: (@Sendable () -> Void)? = nil
  ) {
    self.configuration = configuration
    self.reconnectBackoff = reconnectBackoff
    self.onReconnect = onReconnect
  }

  deinit {
    // A resumed source outlives its owner: cancel it so it cannot fire for ever.
    source?.cancel()
    livenessTimer?.cancel()
    for continuation in subscribers.values.flatMap(\.values) { continuation.finish() }
  }

  /// Times the listener connected again after losing its connection.
  public var reconnectCount: Int { counters.withLock { $0.reconnects } }

  public var isConnected: Bool { counters.withLock { $0.isConnected } }

  /// Subscribes to `channel`. The stream ends when `stop()` is called; ending its iteration
  /// unsubscribes. If the server is unreachable, the listener keeps trying in the background
  /// and the stream starts delivering once it is connected.
  public func listen(_ channel: String) async throws(PostgresError) -> AsyncStream<
    PostgresNotification
  > {
    let (stream, continuation) = AsyncStream.makeStream(of: PostgresNotification.self)
    try await PostgresConnection.run(on: queue) { () throws(PostgresError) in
      try self.subscribe(channel, continuation)
    }
    return stream
  }

  /// Closes the connection and ends every stream.
  public func stop() async {
    _ = try? await PostgresConnection.run(on: queue) { () throws(PostgresError) in
      self.isStopped = true
      self.livenessTimer?.cancel()
      self.livenessTimer = nil
      self.dropConnection()
      let continuations = self.subscribers.values.flatMap(\.values)
      self.subscribers = [:]
      for continuation in continuations { continuation.finish() }
    }
  }

  // MARK: - On the queue

  private func subscribe(
    _ channel: String, _ continuation: AsyncStream<PostgresNotification>.Continuation
  )
    throws(PostgresError)
  {
    dispatchPrecondition(condition: .onQueue(queue))
    guard !isStopped else { throw PostgresError(kind: .closed, message: "the listener is stopped") }
    let id = nextSubscriberID
    nextSubscriberID += 1
    let isNewChannel = subscribers[channel] == nil
    subscribers[channel, default: [:]][id] = continuation
    continuation.onTermination = { [weak self] _ in
      guard let self else { return }
      self.queue.async { self.unsubscribe(channel, id) }
    }
    if let connection {
      guard isNewChannel else { return }
      do {
        try execute(isListen: true, channel, on: connection)
      } catch  where error.kind == .connection {
        connectionLost()
      }
    } else if !isReconnectScheduled {
      do {
        try connect()
      } catch {
        scheduleReconnect()
      }
    }
  }

  private func unsubscribe(_ channel: String, _ id: UInt64) {
    dispatchPrecondition(condition: .onQueue(queue))
    subscribers[channel]?[id] = nil
    guard subscribers[channel]?.isEmpty == true else { return }
    subscribers[channel] = nil
    guard let connection else { return }
    do {
      try execute(isListen: false, channel, on: connection)
    } catch  where error.kind == .connection {
      connectionLost()
    } catch {}
  }

  private func execute(isListen: Bool, _ channel: String, on connection: LibPQConnection)
    throws(PostgresError)
  {
    let identifier = try connection.escapeIdentifier(channel)
    _ = try connection.execute(
      (isListen ? "LISTEN " : "UNLISTEN ") + identifier, PostgresBindings(capacity: 0))
    // Notifications can arrive together with the reply and wait in libpq's buffer, where
    // the socket never signals them: take them now.
    deliver(connection.takeNotifications())
  }

  private func connect() throws(PostgresError) {
    dispatchPrecondition(condition: .onQueue(queue))
    let connection = try LibPQConnection.connect(configuration)
    for channel in subscribers.keys.sorted() {
      try execute(isListen: true, channel, on: connection)
    }
    // The source watches a duplicate of libpq's socket that only its cancel handler closes.
    // libpq closes its own descriptor as soon as PQconsumeInput sees the server hang up,
    // before we can cancel the source; another connection opened meanwhile could then get
    // the same number, and Dispatch, still holding a registration for it, would never
    // report that new socket's events.
    let watched = dup(connection.socket)
    guard watched >= 0 else {
      throw PostgresError(
        kind: .connection, message: "cannot duplicate the listener's socket (errno \(errno))")
    }
    let source = DispatchSource.makeReadSource(fileDescriptor: watched, queue: queue)
    source.setEventHandler { [weak self] in self?.readAvailableInput() }
    source.setCancelHandler {
      close(watched)
      connection.finish()
    }
    source.resume()
    self.connection = connection
    self.source = source
    watchedSocket = watched
    startLivenessTimer()
    deliver(connection.takeNotifications())
    failedAttempts = 0
    let isReconnect = hasConnectedBefore
    hasConnectedBefore = true
    counters.withLock { counters in
      counters.isConnected = true
      if isReconnect { counters.reconnects += 1 }
    }
    if isReconnect { onReconnect?() }
  }

  private func readAvailableInput() {
    dispatchPrecondition(condition: .onQueue(queue))
    guard let connection else { return }
    // When the backend dies the socket stays readable and PQconsumeInput fails.
    guard connection.consumeInput() else {
      connectionLost()
      return
    }
    deliver(connection.takeNotifications())
    // A dying backend sends its FATAL message and hangs up; PQconsumeInput may read the
    // message without seeing the hang-up, and Dispatch does not always report a readable
    // socket that holds nothing but end-of-file. Look for it ourselves.
    checkPeerClosed()
  }

  /// Connection lost when the server has closed its end (a non-blocking peek reads 0 bytes).
  private func checkPeerClosed() {
    dispatchPrecondition(condition: .onQueue(queue))
    guard connection != nil, watchedSocket >= 0 else { return }
    var byte: UInt8 = 0
    let count = recv(watchedSocket, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
    let failed = count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR
    if count == 0 || failed {
      connectionLost()
    }
  }

  /// Also checks every second, for a hang-up that arrives after the last readable event.
  private func startLivenessTimer() {
    guard livenessTimer == nil else { return }
    let timer = DispatchSource.makeTimerSource(queue: queue)
    timer.schedule(deadline: .now() + 1, repeating: 1)
    timer.setEventHandler { [weak self] in self?.checkPeerClosed() }
    timer.resume()
    livenessTimer = timer
  }

  private func deliver(_ notifications: [PostgresNotification]) {
    for notification in notifications {
      for continuation in subscribers[notification.channel]?.values ?? [:].values {
        continuation.yield(notification)
      }
    }
  }

  private func connectionLost() {
    dropConnection()
    scheduleReconnect()
  }

  private func dropConnection() {
    if let source {
      source.cancel()  // its cancel handler finishes the connection
    } else {
      connection?.finish()
    }
    source = nil
    connection = nil
    watchedSocket = -1
    counters.withLock { $0.isConnected = false }
  }

  private func scheduleReconnect() {
    guard !isStopped, !isReconnectScheduled else { return }
    isReconnectScheduled = true
    let delay = reconnectBackoff.delay(attempt: failedAttempts)
    failedAttempts += 1
    queue.asyncAfter(deadline: .now() + delay.seconds) { [weak self] in
      guard let self else { return }
      self.isReconnectScheduled = false
      guard !self.isStopped, self.connection == nil else { return }
      do {
        try self.connect()
      } catch {
        self.dropConnection()
        self.scheduleReconnect()
      }
    }
  }
}
