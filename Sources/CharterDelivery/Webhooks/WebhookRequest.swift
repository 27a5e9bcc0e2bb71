import CharterCrypto
public import Foundation

/// One HTTP POST of a notice: the URL, its headers and the JSON body.
public struct WebhookRequest: Sendable, Equatable {
  public var url: String
  public var headers: [(String, String)]
  public var body: [UInt8]

  public init(url: String, headers: [(String, String)], body: [UInt8]) {
    self.url = url
    self.headers = headers
    self.body = body
  }

  public static func == (lhs: WebhookRequest, rhs: WebhookRequest) -> Bool {
    lhs.url == rhs.url && lhs.body == rhs.body
      && lhs.headers.map { "\($0.0):\($0.1)" } == rhs.headers.map { "\($0.0):\($0.1)" }
  }
}

/// The content of a notice as webhooks carry it.
public struct WebhookNotice: Sendable, Equatable {
  /// Stable per notice (the outbox id): receivers deduplicate on it.
  public var id: String
  public var tenant: String
  public var noticeKey: String
  public var kind: String?
  public var subject: String
  public var text: String

  public init(
    id: String, tenant: String, noticeKey: String, kind: String?, subject: String, text: String
  ) {
    self.id = id
    self.tenant = tenant
    self.noticeKey = noticeKey
    self.kind = kind
    self.subject = subject
    self.text = text
  }
}

/// Builds the requests of the three webhook flavours.
public enum WebhookFormat {
  /// Generic JSON, signed the Standard Webhooks way: `webhook-id`, `webhook-timestamp` (seconds)
  /// and `webhook-signature: v1,<base64 HMAC-SHA256 over "id.timestamp.body">`. A secret of the
  /// form `whsec_<base64>` is used as the decoded bytes, any other as its UTF-8 bytes.
  public static func standard(
    _ notice: WebhookNotice, url: String, secret: Secret?, now: Date
  ) throws(DeliveryError) -> WebhookRequest {
    let timestamp = String(Int(now.timeIntervalSince1970))
    var object: [String: Any] = [
      "type": "charter.notice", "id": notice.id, "tenant": notice.tenant,
      "notice_key": notice.noticeKey, "subject": notice.subject, "text": notice.text,
      "timestamp": timestamp,
    ]
    if let kind = notice.kind { object["kind"] = kind }
    let body = try json(object)
    var headers = [
      ("Content-Type", "application/json"), ("webhook-id", notice.id),
      ("webhook-timestamp", timestamp),
    ]
    if let secret {
      let signed = Array("\(notice.id).\(timestamp).".utf8) + body
      let mac = try hmac(key: standardKey(secret), message: signed)
      headers.append(("webhook-signature", "v1," + Data(mac).base64EncodedString()))
    }
    return WebhookRequest(url: url, headers: headers, body: body)
  }

  static func standardKey(_ secret: Secret) -> [UInt8] {
    let value = secret.revealed
    if value.hasPrefix("whsec_"), let decoded = Data(base64Encoded: String(value.dropFirst(6))) {
      return Array(decoded)
    }
    return Array(value.utf8)
  }

  /// DingTalk group robot: markdown message; with a secret, `timestamp` (milliseconds) and
  /// `sign` = URL-encoded base64(HMAC-SHA256(secret, "timestamp\nsecret")) appended to the URL.
  public static func dingTalk(
    _ notice: WebhookNotice, url: String, secret: Secret?, now: Date
  ) throws(DeliveryError) -> WebhookRequest {
    var target = url
    if let secret {
      let timestamp = String(Int64(now.timeIntervalSince1970 * 1000))
      let mac = try hmac(
        key: Array(secret.revealed.utf8), message: Array("\(timestamp)\n\(secret.revealed)".utf8))
      let sign = formEncode(Data(mac).base64EncodedString())
      target += (url.contains("?") ? "&" : "?") + "timestamp=\(timestamp)&sign=\(sign)"
    }
    let body = try json([
      "msgtype": "markdown",
      "markdown": ["title": notice.subject, "text": "### \(notice.subject)\n\n\(notice.text)"],
    ])
    return WebhookRequest(
      url: target, headers: [("Content-Type", "application/json; charset=utf-8")], body: body)
  }

  /// WeCom (企业微信) group robot: plain JSON, `msgtype: markdown`; the key is in the URL.
  public static func weCom(_ notice: WebhookNotice, url: String) throws(DeliveryError)
    -> WebhookRequest
  {
    let body = try json([
      "msgtype": "markdown",
      "markdown": ["content": "### \(notice.subject)\n\(notice.text)"],
    ])
    return WebhookRequest(
      url: url, headers: [("Content-Type", "application/json; charset=utf-8")], body: body)
  }

  static func hmac(key: [UInt8], message: [UInt8]) throws(DeliveryError) -> [UInt8] {
    do {
      return try Digest.hmacSHA256(key: key, message: message)
    } catch {
      throw .transport("HMAC-SHA256 failed")
    }
  }

  static func formEncode(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }

  static func json(_ object: [String: Any]) throws(DeliveryError) -> [UInt8] {
    do {
      return Array(
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    } catch {
      throw .invalidValue("webhook body: \(error)")
    }
  }
}
