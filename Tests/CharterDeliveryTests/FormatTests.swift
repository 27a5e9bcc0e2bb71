import CharterDelivery
import Foundation
import Testing

@testable import CharterDelivery

/// Encodings checked without a server: RFC 2047 words, iCalendar folding and escaping, templates,
/// secrets, the retry schedule.
@Suite struct FormatTests {
  @Test func encodedWordsStayWithin75CharactersAndSplitBetweenCharacters() throws {
    let subject = String(repeating: "关于召开理事会会议的通知，", count: 8)
    let words = HeaderEncoding.encodedWords(subject)
    #expect(words.count > 1)
    var decoded: [UInt8] = []
    for word in words {
      #expect(word.count <= 75)
      let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
      let bytes = try #require(Data(base64Encoded: String(payload)))
      #expect(String(data: bytes, encoding: .utf8) != nil, "a word split a UTF-8 sequence")
      decoded += bytes
    }
    #expect(String(decoding: decoded, as: UTF8.self) == subject)
  }

  @Test func calendarLinesFoldAt75OctetsWithoutSplittingCharacters() {
    let line = "DESCRIPTION:" + String(repeating: "议程：审议年度工作报告；", count: 10)
    let folded = MeetingInvitation.fold(line)
    let parts = folded.components(separatedBy: "\r\n")
    #expect(parts.count > 1)
    for part in parts { #expect(part.utf8.count <= 75) }
    #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
    #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
  }

  @Test func calendarTextIsEscaped() {
    #expect(MeetingInvitation.text("a,b;c\\d\ne\r\n") == "a\\,b\\;c\\\\d\\ne\\n")
  }

  @Test func templatesFillPlaceholdersAndEscapeHTMLOnlyInHTML() {
    let rendered = NoticeTemplates.render(
      zh: NoticeTemplate(subject: "{{name}}的通知", textBody: "{{name}}", htmlBody: "<p>{{name}}</p>"),
      en: NoticeTemplate(subject: "Notice for {{name}}", textBody: "{{ name }} {{missing}}."),
      parameters: ["name": "A&B <x>"])
    #expect(rendered.subject == "A&B <x>的通知 / Notice for A&B <x>")
    #expect(rendered.textBody.hasPrefix("A&B <x>"))
    #expect(rendered.textBody.hasSuffix("A&B <x> ."))
    #expect(rendered.htmlBody.contains("<p>A&amp;B &lt;x&gt;</p>"))
    #expect(!rendered.htmlBody.contains("<x>"))
  }

  @Test func secretsAreMaskedInEveryRendering() {
    let settings = DeliverySettings(
      smtpURL: "smtp://mail.example:587", smtpUsername: "bot", smtpPassword: Secret("hunter2"),
      webhookURL: "https://hooks.example/x", webhookSecret: Secret("whsec_c2VjcmV0"),
      dingTalkSecret: Secret("SECding"))
    for text in [
      "\(settings)", String(describing: settings), String(reflecting: settings),
      "\(DeliveryError.notConfigured("\(settings)"))", "\(Secret("hunter2"))",
    ] {
      #expect(!text.contains("hunter2"))
      #expect(!text.contains("whsec_c2VjcmV0"))
      #expect(!text.contains("SECding"))
    }
    #expect("\(settings)".contains("password=set"))
  }

  @Test func retriesGrowFromMinutesToHoursAndEmailIsKeptAtLeastFourDays() {
    let schedule = DeliveryRetrySchedule(jitter: 0)
    #expect(schedule.delaySeconds(afterAttempt: 1) == 300)
    #expect(schedule.delaySeconds(afterAttempt: 2) == 600)
    #expect(schedule.delaySeconds(afterAttempt: 6) == 9600)
    #expect(schedule.delaySeconds(afterAttempt: 7) == 4 * 3600)
    #expect(schedule.delaySeconds(afterAttempt: 100) == 4 * 3600)
    // Given up when the next attempt would fall after the lifetime: not before lifetime − 4 h.
    #expect(schedule.lifetimeSeconds(channel: "email") - 4 * 3600 >= 4 * 86400)
    #expect(schedule.lifetimeSeconds(channel: "webhook") - 4 * 3600 >= 3 * 86400 - 4 * 3600)
    let jittered = DeliveryRetrySchedule(jitter: 0.1)
    for _ in 0..<100 {
      let delay = jittered.delaySeconds(afterAttempt: 3)
      #expect(delay >= 1200 * 0.9 && delay <= 1200 * 1.1)
    }
  }

  @Test func messageIDIsDeterministicPerNotice() throws {
    let id = UUID()
    #expect(
      MailMessage.messageID(outboxID: id, domain: "aitisa.example")
        == "\(id.uuidString.lowercased())@aitisa.example")
    #expect(MailMessage.messageID(outboxID: id, domain: nil).hasSuffix("@charter.invalid"))
    #expect(MailMessage.messageID(outboxID: id, domain: "x>\r\nBcc: y").hasSuffix("@xBccy"))
  }
}
