public import CharterProtocol

/// An audit sink that only logs: used until the accounts module's database-backed sink is
/// wired in, and by tests.
public struct LoggingAuditSink: AdminAuditSink {
  private let log: AdminServerLog

  public init(log: @escaping AdminServerLog) { self.log = log }

  public func recordDenial(_ denial: CommandDenial, peer: PeerInfo, sessionID: UInt64) async {
    log(
      .warning,
      "audit: session \(sessionID) from \(peer.address) (\(denial.principal.name)) refused "
        + "\(denial.spec.name): \(denial.reason)",
      ["session": String(sessionID), "address": peer.address, "admin": denial.principal.name])
  }

  public func recordClose(
    _ reason: CloseReason, principal: Principal?, peer: PeerInfo, sessionID: UInt64
  ) async {
    log(
      .info,
      "audit: session \(sessionID) from \(peer.address) (\(principal?.name ?? "not logged in")) "
        + "closed: \(reason)",
      ["session": String(sessionID), "address": peer.address, "admin": principal?.name ?? ""]
        .filter { !$0.value.isEmpty })
  }
}
