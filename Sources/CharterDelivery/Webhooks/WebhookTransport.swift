import CCharterCurlShims
import CCurl
import Foundation

/// POSTs webhook requests with libcurl on the transfer queue: the target checked and pinned
/// by the guard (RELIABILITY S8), no redirects followed, no proxy from the environment.
public struct WebhookTransport: Sendable {
  public var guardrail: WebhookTargetGuard
  public var timeout: Duration
  private let queue = BlockingTransferQueue(label: "charter.delivery.webhook")

  public init(
    guardrail: WebhookTargetGuard = WebhookTargetGuard(), timeout: Duration = .seconds(30)
  ) {
    self.guardrail = guardrail
    self.timeout = timeout
  }

  /// `robotReply`: DingTalk and WeCom answer 200 with `{"errcode": n}`; non-zero is a failure.
  public func send(_ request: WebhookRequest, robotReply: Bool = false) async -> TransferOutcome {
    let guardrail = self.guardrail
    let timeout = self.timeout
    return await queue.run {
      do throws(DeliveryError) {
        let target = try guardrail.pin(request.url)
        return try Self.perform(request, target: target, timeout: timeout, robotReply: robotReply)
      } catch .targetRefused(let why) {
        // A tenant's URL pointing inside: no retry changes that (RELIABILITY S8).
        return .permanentFailure(reply: "refused: \(why)")
      } catch {
        return .temporaryFailure(reply: "not sent: \(error)")
      }
    }
  }

  private static func perform(
    _ request: WebhookRequest, target: PinnedTarget, timeout: Duration, robotReply: Bool
  ) throws(DeliveryError) -> TransferOutcome {
    let curl = try CurlEasy()
    try curl.set(CURLOPT_URL, request.url)
    try curl.set(CURLOPT_PROTOCOLS_STR, "http,https")
    try curl.set(CURLOPT_FOLLOWLOCATION, 0)
    try curl.set(CURLOPT_NOPROXY, "*")
    try curl.set(CURLOPT_RESOLVE, list: CurlStringList([target.resolveEntry]))
    try curl.set(CURLOPT_TIMEOUT_MS, SMTPTransport.milliseconds(timeout))
    try curl.set(CURLOPT_CONNECTTIMEOUT_MS, min(10_000, SMTPTransport.milliseconds(timeout)))
    try curl.set(CURLOPT_POST, 1)
    try curl.set(CURLOPT_POSTFIELDSIZE, request.body.count)
    let bodyCopy = request.body
    let headerLines = request.headers.map {
      "\(HeaderEncoding.singleLine($0.0)): \(HeaderEncoding.singleLine($0.1))"
    }
    try curl.set(CURLOPT_HTTPHEADER, list: CurlStringList(headerLines + ["Expect:"]))
    let sink = CurlResponseSink(limit: 2048)
    try curl.setWriteFunction(CurlResponseSink.callback)
    try curl.setPointer(CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
    let (code, message) = bodyCopy.withUnsafeBytes { raw -> (CURLcode, String) in
      do {
        try curl.setPointer(CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
      } catch {
        return (CURLE_FAILED_INIT, "\(error)")
      }
      return withExtendedLifetime(sink) { curl.perform() }
    }
    let status = curl.responseCode
    guard code == CURLE_OK else {
      return .temporaryFailure(reply: "\(status) \(message)")
    }
    let reply = "\(status) \(sink.text.prefix(500))"
    switch status {
    case 200..<300:
      if robotReply, let errcode = robotErrorCode(sink.bytes), errcode != 0 {
        return .temporaryFailure(reply: reply)
      }
      return .delivered(reply: reply)
    case 410: return .permanentFailure(reply: reply)
    default: return .temporaryFailure(reply: reply)
    }
  }

  static func robotErrorCode(_ body: [UInt8]) -> Int? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    else { return nil }
    return (object["errcode"] as? NSNumber)?.intValue
  }
}
