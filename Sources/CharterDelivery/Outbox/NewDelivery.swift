public import Foundation

/// Where a delivery goes: an address, or the tenant's configured webhook of a kind.
public enum DeliveryTarget: Sendable, Equatable {
  case email(MailAddress)
  /// The tenant's generic webhook (Standard Webhooks signature).
  case webhook
  case dingTalk
  case weCom

  /// The `channel` column of charter.notice_outbox.
  public var channel: String {
    switch self {
    case .email: "email"
    case .webhook: "webhook"
    case .dingTalk: "dingtalk"
    case .weCom: "wecom"
    }
  }

  var recipient: String {
    switch self {
    case .email(let address): address.text
    case .webhook, .dingTalk, .weCom: "tenant-settings"
    }
  }
}

/// One delivery of a notice to write into the outbox.
public struct NewDelivery: Sendable, Equatable {
  /// Unique per tenant and delivery: a repeated event or a retried job with the same key writes
  /// nothing new. Use `Outbox.key(notice:target:)` to derive one per recipient.
  public var noticeKey: String
  public var target: DeliveryTarget
  public var subject: String
  public var textBody: String
  public var htmlBody: String?
  /// `NoticeKind` of the rules engine (information, reminder, …), for listings and templates.
  public var noticeKind: String?
  /// An iCalendar invitation (`MeetingInvitation.rendered`), attached to e-mail.
  public var calendar: String?
  /// The job whose completion writes this delivery, if any.
  public var jobID: UUID?

  public init(
    noticeKey: String, target: DeliveryTarget, subject: String, textBody: String,
    htmlBody: String? = nil, noticeKind: String? = nil, calendar: String? = nil, jobID: UUID? = nil
  ) {
    self.noticeKey = noticeKey
    self.target = target
    self.subject = subject
    self.textBody = textBody
    self.htmlBody = htmlBody
    self.noticeKind = noticeKind
    self.calendar = calendar
    self.jobID = jobID
  }

  public init(
    noticeKey: String, target: DeliveryTarget, rendered: RenderedNotice, noticeKind: String?,
    calendar: String? = nil, jobID: UUID? = nil
  ) {
    self.init(
      noticeKey: noticeKey, target: target, subject: rendered.subject,
      textBody: rendered.textBody, htmlBody: rendered.htmlBody, noticeKind: noticeKind,
      calendar: calendar, jobID: jobID)
  }
}

/// What `Outbox.enqueue` did.
public enum OutboxEnqueueResult: Sendable, Equatable {
  case created(id: UUID)
  /// A delivery with this key existed: nothing written.
  case duplicate
}
