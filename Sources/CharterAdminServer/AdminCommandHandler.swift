public import CharterProtocol

/// Who is on the other end of a session, as the network layer knows it.
public struct PeerInfo: Sendable, Hashable {
  /// The client's IP address as text ("127.0.0.1", "::1").
  public var address: String
  public var port: UInt16
  /// Set when the client presented a certificate that the configured CA verified.
  public var clientCertificateSubject: String?
  /// SHA-256 of that certificate, lowercase hex.
  public var clientCertificateFingerprint: String?

  public init(
    address: String, port: UInt16, clientCertificateSubject: String? = nil,
    clientCertificateFingerprint: String? = nil
  ) {
    self.address = address
    self.port = port
    self.clientCertificateSubject = clientCertificateSubject
    self.clientCertificateFingerprint = clientCertificateFingerprint
  }
}

/// Everything a command handler gets: the checked invocation (its spec, arguments, the
/// session's principal and tenant — never a tenant named by an argument), the peer, and the
/// session's id for the audit log.
public struct CommandContext: Sendable {
  public var invocation: CommandInvocation
  public var peer: PeerInfo
  public var sessionID: UInt64

  public init(invocation: CommandInvocation, peer: PeerInfo, sessionID: UInt64) {
    self.invocation = invocation
    self.peer = peer
    self.sessionID = sessionID
  }
}

/// A command's implementation. It runs off the connection's queue (it may wait on the
/// database) and its outcome goes back to the session, which replies in request order.
public typealias AdminCommandHandler = @Sendable (CommandContext) async -> CommandOutcome

/// The handlers the server dispatches to, keyed by the command table.
public typealias AdminCommandRegistry = CommandRegistry<AdminCommandHandler>

/// What the server itself must put in the audit log: refusals decided by the session before
/// any handler runs (RELIABILITY S6), and sessions closed for abuse (limits, timeouts).
public protocol AdminAuditSink: Sendable {
  func recordDenial(_ denial: CommandDenial, peer: PeerInfo, sessionID: UInt64) async
  func recordClose(_ reason: CloseReason, principal: Principal?, peer: PeerInfo, sessionID: UInt64)
    async
}
