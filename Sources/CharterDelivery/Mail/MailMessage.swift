import CharterCrypto
public import Foundation

/// One e-mail, composed into RFC 5322 / MIME bytes with CRLF line endings: a multipart/alternative
/// of UTF-8 plain text and HTML (both base64), and an iCalendar invitation attached as
/// `text/calendar; method=REQUEST` when there is one.
public struct MailMessage: Sendable, Equatable {
  public var from: MailAddress
  public var fromName: String?
  public var to: MailAddress
  public var subject: String
  public var textBody: String
  public var htmlBody: String?
  public var calendar: String?
  /// Without angle brackets: `notice-uuid@domain`. The same notice always gets the same one.
  public var messageID: String
  public var date: Date

  public init(
    from: MailAddress, fromName: String?, to: MailAddress, subject: String, textBody: String,
    htmlBody: String?, calendar: String?, messageID: String, date: Date
  ) {
    self.from = from
    self.fromName = fromName
    self.to = to
    self.subject = subject
    self.textBody = textBody
    self.htmlBody = htmlBody
    self.calendar = calendar
    self.messageID = messageID
    self.date = date
  }

  /// `<outbox id>@<domain>`: deterministic per notice, so a resend after a lost reply carries
  /// the same Message-ID and the receiver can recognise it.
  public static func messageID(outboxID: UUID, domain: String?) -> String {
    let cleaned = (domain ?? "").filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }
    return outboxID.uuidString.lowercased() + "@" + (cleaned.isEmpty ? "charter.invalid" : cleaned)
  }

  /// The message as sent: headers, then the MIME tree. Every line ends in CRLF.
  public func rendered() -> [UInt8] {
    // Boundaries derive from the Message-ID: stable per notice, and base64 bodies cannot
    // contain "=_" so no body line can look like one.
    let seed = Hex.lowercase(Digest.sha256(messageID).prefix(12))
    let alternative = "=_alt_" + seed
    let mixed = "=_mix_" + seed
    var lines: [String] = [
      "Date: " + HeaderEncoding.date(date),
      "From: " + HeaderEncoding.mailbox(name: fromName, address: from),
      "To: " + HeaderEncoding.mailbox(name: nil, address: to),
      "Subject: " + HeaderEncoding.unstructured(subject),
      "Message-ID: <" + HeaderEncoding.singleLine(messageID) + ">",
      "MIME-Version: 1.0",
      "Auto-Submitted: auto-generated",
    ]
    var body: [String] = []
    body.append("--\(alternative)")
    body += part(type: "text/plain; charset=UTF-8", text: textBody)
    if let htmlBody {
      body.append("--\(alternative)")
      body += part(type: "text/html; charset=UTF-8", text: htmlBody)
    }
    body.append("--\(alternative)--")
    if let calendar {
      lines.append("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
      lines.append("")
      lines.append("--\(mixed)")
      lines.append("Content-Type: multipart/alternative; boundary=\"\(alternative)\"")
      lines.append("")
      lines += body
      lines.append("--\(mixed)")
      lines.append("Content-Type: text/calendar; charset=UTF-8; method=REQUEST")
      lines.append("Content-Disposition: attachment; filename=\"invite.ics\"")
      lines.append("Content-Transfer-Encoding: base64")
      lines.append("")
      lines.append(contentsOf: base64(calendar))
      lines.append("--\(mixed)--")
    } else {
      lines.append("Content-Type: multipart/alternative; boundary=\"\(alternative)\"")
      lines.append("")
      lines += body
    }
    return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
  }

  private func part(type: String, text: String) -> [String] {
    ["Content-Type: \(type)", "Content-Transfer-Encoding: base64", ""] + base64(text)
  }

  private func base64(_ text: String) -> [String] {
    let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
      .replacingOccurrences(of: "\n", with: "\r\n")
    // Split on the CRLFs base64Lines put there (a Swift Character each), dropping the last.
    let encoded = HeaderEncoding.base64Lines(Array(normalized.utf8))
    return Array(encoded.components(separatedBy: "\r\n").dropLast())
  }
}
