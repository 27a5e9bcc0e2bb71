/// What one attempt ended with, and the server's answer as recorded in charter.notice_attempts.
public enum TransferOutcome: Sendable, Equatable {
  case delivered(reply: String)
  /// Try again later (4xx, connection refused, timeout).
  case temporaryFailure(reply: String)
  /// Never try again: SMTP 5xx, HTTP 410 (RELIABILITY R12).
  case permanentFailure(reply: String)

  public var reply: String {
    switch self {
    case .delivered(let reply), .temporaryFailure(let reply), .permanentFailure(let reply): reply
    }
  }
}
