import CharterDelivery
import CharterProtocol
import Foundation

/// The `key=value` options of one DELIVERY SET, checked before anything is saved: every value
/// is valid or none is applied. An empty value clears a setting. Messages name the key, never
/// a secret's value.
struct DeliverySettingChange: Sendable {
  /// The keys given, in the order of the command table (for the reply and the audit note).
  private(set) var keys: [String] = []
  private var values: [String: String] = [:]

  /// Keys whose value is a webhook or robot URL, checked by the SSRF guard.
  static let urlKeys = ["webhook", "dingtalk", "wecom"]

  init(_ arguments: CommandArguments, spec: CommandSpec) throws(CommandFailure) {
    for argument in spec.arguments {
      guard let value = arguments.string(argument.name) else { continue }
      keys.append(argument.name)
      values[argument.name] = value
    }
    try check("smtp") { url in
      guard let components = URLComponents(string: url),
        let scheme = components.scheme?.lowercased(), ["smtp", "smtps"].contains(scheme),
        let host = components.host, !host.isEmpty
      else { return "is not smtp://host:port or smtps://host:port" }
      if components.user != nil || components.password != nil {
        return "must not hold a login: use smtp-user= and smtp-password="
      }
      return nil
    }
    for key in ["from", "secretariat-email", "chairs-office-email"] {
      try check(key) { address in
        do {
          _ = try MailAddress(address)
          return nil
        } catch {
          return "is not a mail address"
        }
      }
    }
    try check("message-id-domain") { domain in
      let allowed = domain.unicodeScalars.allSatisfy {
        $0.isASCII
          && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "."
            || $0 == "-")
      }
      return allowed && !domain.hasPrefix(".") ? nil : "is not a domain name"
    }
  }

  var isEmpty: Bool { keys.isEmpty }

  /// The URLs to check with the SSRF guard, by key (cleared ones excluded).
  var urls: [(key: String, url: String)] {
    Self.urlKeys.compactMap { key in
      guard let url = values[key], !url.isEmpty else { return nil }
      return (key, url)
    }
  }

  /// Whether the webhook URL was given (set again or cleared): that ends a disabling.
  var touchesWebhook: Bool { values["webhook"] != nil }

  /// For the audit note: the robot URLs given (secret arguments, so `***` in the command),
  /// with their query values masked.
  var redactedSecretURLs: String {
    ["dingtalk", "wecom"].compactMap { key in
      values[key].map { "\(key)=\($0.isEmpty ? "" : DeliverySettings.redactedURL($0))" }
    }.joined(separator: " ")
  }

  func apply(to settings: inout DeliverySettings) {
    func text(_ key: String) -> String?? {
      guard let value = values[key] else { return .none }
      return .some(value.isEmpty ? nil : value)
    }
    func secret(_ key: String) -> Secret?? {
      guard let value = values[key] else { return .none }
      return .some(value.isEmpty ? nil : Secret(value))
    }
    if let value = text("smtp") { settings.smtpURL = value }
    if let value = text("smtp-user") { settings.smtpUsername = value }
    if let value = secret("smtp-password") { settings.smtpPassword = value }
    if let value = values["security"] {
      settings.smtpSecurity = value == "none" ? .none : .startTLSRequired
    }
    if let value = text("from") { settings.mailFrom = value }
    if let value = text("from-name") { settings.mailFromName = value }
    if let value = text("message-id-domain") { settings.messageIDDomain = value }
    if let value = text("webhook") { settings.webhookURL = value }
    if let value = secret("webhook-secret") { settings.webhookSecret = value }
    if let value = text("dingtalk") { settings.dingTalkURL = value }
    if let value = secret("dingtalk-secret") { settings.dingTalkSecret = value }
    if let value = text("wecom") { settings.weComURL = value }
    if let value = text("secretariat-email") { settings.secretariatEmail = value }
    if let value = text("chairs-office-email") { settings.chairsOfficeEmail = value }
  }

  /// Runs `problem` on the non-empty value of `key`; a problem refuses the whole command.
  private func check(_ key: String, _ problem: (String) -> String?) throws(CommandFailure) {
    guard let value = values[key], !value.isEmpty, let why = problem(value) else { return }
    throw CommandFailure(.badArguments, "\(key)= \(why)")
  }
}
