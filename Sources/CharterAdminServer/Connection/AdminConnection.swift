import CharterProtocol
import CharterTLS
import Dispatch

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// One client connection: a TLS session over a non-blocking socket, driven by Dispatch
/// sources on the connection's own serial queue, feeding an `AdminSession` and doing what
/// it asks (docs/architecture.md, "Admin server").
///
/// Every stored property is touched only on `queue` (the Dispatch handlers are not
/// Sendable-checked on Linux, PLATFORM.md: the queue discipline is the guarantee).
final class AdminConnection: @unchecked Sendable {
  let id: UInt64
  let address: String
  /// Set when the connection is over a cap: after the handshake it gets this goodbye.
  let refusal: String?
  private let fd: Int32
  private let queue: DispatchQueue
  private let tls: TLSServerSession
  private var session: AdminSession
  private var peer: PeerInfo
  private let limits: SessionLimits
  private let registry: AdminCommandRegistry
  private let auditSink: any AdminAuditSink
  private let log: AdminServerLog
  private let onClosed: @Sendable (AdminConnection) -> Void

  private let readSource: any DispatchSourceRead
  private let writeSource: any DispatchSourceWrite
  /// One timer per connection, re-armed to the session's next deadline (PLATFORM.md,
  /// Dispatch timers); during a closing flush it holds the flush deadline.
  private let timer: any DispatchSourceTimer
  private var isReadSourceResumed = false
  private var isWriteSourceResumed = false

  private var isHandshaking = true
  private var isReadingPaused = false
  /// SSL_read asked for writability (a key update): read again when the socket is writable.
  private var readWantsWrite = false
  /// Encrypted-to-be output: bytes from `outputStart` on are not yet taken by TLS.
  private var output: [UInt8] = []
  private var outputStart = 0
  private var pendingEvents: [SessionEvent] = []
  private var isDelivering = false
  private var isClosing = false
  private var isTornDown = false
  private var pendingCancellations = 0
  /// Commands dispatched so far: the second part of their request ids.
  private var requestCount = 0

  init(
    id: UInt64, fd: Int32, peer: PeerInfo, tls: TLSServerSession, limits: SessionLimits,
    table: CommandTable, registry: AdminCommandRegistry, auditSink: any AdminAuditSink,
    log: @escaping AdminServerLog, refusal: String?,
    onClosed: @escaping @Sendable (AdminConnection) -> Void
  ) {
    self.id = id
    self.fd = fd
    self.address = peer.address
    self.peer = peer
    self.tls = tls
    self.limits = limits
    self.registry = registry
    self.auditSink = auditSink
    self.log = log
    self.refusal = refusal
    self.onClosed = onClosed
    queue = DispatchQueue(label: "charter.admin.session", target: .global())
    session = AdminSession(table: table, limits: limits, now: .now)
    readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
    writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
    timer = DispatchSource.makeTimerSource(queue: queue)
  }

  // MARK: Called by the server

  func start() {
    queue.async { [self] in
      readSource.setEventHandler { [self] in readable() }
      writeSource.setEventHandler { [self] in writable() }
      timer.setEventHandler { [self] in timerFired() }
      for source in [readSource, writeSource, timer] as [any DispatchSourceProtocol] {
        source.setCancelHandler { [self] in sourceCancelled() }
      }
      timer.schedule(deadline: .distantFuture)
      timer.resume()
      setReadInterest(true)
      deliver(.connected)
      // The ClientHello may already be there.
      handshakeStep()
    }
  }

  /// SIGTERM: the command in flight finishes, then goodbye.
  func requestShutdown() {
    queue.async { [self] in deliver(.shutdownRequested) }
  }

  /// The grace period is over: drop the connection without further writing.
  func forceClose() {
    queue.async { [self] in teardown() }
  }

  // MARK: Socket events

  private func readable() {
    guard !isTornDown else { return }
    if isHandshaking {
      handshakeStep()
    } else {
      readLoop()
    }
  }

  private func writable() {
    guard !isTornDown else { return }
    if isHandshaking {
      handshakeStep()
      return
    }
    if readWantsWrite {
      readWantsWrite = false
      readLoop()
    }
    flush()
  }

  private func timerFired() {
    guard !isTornDown else { return }
    if isClosing {
      // The closing flush ran out of time: the client does not read.
      teardown()
    } else {
      deliver(.timerFired)
    }
  }

  private func handshakeStep() {
    guard isHandshaking, !isTornDown, !isClosing else { return }
    switch tls.handshake() {
    case .done:
      isHandshaking = false
      setWriteInterest(false)
      if let certificate = tls.verifiedPeerCertificate {
        peer.clientCertificateSubject = certificate.subject
        peer.clientCertificateFingerprint = certificate.fingerprint.lowercaseHex
      }
      if let refusal {
        output = ReplyEncoder.encode(status: .bye(.unavailable, refusal), mode: .text)
        beginClose(.shutdown, audit: false)
        return
      }
      log(
        .info,
        "admin session opened from \(peer.address):\(peer.port) (\(tls.protocolVersion ?? "?") "
          + "\(tls.cipherName ?? "?"))", logFields())
      deliver(.handshakeCompleted)
      readLoop()
    case .wantRead:
      setWriteInterest(false)
    case .wantWrite:
      setWriteInterest(true)
    case .failed(let error):
      log(.debug, "admin session: TLS handshake failed: \(error)", logFields())
      teardown()
    }
  }

  /// Reads until OpenSSL needs the socket: records already decrypted wait inside OpenSSL,
  /// where the read source would never signal them (PLATFORM.md, OpenSSL 3).
  private func readLoop() {
    while !isTornDown, !isClosing, !isHandshaking, !isReadingPaused {
      let (result, bytes) = withUnsafeTemporaryAllocation(byteCount: 16_384, alignment: 1) {
        buffer -> (TLSReadResult, [UInt8]) in
        let result = tls.read(into: buffer)
        if case .bytes(let count) = result { return (result, Array(buffer[0..<count])) }
        return (result, [])
      }
      switch result {
      case .bytes:
        deliver(.bytesReceived(bytes))
      case .wantRead:
        return
      case .wantWrite:
        readWantsWrite = true
        setWriteInterest(true)
        return
      case .closed, .failed:
        deliver(.peerClosed)
        return
      }
    }
  }

  /// Hands TLS as much output as the socket takes; reports progress to the session.
  private func flush() {
    guard !isTornDown else { return }
    var written = 0
    while outputStart < output.count {
      let result = output.withUnsafeBytes {
        tls.write(UnsafeRawBufferPointer(rebasing: $0[outputStart...]))
      }
      switch result {
      case .wrote(let count):
        outputStart += count
        written += count
        continue
      case .wantWrite:
        setWriteInterest(true)
      case .wantRead:
        break  // the read source is on while the session is open
      case .failed:
        output = []
        outputStart = 0
        if isClosing { teardown() } else { deliver(.peerClosed) }
        return
      }
      break
    }
    if outputStart == output.count {
      output.removeAll(keepingCapacity: output.capacity <= 65_536)
      outputStart = 0
      if !readWantsWrite { setWriteInterest(false) }
    } else if outputStart > 65_536, outputStart * 2 > output.count {
      output.removeFirst(outputStart)
      outputStart = 0
    }
    if isClosing {
      if output.isEmpty { finishClose() }
    } else if written > 0 {
      deliver(.outputWritten(written))
    }
  }

  // MARK: The session

  /// Feeds one event to the session and performs its actions. Events raised while doing so
  /// (output written, a command without handler) wait their turn: no re-entrance.
  private func deliver(_ event: SessionEvent) {
    guard !isTornDown else { return }
    pendingEvents.append(event)
    guard !isDelivering else { return }
    isDelivering = true
    defer { isDelivering = false }
    while !pendingEvents.isEmpty, !isTornDown {
      let next = pendingEvents.removeFirst()
      for action in session.handle(next, now: .now) { perform(action) }
      if !isClosing { flush() }
    }
    pendingEvents = []
  }

  private func perform(_ action: SessionAction) {
    guard !isTornDown else { return }
    switch action {
    case .send(let bytes):
      if !isClosing { output.append(contentsOf: bytes) }
    case .dispatch(let invocation):
      dispatch(invocation)
    case .armTimer(let instant):
      let delay = ContinuousClock.now.duration(to: instant)
      let (seconds, attoseconds) = delay.components
      let nanoseconds = max(0, Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
      timer.schedule(deadline: .now() + .nanoseconds(nanoseconds))
    case .cancelTimer:
      timer.schedule(deadline: .distantFuture)
    case .pauseReading:
      isReadingPaused = true
      setReadInterest(false)
    case .resumeReading:
      isReadingPaused = false
      setReadInterest(true)
      // Records may wait inside OpenSSL; the socket will not say so.
      queue.async { [self] in readLoop() }
    case .close(let reason):
      beginClose(reason, audit: true)
    case .denied(let denial):
      let sink = auditSink
      let peer = peer
      let id = id
      let fields = logFields()
      Task {
        await AdminRequestContext.$logFields.withValue(fields) {
          await sink.recordDenial(denial, peer: peer, sessionID: id)
        }
      }
    }
  }

  private func dispatch(_ invocation: CommandInvocation) {
    guard let handler = registry.handler(for: invocation.spec) else {
      deliver(
        .commandCompleted(
          CommandOutcome(
            reply: .error(
              .unavailable, "\(invocation.spec.name) is not available on this server yet"))))
      return
    }
    let context = CommandContext(invocation: invocation, peer: peer, sessionID: id)
    requestCount += 1
    var requestFields = logFields()
    requestFields["request"] = "\(id)-\(requestCount)"
    requestFields["command"] = invocation.spec.name
    let started = ContinuousClock.now
    Task { [self, requestFields] in
      let outcome = await AdminRequestContext.$logFields.withValue(requestFields) {
        await handler(context)
      }
      queue.async { [self] in
        var fields = requestFields
        // The line of a LOGIN that succeeded names who logged in; of a TENANT USE, the tenant.
        switch outcome.change {
        case .loggedIn(let principal):
          fields["admin"] = principal.name
          if case .tenant(let slug, _) = principal.scope { fields["tenant"] = slug }
        case .tenantSelected(let slug):
          fields["tenant"] = slug
        case .loggedOut, nil:
          break
        }
        let elapsed = (ContinuousClock.now - started).components
        fields["duration_ms"] = String(
          elapsed.seconds * 1_000 + elapsed.attoseconds / 1_000_000_000_000_000)
        let result: String
        switch outcome.reply.status {
        case .ok: result = "ok"
        case .error(let code, _): result = "ERR \(code.rawValue)"
        case .bye(let code, _): result = "BYE \(code.rawValue)"
        }
        log(.info, "command \(invocation.spec.name): \(result)", fields)
        deliver(.commandCompleted(outcome))
      }
    }
  }

  // MARK: Closing

  private func beginClose(_ reason: CloseReason, audit: Bool) {
    guard !isClosing, !isTornDown else { return }
    isClosing = true
    setReadInterest(false)
    log(isHandshaking ? .debug : .info, "admin session closed: \(reason)", logFields())
    if audit, reason != .quit, reason != .peerClosed, reason != .shutdown {
      let sink = auditSink
      let (peer, id, principal) = (peer, id, session.principal)
      let fields = logFields()
      Task {
        await AdminRequestContext.$logFields.withValue(fields) {
          await sink.recordClose(reason, principal: principal, peer: peer, sessionID: id)
        }
      }
    }
    if reason.discardsUnsentOutput || isHandshaking {
      output = []
      outputStart = 0
    }
    let flushLimit = limits.closeFlushTimeout.components
    timer.schedule(
      deadline: .now() + .seconds(Int(flushLimit.seconds))
        + .nanoseconds(Int(flushLimit.attoseconds / 1_000_000_000)))
    flush()
  }

  private func finishClose() {
    // One close_notify attempt; we do not wait for the peer's.
    if !isHandshaking { _ = tls.shutdown() }
    teardown()
  }

  /// Cancels every source; the fd is closed only after all three cancel handlers ran
  /// (PLATFORM.md: a source must be resumed before it is cancelled).
  private func teardown() {
    guard !isTornDown else { return }
    isTornDown = true
    isClosing = true
    output = []
    pendingCancellations = 3
    setReadInterest(true)
    setWriteInterest(true)
    readSource.cancel()
    writeSource.cancel()
    timer.cancel()
  }

  private func sourceCancelled() {
    pendingCancellations -= 1
    guard pendingCancellations == 0 else { return }
    tls.close()
    Glibc.close(fd)
    onClosed(self)
  }

  /// The fields of this session's log lines: its id and address, then, once logged in, the
  /// administrator and the tenant (their own, or the one an operator chose).
  private func logFields() -> [String: String] {
    var fields = ["session": String(id), "address": peer.address]
    if let principal = session.principal {
      fields["admin"] = principal.name
      if case .tenant(let slug, _) = principal.scope { fields["tenant"] = slug }
    }
    if let tenant = session.tenant { fields["tenant"] = tenant }
    return fields
  }

  private func setReadInterest(_ on: Bool) {
    guard on != isReadSourceResumed else { return }
    isReadSourceResumed = on
    if on { readSource.resume() } else { readSource.suspend() }
  }

  private func setWriteInterest(_ on: Bool) {
    guard on != isWriteSourceResumed else { return }
    isWriteSourceResumed = on
    if on { writeSource.resume() } else { writeSource.suspend() }
  }
}
