public import CharterPostgres
import Foundation

/// The wording of one notice kind in one locale: `{{name}}` placeholders filled from the
/// notice's parameters (HTML-escaped in the HTML body; an unknown name stays empty).
public struct NoticeTemplate: Sendable, Equatable {
  public var subject: String
  public var textBody: String
  public var htmlBody: String?

  public init(subject: String, textBody: String, htmlBody: String? = nil) {
    self.subject = subject
    self.textBody = textBody
    self.htmlBody = htmlBody
  }

  static func fill(_ template: String, _ parameters: [String: String], html: Bool) -> String {
    var output = ""
    var rest = Substring(template)
    while let open = rest.range(of: "{{") {
      output += rest[..<open.lowerBound]
      guard let close = rest[open.upperBound...].range(of: "}}") else {
        output += rest[open.lowerBound...]
        return output
      }
      let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
      let value = parameters[name] ?? ""
      output += html ? escapeHTML(value) : value
      rest = rest[close.upperBound...]
    }
    return output + rest
  }

  static func escapeHTML(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}

/// A notice rendered for delivery: zh-CN first, then English, in one message.
public struct RenderedNotice: Sendable, Equatable {
  public var subject: String
  public var textBody: String
  public var htmlBody: String
}

/// Built-in templates per notice kind (`NoticeKind` of the rules engine: information, decision,
/// reminder, warning, escalation, announcement, request), overridden per tenant by rows of
/// charter.notice_templates. Parameters: `summary_zh`, `summary_en`, `article`, and whatever
/// the notice carries.
public enum NoticeTemplates {
  static let builtInZh: [String: String] = [
    "information": "通知", "decision": "决定", "reminder": "提醒", "warning": "警告",
    "escalation": "升级提醒", "announcement": "公告", "request": "请求",
  ]

  /// The kinds of the rules engine's notices, then the delivery system's own.
  public static let kinds =
    [
      "information", "decision", "reminder", "warning", "escalation", "announcement", "request",
    ] + SystemNotice.allCases.map(\.rawValue)

  /// `zh-CN` first: every notice carries the Chinese text before the English.
  public static let locales = ["zh-CN", "en"]

  public static func builtIn(kind: String, locale: String) -> NoticeTemplate {
    if let system = SystemNotice(rawValue: kind) {
      return locale == "zh-CN" ? system.chinese : system.english
    }
    if locale == "zh-CN" {
      let label = builtInZh[kind] ?? "通知"
      return NoticeTemplate(
        subject: "【\(label)】{{summary_zh}}",
        textBody: "{{summary_zh}}\n\n依据：{{article}}",
        htmlBody: "<p>{{summary_zh}}</p><p>依据：{{article}}</p>")
    }
    let label = kind.prefix(1).uppercased() + kind.dropFirst()
    return NoticeTemplate(
      subject: "[\(label)] {{summary_en}}",
      textBody: "{{summary_en}}\n\nUnder: {{article}}",
      htmlBody: "<p>{{summary_en}}</p><p>Under: {{article}}</p>")
  }

  /// The transaction's tenant's templates for `kind` (built-ins where it has none), filled and
  /// joined: subject "中文 / English", bodies Chinese first, then English.
  public static func render(
    kind: String, parameters: [String: String], on connection: PostgresConnection
  ) async throws -> RenderedNotice {
    let result = try await connection.query(
      """
      select locale, subject, text_body, html_body from charter.notice_templates
      where tenant_id = charter.current_tenant() and notice_kind = $1
      """, [kind])
    var overrides: [String: NoticeTemplate] = [:]
    for row in result.rows {
      overrides[try row.decode(0, as: String.self)] = NoticeTemplate(
        subject: try row.decode(1, as: String.self), textBody: try row.decode(2, as: String.self),
        htmlBody: try row.decode(3, as: String?.self))
    }
    let zh = overrides["zh-CN"] ?? builtIn(kind: kind, locale: "zh-CN")
    let en = overrides["en"] ?? builtIn(kind: kind, locale: "en")
    return render(zh: zh, en: en, parameters: parameters)
  }

  public static func render(
    zh: NoticeTemplate, en: NoticeTemplate, parameters: [String: String]
  ) -> RenderedNotice {
    let subject =
      NoticeTemplate.fill(zh.subject, parameters, html: false) + " / "
      + NoticeTemplate.fill(en.subject, parameters, html: false)
    let text =
      NoticeTemplate.fill(zh.textBody, parameters, html: false) + "\n\n——\n\n"
      + NoticeTemplate.fill(en.textBody, parameters, html: false)
    func html(_ template: NoticeTemplate) -> String {
      template.htmlBody.map { NoticeTemplate.fill($0, parameters, html: true) }
        ?? "<pre>"
        + NoticeTemplate.escapeHTML(NoticeTemplate.fill(template.textBody, parameters, html: false))
        + "</pre>"
    }
    let htmlBody =
      "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"></head><body>"
      + "<div lang=\"zh-CN\">" + html(zh) + "</div><hr><div lang=\"en\">" + html(en)
      + "</div></body></html>"
    return RenderedNotice(subject: subject, textBody: text, htmlBody: htmlBody)
  }
}
