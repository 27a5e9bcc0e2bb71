public import CharterProtocol
public import CharterTLS

/// Why the conversation with the server ended: the connection broke, timed out, or the
/// server sent something that is not a reply.
public struct ConnectionLost: Error, Sendable, CustomStringConvertible {
  public let description: String
}

/// One TLS connection to charterd, spoken one request at a time: send a line, read until
/// its status line. Replies are decoded whatever the server's mode (text or JSON lines).
public final class AdminConnection {
  private let client: TLSClient
  private var decoder = ReplyDecoder()
  private var ready: [Reply] = []
  private let timeoutSeconds: Int
  public let address: ServerAddress
  /// A `BYE` ended the session (or the server closed): nothing more can be sent.
  public private(set) var isClosed = false

  public init(client: TLSClient, address: ServerAddress, timeoutSeconds: Int) {
    self.client = client
    self.address = address
    self.timeoutSeconds = timeoutSeconds
  }

  deinit { client.close() }

  public var serverFingerprint: TLSFingerprint { client.serverCertificate.fingerprint }
  public var protocolVersion: String { client.protocolVersion }

  /// Sends one request line and returns its reply. The line must be one line: the caller
  /// splits scripts, and the shell never sends a line break inside a request.
  public func request(_ line: String) throws(ConnectionLost) -> Reply {
    try InterruptSignal.holdingBack { () throws(ConnectionLost) -> Reply in try exchange(line) }
  }

  private func exchange(_ line: String) throws(ConnectionLost) -> Reply {
    guard !isClosed else { throw ConnectionLost(description: "the connection is closed") }
    do {
      try client.writeLine(line)
    } catch {
      isClosed = true
      throw ConnectionLost(description: "cannot send to \(address): \(error.reason)")
    }
    let reply = try nextReply()
    if case .bye = reply.status { isClosed = true }
    return reply
  }

  private func nextReply() throws(ConnectionLost) -> Reply {
    while ready.isEmpty {
      let chunk: [UInt8]
      do {
        chunk = try client.read()
      } catch {
        isClosed = true
        if error.code == .timeout {
          throw ConnectionLost(description: "no reply from \(address) within \(timeoutSeconds) s")
        }
        throw ConnectionLost(description: "connection to \(address) failed: \(error.reason)")
      }
      if chunk.isEmpty {
        isClosed = true
        throw ConnectionLost(description: "\(address) closed the connection")
      }
      do {
        ready += try decoder.feed(chunk)
      } catch {
        isClosed = true
        throw ConnectionLost(description: "\(address) sent a \(error)")
      }
    }
    return ready.removeFirst()
  }

  public func close() {
    isClosed = true
    client.close()
  }
}
