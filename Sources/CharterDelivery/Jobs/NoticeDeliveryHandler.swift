public import CharterPostgres
public import CharterScheduler
public import Foundation

/// The built-in job kind `notice.deliver`: writes a notice's deliveries into the outbox, one
/// per recipient, in the transaction that completes the job. The notice key is derived from
/// the job id (`job/<id>`), so a job that runs again after a crash — its first run rolled back
/// with the daemon — writes each delivery once, and a notice exists exactly when its job is
/// done. Every daemon registers it; NOTICE SCHEDULE creates one for a one-off notice.
public struct NoticeDeliveryHandler: JobHandler {
  public static let kind = "notice.deliver"

  public init() {}

  public static func register(into registry: inout JobHandlerRegistry) {
    registry.register(kind, NoticeDeliveryHandler())
  }

  /// `job/<job id>`: the notice part of each delivery's key.
  public static func noticeKey(jobID: UUID) -> String {
    "job/\(jobID.uuidString.lowercased())"
  }

  public func run(_ job: JobContext, on connection: PostgresConnection) async throws -> JobOutcome {
    let payload: NoticeDeliveryPayload
    do {
      payload = try JSONDecoder().decode(
        NoticeDeliveryPayload.self, from: Data(job.payload.text.utf8))
    } catch {
      // Running it again cannot make the payload readable: dead, for the operator to see.
      return .fail(reason: "notice.deliver: unreadable payload: \(error)")
    }
    let recipients: [MailAddress]
    do {
      recipients = try Self.addresses(payload.recipients)
    } catch {
      return .fail(reason: "notice.deliver: \(error)")
    }
    let rendered: RenderedNotice
    if let subject = payload.subject, let text = payload.text {
      rendered = RenderedNotice(
        subject: subject, textBody: text,
        htmlBody: payload.html
          ?? "<pre>" + NoticeTemplate.escapeHTML(text) + "</pre>")
    } else if let summaryZh = payload.summaryZh, let summaryEn = payload.summaryEn {
      rendered = try await NoticeTemplates.render(
        kind: payload.noticeKind,
        parameters: [
          "summary_zh": summaryZh, "summary_en": summaryEn, "article": payload.article ?? "—",
        ], on: connection)
    } else {
      return .fail(
        reason: "notice.deliver: the payload needs subject and text, or summary_zh and summary_en")
    }
    let notice = Self.noticeKey(jobID: job.id)
    // Written by the scheduler with its batch's, in one statement.
    for address in recipients {
      let target = DeliveryTarget.email(address)
      job.deferredWrites.append(
        NewDelivery(
          noticeKey: Outbox.key(notice: notice, target: target), target: target,
          rendered: rendered, noticeKind: payload.noticeKind, jobID: job.id))
    }
    return .done
  }

  /// The addresses, checked, each once, in their order.
  static func addresses(_ texts: [String]) throws -> [MailAddress] {
    guard !texts.isEmpty else { throw DeliveryError.invalidValue("no recipients") }
    var seen: Set<String> = []
    var addresses: [MailAddress] = []
    for text in texts where seen.insert(text.lowercased()).inserted {
      addresses.append(try MailAddress(text))
    }
    return addresses
  }
}
