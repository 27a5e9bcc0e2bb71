public import CharterProtocol
import Foundation

/// An admin session driven in memory: the protocol's own state machine (so the command table's
/// argument, role and tenant checks run exactly as over TLS) with a registry's handlers, and no
/// network. The daemon loads its demo organisations through it; tests drive scenarios with it.
/// One request at a time: `send` returns the whole reply as it would go on the wire.
public final class InProcessSession: @unchecked Sendable {
  private let registry: AdminCommandRegistry
  private let auditSink: any AdminAuditSink
  private let peer: PeerInfo
  private let sessionID: UInt64
  // Only touched by `send`, which callers run one at a time (the class is not shared).
  private var session: AdminSession

  public init(
    registry: AdminCommandRegistry, auditSink: any AdminAuditSink,
    peer: PeerInfo = PeerInfo(address: "in-process", port: 0),
    limits: SessionLimits = SessionLimits()
  ) {
    self.registry = registry
    self.auditSink = auditSink
    self.peer = peer
    sessionID = UInt64.random(in: 1...UInt64(UInt32.max))
    session = AdminSession(table: registry.table, limits: limits, now: .now)
    _ = session.handle(.connected, now: .now)
    _ = session.handle(.handshakeCompleted, now: .now)
  }

  public var principal: Principal? { session.principal }
  /// The tenant an operator chose with TENANT USE.
  public var tenant: String? { session.tenant }

  /// Sends one request line; returns the reply as it would go on the wire.
  public func send(_ line: String) async -> String {
    var output: [UInt8] = []
    var actions = session.handle(.bytesReceived(Array((line + "\n").utf8)), now: .now)
    while !actions.isEmpty {
      var next: [SessionAction] = []
      for action in actions {
        switch action {
        case .send(let bytes):
          output += bytes
          next += session.handle(.outputWritten(bytes.count), now: .now)
        case .dispatch(let invocation):
          guard let handler = registry.handler(for: invocation.spec) else {
            next += session.handle(
              .commandCompleted(
                CommandOutcome(
                  reply: .error(.internalError, "no handler for \(invocation.spec.name)"))),
              now: .now)
            continue
          }
          let outcome = await handler(
            CommandContext(invocation: invocation, peer: peer, sessionID: sessionID))
          next += session.handle(.commandCompleted(outcome), now: .now)
        case .denied(let denial):
          await auditSink.recordDenial(denial, peer: peer, sessionID: sessionID)
        default:
          break
        }
      }
      actions = next
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// The status line of a reply (its last line), e.g. `OK 3 members` or `ERR REFUSED …`.
  public static func status(of reply: String) -> String {
    reply.split(separator: "\n").last.map(String.init) ?? ""
  }
}
