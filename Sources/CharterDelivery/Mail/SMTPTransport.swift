import CCharterCurlShims
import CCurl
import Foundation

/// Where and how mail leaves: the SMTP server of a tenant's settings.
public struct SMTPServer: Sendable, Equatable {
  /// `smtp://host:port` (STARTTLS per `security`) or `smtps://host:port`.
  public var url: String
  public var username: String?
  public var password: Secret?
  public var security: SMTPSecurity
  /// A CA bundle for the server's certificate; nil uses the system's.
  public var caFile: String?

  public init(
    url: String, username: String? = nil, password: Secret? = nil,
    security: SMTPSecurity = .startTLSRequired, caFile: String? = nil
  ) {
    self.url = url
    self.username = username
    self.password = password
    self.security = security
    self.caFile = caFile
  }
}

/// Sends one message per call with libcurl's SMTP client, on the transfer queue.
public struct SMTPTransport: Sendable {
  public var connectTimeout: Duration
  /// How long to wait for any one server reply, the final "." included: RFC 5321 §4.5.3.2 asks
  /// for at least 10 minutes after the data, so a slow server is not sent the message twice
  /// (RELIABILITY R13). The outbox lease must be longer.
  public var replyTimeout: Duration
  /// The whole transfer's limit: below the outbox lease (15 min by default), so a transfer
  /// never outlives the claim that allows it.
  public var totalTimeout: Duration
  private let queue = BlockingTransferQueue(label: "charter.delivery.smtp")

  public init(
    connectTimeout: Duration = .seconds(30), replyTimeout: Duration = .seconds(600),
    totalTimeout: Duration = .seconds(14 * 60)
  ) {
    self.connectTimeout = connectTimeout
    self.replyTimeout = replyTimeout
    self.totalTimeout = max(totalTimeout, replyTimeout)
  }

  public func send(_ message: MailMessage, via server: SMTPServer) async -> TransferOutcome {
    let bytes = message.rendered()
    let connect = connectTimeout
    let reply = replyTimeout
    let total = totalTimeout
    return await queue.run {
      do {
        return try Self.perform(
          bytes: bytes, from: message.from, to: message.to, server: server,
          connectTimeout: connect, replyTimeout: reply, totalTimeout: total)
      } catch {
        return .temporaryFailure(reply: "not sent: \(error)")
      }
    }
  }

  private static func perform(
    bytes: [UInt8], from: MailAddress, to: MailAddress, server: SMTPServer,
    connectTimeout: Duration, replyTimeout: Duration, totalTimeout: Duration
  ) throws(DeliveryError) -> TransferOutcome {
    guard server.url.hasPrefix("smtp://") || server.url.hasPrefix("smtps://") else {
      throw .invalidValue("SMTP URL must start with smtp:// or smtps://")
    }
    let curl = try CurlEasy()
    try curl.set(CURLOPT_URL, server.url)
    try curl.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
    switch server.security {
    case .startTLSRequired: try curl.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
    case .none: try curl.set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
    }
    if let caFile = server.caFile { try curl.set(CURLOPT_CAINFO, caFile) }
    if let username = server.username { try curl.set(CURLOPT_USERNAME, username) }
    if let password = server.password { try curl.set(CURLOPT_PASSWORD, password.revealed) }
    try curl.set(CURLOPT_MAIL_FROM, "<\(from.text)>")
    try curl.set(CURLOPT_MAIL_RCPT, list: CurlStringList(["<\(to.text)>"]))
    try curl.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(connectTimeout))
    try curl.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, max(1, milliseconds(replyTimeout) / 1000))
    try curl.set(CURLOPT_TIMEOUT_MS, milliseconds(totalTimeout))
    try curl.set(CURLOPT_UPLOAD, 1)
    let source = CurlUploadSource(bytes)
    try curl.setReadFunction(CurlUploadSource.callback)
    try curl.setPointer(CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque())
    let (code, message) = withExtendedLifetime(source) { curl.perform() }
    let status = curl.responseCode
    if code == CURLE_OK { return .delivered(reply: "\(status) accepted") }
    let reply = "\(status) \(message)"
    // A refused login is our configuration, not the message: keep it for when it is fixed.
    if code == CURLE_LOGIN_DENIED { return .temporaryFailure(reply: reply) }
    if (500..<600).contains(status) { return .permanentFailure(reply: reply) }
    return .temporaryFailure(reply: reply)
  }

  static func milliseconds(_ duration: Duration) -> Int {
    let (seconds, attoseconds) = duration.components
    return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
  }
}
