public import CharterPostgres
public import CharterScheduler
public import Foundation

/// The payload of a `notice.deliver` job: one notice by e-mail to a list of addresses.
///
/// The text is either given rendered (`subject` and `text`, optionally `html`), or rendered
/// when the job runs from the tenant's templates for `notice_kind` (`NoticeTemplates`) with
/// `summary_zh`, `summary_en` and `article`. As JSON:
///
/// ```json
/// {"notice_kind": "reminder", "recipients": ["secretariat@aitisa.example"],
///  "summary_zh": "理事会会议将于 6 月 3 日召开", "summary_en": "The council meets on 3 June",
///  "article": "AITISA art. 4.2"}
/// ```
public struct NoticeDeliveryPayload: Sendable, Equatable, Codable {
  /// `NoticeKind` of the rules engine (information, reminder, warning, …); selects the template.
  public var noticeKind: String
  /// E-mail addresses; one outbox row each.
  public var recipients: [String]
  public var summaryZh: String?
  public var summaryEn: String?
  public var article: String?
  /// A rendered subject and text, used as they are instead of the templates.
  public var subject: String?
  public var text: String?
  public var html: String?

  enum CodingKeys: String, CodingKey {
    case noticeKind = "notice_kind"
    case recipients
    case summaryZh = "summary_zh"
    case summaryEn = "summary_en"
    case article, subject, text, html
  }

  /// A notice rendered from the tenant's templates when the job runs.
  public init(
    noticeKind: String, recipients: [String], summaryZh: String, summaryEn: String,
    article: String? = nil
  ) {
    self.noticeKind = noticeKind
    self.recipients = recipients
    self.summaryZh = summaryZh
    self.summaryEn = summaryEn
    self.article = article
  }

  /// A notice whose subject and bodies are already written (Chinese first, then English).
  public init(
    noticeKind: String, recipients: [String], subject: String, text: String, html: String? = nil
  ) {
    self.noticeKind = noticeKind
    self.recipients = recipients
    self.subject = subject
    self.text = text
    self.html = html
  }

  /// The job payload (jsonb).
  public var json: PostgresJSON {
    get throws {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      return PostgresJSON(String(decoding: try encoder.encode(self), as: UTF8.self))
    }
  }

  /// A `notice.deliver` job carrying this notice, to enqueue with `JobQueue.enqueue` in the
  /// transaction of the event that calls for it.
  public func job(
    subject: String, uniqueKey: String?, due: JobDue, maxAttempts: Int = 5
  ) throws -> NewJob {
    NewJob(
      kind: NoticeDeliveryHandler.kind, subject: subject, uniqueKey: uniqueKey, due: due,
      payload: try json, maxAttempts: maxAttempts)
  }
}
