/// The instant type of every session event: the network layer reads `ContinuousClock.now`;
/// tests advance an instant by hand.
public typealias SessionInstant = ContinuousClock.Instant

/// What the network layer and the handlers tell a session.
public enum SessionEvent: Sendable {
  /// The TCP connection was accepted: the handshake timeout starts.
  case connected
  /// TLS is established (a plain stream sends this at once).
  case handshakeCompleted
  /// Plaintext bytes from the client, in any chunks.
  case bytesReceived([UInt8])
  /// The handler of the dispatched command finished.
  case commandCompleted(CommandOutcome)
  /// The socket accepted this many octets of what `send` asked to write.
  case outputWritten(Int)
  /// The timer armed by `armTimer` fired (early or late firing is harmless).
  case timerFired
  /// The client closed its side or the connection failed.
  case peerClosed
  /// SIGTERM: finish the command in flight, say goodbye, close.
  case shutdownRequested
}

/// What a session asks the network layer (and the dispatcher) to do, in order.
public enum SessionAction: Hashable, Sendable {
  /// Write these bytes after everything sent before.
  case send([UInt8])
  /// Run the handler of this command; answer with `commandCompleted`. At most one command
  /// of a session is dispatched at a time.
  case dispatch(CommandInvocation)
  /// Fire `timerFired` at this instant; replaces any timer armed before.
  case armTimer(SessionInstant)
  /// No deadline is pending: cancel the timer.
  case cancelTimer
  /// Stop reading the socket (too many requests queued) ...
  case pauseReading
  /// ... and start again.
  case resumeReading
  /// Close the connection. Unless `reason.discardsUnsentOutput`, first write what was sent
  /// (for at most `SessionLimits.closeFlushTimeout`). No event is handled afterwards.
  case close(CloseReason)
  /// A logged-in administrator ran a command their scope or role does not allow; the
  /// server writes it to the audit log (RELIABILITY S6: every denial audited). The reply
  /// is already in the actions.
  case denied(CommandDenial)
}

/// A command refused for lack of rights, for the audit log. Its arguments were not checked,
/// so they are not included (they may hold a password).
public struct CommandDenial: Hashable, Sendable {
  public let spec: CommandSpec
  public let principal: Principal
  public let tenant: String?
  public let reason: String

  public init(spec: CommandSpec, principal: Principal, tenant: String?, reason: String) {
    self.spec = spec
    self.principal = principal
    self.tenant = tenant
    self.reason = reason
  }
}

public enum CloseReason: Hashable, Sendable {
  case quit
  case peerClosed
  case shutdown
  case handshakeTimeout
  case loginTimeout
  case partialLineTimeout
  case idleTimeout
  case tooManyErrors
  case lineTooLong
  case preLoginBudgetExceeded
  case outputOverflow
  case outputStalled

  /// The client does not read (or is gone): writing more is pointless.
  public var discardsUnsentOutput: Bool {
    self == .outputOverflow || self == .outputStalled || self == .peerClosed
  }
}

/// What a handler changes in its session besides replying.
public enum SessionChange: Hashable, Sendable {
  case loggedIn(Principal)
  case loggedOut
  /// `TENANT USE`: the tenant later commands of an operator apply to.
  case tenantSelected(String)
}

/// The result of a handler.
public struct CommandOutcome: Hashable, Sendable {
  public var reply: Reply
  public var change: SessionChange?

  public init(reply: Reply, change: SessionChange? = nil) {
    self.reply = reply
    self.change = change
  }
}
