import CCharterPOSIXShims
public import CharterProtocol
public import CharterTLS
import Dispatch

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// The admin server: a listening socket whose accept is driven by a Dispatch read source,
/// and one `AdminConnection` per client (docs/architecture.md, "Admin server").
///
/// Thread safety: the listener's state (connections, counts per address, the TLS context,
/// settings for new connections) lives on one serial queue; each connection has its own.
public final class AdminServer: @unchecked Sendable {
  private let queue = DispatchQueue(label: "charter.admin.listener")
  private let table: CommandTable
  private let registry: AdminCommandRegistry
  private let auditSink: any AdminAuditSink
  private let log: AdminServerLog

  private var settings: AdminServerSettings
  private var context: TLSServerContext
  private var listenFD: Int32 = -1
  private var boundPort: UInt16 = 0
  private var acceptSource: (any DispatchSourceRead)?
  private var isAcceptSuspended = false
  private var connections: [UInt64: AdminConnection] = [:]
  private var sessionsByAddress: [String: Int] = [:]
  private var refusedInFlight = 0
  private var nextID: UInt64 = 0

  /// Connections over a cap still get a TLS handshake and a goodbye line saying why; past
  /// this many such connections at once, further ones are closed without a word.
  static let maxRefusalsInFlight = 64

  public init(
    settings: AdminServerSettings, context: TLSServerContext,
    registry: AdminCommandRegistry = .builtIn(), auditSink: (any AdminAuditSink)? = nil,
    log: @escaping AdminServerLog = { _, _, _ in }
  ) {
    self.settings = settings
    self.context = context
    self.registry = registry
    self.table = registry.table
    self.auditSink = auditSink ?? LoggingAuditSink(log: log)
    self.log = log
  }

  /// Binds and starts accepting. Raises the open-file soft limit to the hard limit first and
  /// ignores SIGPIPE.
  public func start() throws(AdminServerError) {
    // A client that closes while we write must not kill the process (PLATFORM.md).
    ccharter_ignore_sigpipe()
    let fileLimit = ListeningSocket.raiseOpenFileLimit()
    let (fd, port) = try ListeningSocket.open(host: settings.host, port: settings.port)
    queue.sync {
      listenFD = fd
      boundPort = port
      let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
      source.setEventHandler { [self] in acceptPending() }
      source.setCancelHandler { Glibc.close(fd) }
      source.resume()
      acceptSource = source
    }
    log(.debug, "admin server: open-file limit \(fileLimit)", [:])
  }

  /// The port bound (the configured one, or the kernel's choice for port 0).
  public var port: UInt16 { queue.sync { boundPort } }

  /// Sessions open now (connections refused for a cap not counted).
  public var sessionCount: Int { queue.sync { connections.count - refusedInFlight } }

  /// SIGHUP: new connections use `context` and `settings` (limits and caps; the address
  /// stays); sessions already open keep their context and limits.
  public func reload(context: TLSServerContext, settings: AdminServerSettings? = nil) {
    queue.sync {
      self.context = context
      if let settings {
        let (host, port) = (self.settings.host, self.settings.port)
        self.settings = settings
        self.settings.host = host
        self.settings.port = port
      }
    }
  }

  /// Stops accepting; the listening socket is closed.
  public func stopAccepting() {
    queue.sync {
      guard let source = acceptSource else { return }
      if isAcceptSuspended {
        isAcceptSuspended = false
        source.resume()
      }
      source.cancel()
      acceptSource = nil
    }
  }

  /// SIGTERM: stop accepting; every session finishes its command in flight, says goodbye
  /// and closes; after `settings.shutdownGrace` the rest are dropped. Returns when every
  /// connection is closed (or a second after the grace period).
  public func shutdown() async {
    stopAccepting()
    let (open, grace) = queue.sync { (Array(connections.values), settings.shutdownGrace) }
    for connection in open { connection.requestShutdown() }
    if await waitUntilEmpty(within: grace) { return }
    let left = queue.sync { Array(connections.values) }
    log(
      .warning, "admin server: \(left.count) sessions still open after \(grace); dropping them", [:]
    )
    for connection in left { connection.forceClose() }
    _ = await waitUntilEmpty(within: .seconds(1))
  }

  private func waitUntilEmpty(within limit: Duration) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
      if queue.sync(execute: { connections.isEmpty }) { return true }
      try? await Task.sleep(for: .milliseconds(20))
    }
    return queue.sync { connections.isEmpty }
  }

  // MARK: Accepting (on `queue`)

  private func acceptPending() {
    while true {
      var storage = sockaddr_storage()
      var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
      let client = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          ccharter_accept_nonblocking(listenFD, $0, &length)
        }
      }
      if client < 0 {
        let code = errno
        switch code {
        case EAGAIN, EWOULDBLOCK:
          return
        case EINTR, ECONNABORTED, EPROTO:
          continue
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
          // Out of descriptors: the socket stays readable, so accepting again at once would
          // spin. Pause for a moment; closing sessions free descriptors.
          log(
            .warning, "admin server: accept: \(String(cString: strerror(code))); pausing 100 ms",
            [:])
          pauseAccepting(for: .milliseconds(100))
          return
        default:
          log(.error, "admin server: accept: \(String(cString: strerror(code)))", [:])
          pauseAccepting(for: .milliseconds(100))
          return
        }
      }
      admit(client, ListeningSocket.endpoint(of: storage))
    }
  }

  private func pauseAccepting(for delay: DispatchTimeInterval) {
    guard let source = acceptSource, !isAcceptSuspended else { return }
    isAcceptSuspended = true
    source.suspend()
    queue.asyncAfter(deadline: .now() + delay) { [self] in
      guard isAcceptSuspended, let source = acceptSource else { return }
      isAcceptSuspended = false
      source.resume()
    }
  }

  private func admit(_ fd: Int32, _ endpoint: (address: String, port: UInt16)) {
    let open = connections.count - refusedInFlight
    let fromAddress = sessionsByAddress[endpoint.address, default: 0]
    var refusal: String?
    if open >= settings.maxSessions {
      refusal = "server busy: \(settings.maxSessions) sessions open; try again later"
    } else if fromAddress >= settings.maxSessionsPerAddress {
      refusal =
        "too many sessions from \(endpoint.address) (limit \(settings.maxSessionsPerAddress))"
    }
    if refusal != nil, refusedInFlight >= Self.maxRefusalsInFlight {
      Glibc.close(fd)
      return
    }
    var one: Int32 = 1
    _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    let tls: TLSServerSession
    do {
      tls = try context.makeSession(fileDescriptor: fd)
    } catch {
      log(
        .error, "admin server: cannot start TLS for \(endpoint.address): \(error)",
        ["address": endpoint.address])
      Glibc.close(fd)
      return
    }
    nextID += 1
    let connection = AdminConnection(
      id: nextID, fd: fd, peer: PeerInfo(address: endpoint.address, port: endpoint.port), tls: tls,
      limits: settings.limits, table: table, registry: registry, auditSink: auditSink, log: log,
      refusal: refusal
    ) { [self] closed in
      queue.async { [self] in remove(closed) }
    }
    connections[connection.id] = connection
    if let refusal {
      refusedInFlight += 1
      log(
        .warning, "admin server: refused \(endpoint.address):\(endpoint.port): \(refusal)",
        ["session": String(connection.id), "address": endpoint.address])
    } else {
      sessionsByAddress[endpoint.address] = fromAddress + 1
    }
    connection.start()
  }

  private func remove(_ connection: AdminConnection) {
    guard connections.removeValue(forKey: connection.id) != nil else { return }
    if connection.refusal != nil {
      refusedInFlight -= 1
      return
    }
    let left = sessionsByAddress[connection.address, default: 1] - 1
    sessionsByAddress[connection.address] = left > 0 ? left : nil
  }
}
