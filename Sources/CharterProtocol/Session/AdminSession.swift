/// One admin connection as a state machine (STYLE 6, postgres-nio's connection state
/// machine): `handle(_:now:)` takes an event and the current time and returns the actions
/// for the network layer. No I/O, no clock: tests drive it with bytes and instants.
///
/// It frames lines, parses them, checks commands against the table, answers PING, HELP,
/// QUIT and MODE itself and dispatches the rest one at a time, so replies leave in request
/// order; it enforces every limit in `SessionLimits`.
public struct AdminSession: Sendable {
  public enum Phase: Hashable, Sendable {
    case handshaking
    case open
    /// Shutdown requested: the command in flight finishes, then goodbye.
    case draining
    case closed
  }

  private enum Queued: Sendable {
    case line([UInt8])
    case tooLong(limit: Int)
  }

  public let table: CommandTable
  public let limits: SessionLimits
  public private(set) var phase: Phase = .handshaking
  public private(set) var principal: Principal?
  /// The tenant commands apply to: the tenant of a tenant administrator, or the one an
  /// operator chose with TENANT USE.
  public private(set) var tenant: String?
  public private(set) var mode: ReplyMode = .text
  /// Requests answered with an error that counts (invalid requests, failed logins).
  public private(set) var errorCount = 0
  /// Reply octets sent but not yet written to the socket.
  public private(set) var unsentByteCount = 0
  public private(set) var inFlight: CommandInvocation?
  public private(set) var isReadingPaused = false

  private var decoder: LineDecoder
  private var queue: [Queued] = []
  private var queueHead = 0
  private var bytesBeforeLogin = 0
  private var handshakeDeadline: SessionInstant
  private var loginDeadline: SessionInstant
  private var lastActivity: SessionInstant
  private var partialLineSince: SessionInstant?
  /// An error reply held back by the error delay, and when it may go.
  private var heldReply: (bytes: [UInt8], until: SessionInstant)?
  private var armedDeadline: SessionInstant?
  /// When unsent output last shrank (or appeared), for the write-stall timeout.
  private var lastWriteProgress: SessionInstant
  /// The instant of the event being handled.
  private var clock: SessionInstant

  public init(table: CommandTable = .admin, limits: SessionLimits = .default, now: SessionInstant) {
    self.table = table
    self.limits = limits
    decoder = LineDecoder(
      maxLineLength: limits.maxLineLengthBeforeLogin, hardCap: limits.lineHardCapBeforeLogin)
    handshakeDeadline = now + limits.handshakeTimeout
    loginDeadline = now + limits.handshakeTimeout + limits.loginTimeout
    lastActivity = now
    lastWriteProgress = now
    clock = now
  }

  /// Requests received and not yet run.
  public var queuedRequestCount: Int { queue.count - queueHead }

  public mutating func handle(_ event: SessionEvent, now: SessionInstant) -> [SessionAction] {
    guard phase != .closed else { return [] }
    clock = now
    var actions: [SessionAction] = []
    switch event {
    case .connected:
      break
    case .handshakeCompleted:
      openIfHandshaking(now)
    case .bytesReceived(let bytes):
      receive(bytes, now: now, &actions)
    case .commandCompleted(let outcome):
      complete(outcome, now: now, &actions)
    case .outputWritten(let count):
      if count > 0 { lastWriteProgress = now }
      unsentByteCount = max(0, unsentByteCount - count)
    case .timerFired:
      // The armed timer is spent (it may fire a little early): the next rearm must arm anew.
      armedDeadline = nil
      timerFired(now, &actions)
    case .peerClosed:
      close(.peerClosed, &actions)
    case .shutdownRequested:
      requestShutdown(&actions)
    }
    pump(now, &actions)
    if phase != .closed {
      if isReadingPaused, queuedRequestCount <= limits.maxQueuedRequests / 2 {
        isReadingPaused = false
        actions.append(.resumeReading)
      }
      rearmTimer(now, &actions)
    }
    return actions
  }

  // MARK: Events

  private mutating func openIfHandshaking(_ now: SessionInstant) {
    guard phase == .handshaking else { return }
    phase = .open
    loginDeadline = now + limits.loginTimeout
    lastActivity = now
  }

  private mutating func receive(
    _ bytes: [UInt8], now: SessionInstant, _ actions: inout [SessionAction]
  ) {
    // TLS hands over plaintext only after the handshake; a plain stream may skip the event.
    openIfHandshaking(now)
    guard phase == .open else { return }  // draining: later requests are not run
    lastActivity = now
    if principal == nil {
      bytesBeforeLogin += bytes.count
      if bytesBeforeLogin > limits.preLoginByteBudget {
        goodbye(
          .budgetExceeded, "more than \(limits.preLoginByteBudget) octets before login",
          .preLoginBudgetExceeded,
          &actions)
        return
      }
    }
    var endedALine = false
    for event in decoder.feed(bytes) {
      switch event {
      case .line(let line):
        queue.append(.line(line))
        endedALine = true
      case .lineTooLong: queue.append(.tooLong(limit: decoder.maxLineLength))
      case .close:
        goodbye(.lineTooLong, "line longer than \(decoder.hardCap) octets", .lineTooLong, &actions)
        return
      }
    }
    if decoder.hasPartialLine {
      // The partial-line clock starts with the first octet of the line now in progress.
      if partialLineSince == nil || endedALine { partialLineSince = now }
    } else {
      partialLineSince = nil
    }
    if !isReadingPaused, queuedRequestCount >= limits.maxQueuedRequests {
      isReadingPaused = true
      actions.append(.pauseReading)
    }
  }

  private mutating func complete(
    _ outcome: CommandOutcome, now: SessionInstant, _ actions: inout [SessionAction]
  ) {
    guard inFlight != nil else { return }
    inFlight = nil
    lastActivity = now
    switch outcome.change {
    case .loggedIn(let newPrincipal):
      principal = newPrincipal
      if case .tenant(let slug, _) = newPrincipal.scope { tenant = slug } else { tenant = nil }
      decoder.maxLineLength = limits.maxLineLength
      decoder.hardCap = limits.lineHardCap
    case .loggedOut:
      principal = nil
      tenant = nil
      bytesBeforeLogin = 0
      loginDeadline = now + limits.loginTimeout
      decoder.maxLineLength = limits.maxLineLengthBeforeLogin
      decoder.hardCap = limits.lineHardCapBeforeLogin
    case .tenantSelected(let slug):
      if principal?.isOperator == true { tenant = slug }
    case nil:
      break
    }
    respond(outcome.reply, now: now, &actions)
    if phase == .draining, heldReply == nil {
      goodbye(.shuttingDown, "server shutting down", .shutdown, &actions)
    }
  }

  private mutating func timerFired(_ now: SessionInstant, _ actions: inout [SessionAction]) {
    switch phase {
    case .handshaking:
      // No TLS yet, so no goodbye line can be sent.
      if now >= handshakeDeadline { close(.handshakeTimeout, &actions) }
      return
    case .closed:
      return
    case .open, .draining:
      break
    }
    if unsentByteCount > 0, now >= lastWriteProgress + limits.writeStallTimeout {
      close(.outputStalled, &actions)
      return
    }
    if let held = heldReply, now >= held.until {
      heldReply = nil
      send(held.bytes, &actions)
      if phase == .draining, inFlight == nil {
        goodbye(.shuttingDown, "server shutting down", .shutdown, &actions)
        return
      }
    }
    guard phase == .open, inFlight == nil else { return }
    if let since = partialLineSince, now >= since + limits.partialLineTimeout {
      goodbye(
        .timeout, "line incomplete for \(limits.partialLineTimeout.seconds) s", .partialLineTimeout,
        &actions)
    } else if principal == nil, now >= loginDeadline {
      goodbye(.timeout, "no login within \(limits.loginTimeout.seconds) s", .loginTimeout, &actions)
    } else if queuedRequestCount == 0, heldReply == nil, now >= lastActivity + idleTimeout {
      goodbye(.timeout, "idle for \(idleTimeout.seconds) s", .idleTimeout, &actions)
    }
  }

  private mutating func requestShutdown(_ actions: inout [SessionAction]) {
    switch phase {
    case .handshaking:
      close(.shutdown, &actions)
    case .open:
      phase = .draining
      queue = []
      queueHead = 0
      if inFlight == nil, heldReply == nil {
        goodbye(.shuttingDown, "server shutting down", .shutdown, &actions)
      }
    case .draining, .closed:
      break
    }
  }

  // MARK: Requests

  /// Runs queued requests until one is dispatched, a reply is held back, or none is left.
  private mutating func pump(_ now: SessionInstant, _ actions: inout [SessionAction]) {
    while phase == .open, inFlight == nil, heldReply == nil, queueHead < queue.count,
      unsentByteCount <= limits.outputHighWater
    {
      let item = queue[queueHead]
      queueHead += 1
      if queueHead > 256, queueHead * 2 > queue.count {
        queue.removeFirst(queueHead)
        queueHead = 0
      }
      switch item {
      case .tooLong(let limit):
        respond(
          .error(.lineTooLong, "line longer than \(limit) octets; it was ignored"), now: now,
          &actions)
      case .line(let line):
        run(line, now: now, &actions)
      }
    }
  }

  private mutating func run(_ line: [UInt8], now: SessionInstant, _ actions: inout [SessionAction])
  {
    let request: ParsedRequest
    let spec: CommandSpec
    let start: Int
    do throws(RequestError) {
      request = try RequestParser.parse(line)
      switch table.lookUp(request) {
      case .unknown(let error): throw error
      case .command(let found, let argumentsStart):
        spec = found
        start = argumentsStart
      }
      if let refusal = table.refusal(of: spec, for: principal) {
        if let principal {
          actions.append(
            .denied(
              CommandDenial(
                spec: spec, principal: principal, tenant: tenant, reason: refusal.message)))
        }
        throw refusal
      }
    } catch {
      respond(.error(error.code, error.message), now: now, &actions)
      return
    }
    if spec.isAnsweredBySession {
      answer(spec, request.words[start...], now: now, &actions)
      return
    }
    do throws(RequestError) {
      let arguments = try table.arguments(of: spec, in: request, startingAt: start)
      let invocation = CommandInvocation(
        spec: spec, arguments: arguments, principal: principal, tenant: tenant)
      inFlight = invocation
      actions.append(.dispatch(invocation))
    } catch {
      respond(.error(error.code, error.message), now: now, &actions)
    }
  }

  /// PING, HELP, QUIT and MODE: no database, so no dispatch.
  private mutating func answer(
    _ spec: CommandSpec, _ arguments: ArraySlice<RequestWord>, now: SessionInstant,
    _ actions: inout [SessionAction]
  ) {
    switch spec.name {
    case "PING":
      respond(Reply(status: .ok("PONG")), now: now, &actions)
    case "HELP":
      let topic = arguments.map(\.text)
      respond(
        topic.isEmpty ? table.helpReply(for: principal) : table.helpReply(topic: topic), now: now,
        &actions)
    case "QUIT":
      send(ReplyEncoder.encode(status: .ok("bye"), mode: mode), &actions)
      close(.quit, &actions)
    case "MODE":
      do throws(RequestError) {
        let checked = try table.arguments(
          of: spec, in: ParsedRequest(words: Array(arguments)), startingAt: 0)
        mode = ReplyMode(rawValue: checked.string("mode") ?? "") ?? mode
        respond(Reply(status: .ok("mode \(mode.rawValue)")), now: now, &actions)
      } catch {
        respond(.error(error.code, error.message), now: now, &actions)
      }
    default:
      respond(.error(.internalError, "\(spec.name) has no session answer"), now: now, &actions)
    }
  }

  // MARK: Replies

  private mutating func respond(
    _ reply: Reply, now: SessionInstant, _ actions: inout [SessionAction]
  ) {
    let bytes = ReplyEncoder.encode(reply, mode: mode)
    guard let code = reply.status.code, code.countsAsClientError else {
      send(bytes, &actions)
      return
    }
    errorCount += 1
    if errorCount >= limits.hardErrorLimit {
      send(bytes, &actions)
      goodbye(.tooManyErrors, "\(errorCount) invalid requests", .tooManyErrors, &actions)
    } else if errorCount > limits.softErrorLimit {
      heldReply = (bytes, now + limits.errorDelay * (errorCount - limits.softErrorLimit))
    } else {
      send(bytes, &actions)
    }
  }

  private mutating func send(_ bytes: [UInt8], _ actions: inout [SessionAction]) {
    guard phase != .closed else { return }
    if unsentByteCount == 0 { lastWriteProgress = clock }
    unsentByteCount += bytes.count
    actions.append(.send(bytes))
    let limit = principal == nil ? limits.maxUnsentOutputBeforeLogin : limits.maxUnsentOutput
    if unsentByteCount > limit { close(.outputOverflow, &actions) }
  }

  private mutating func goodbye(
    _ code: StatusCode, _ message: String, _ reason: CloseReason, _ actions: inout [SessionAction]
  ) {
    send(ReplyEncoder.encode(status: .bye(code, message), mode: mode), &actions)
    close(reason, &actions)
  }

  private mutating func close(_ reason: CloseReason, _ actions: inout [SessionAction]) {
    guard phase != .closed else { return }
    phase = .closed
    queue = []
    queueHead = 0
    heldReply = nil
    actions.append(.close(reason))
  }

  // MARK: Timer

  private var idleTimeout: Duration {
    principal == nil ? limits.idleTimeoutBeforeLogin : limits.idleTimeout
  }

  /// The earliest instant at which `timerFired` has something to do.
  private var nextDeadline: SessionInstant? {
    switch phase {
    case .closed: return nil
    case .handshaking: return handshakeDeadline
    case .open, .draining: break
    }
    var deadlines: [SessionInstant] = []
    if unsentByteCount > 0 { deadlines.append(lastWriteProgress + limits.writeStallTimeout) }
    if let held = heldReply { deadlines.append(held.until) }
    if phase == .open, inFlight == nil {
      if let since = partialLineSince { deadlines.append(since + limits.partialLineTimeout) }
      if principal == nil { deadlines.append(loginDeadline) }
      if queuedRequestCount == 0, heldReply == nil { deadlines.append(lastActivity + idleTimeout) }
    }
    return deadlines.min()
  }

  private mutating func rearmTimer(_ now: SessionInstant, _ actions: inout [SessionAction]) {
    let next = nextDeadline
    guard next != armedDeadline else { return }
    // A deadline that moved later (the idle deadline moves with every request) keeps the
    // timer armed at the earlier instant: its firing re-checks and re-arms. Re-arming on
    // every request cost a Dispatch timer update, and a wake-up of Dispatch's manager
    // thread, per PING (Scripts/bench protocol, pipelined case).
    if let armed = armedDeadline, let next, next > armed, armed > now { return }
    armedDeadline = next
    actions.append(next.map { .armTimer($0) } ?? .cancelTimer)
  }
}

extension Duration {
  /// Whole seconds, for messages.
  var seconds: Int64 { components.seconds }
}
