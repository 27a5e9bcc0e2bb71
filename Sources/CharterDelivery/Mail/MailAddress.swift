/// An e-mail address as it goes into the envelope and the headers. Checked once: no CR, LF,
/// angle brackets, spaces, commas or control characters, exactly one `@` — so no notice field can
/// add a header or a recipient (RELIABILITY P7).
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
  public let text: String

  public init(_ text: String) throws(DeliveryError) {
    let forbidden: Set<Character> = ["<", ">", ",", ";", " ", "\"", "(", ")", "\\"]
    let atCount = text.filter { $0 == "@" }.count
    guard !text.isEmpty, text.utf8.count <= 254, atCount == 1,
      !text.hasPrefix("@"), !text.hasSuffix("@"),
      !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
      !text.contains(where: { forbidden.contains($0) })
    else { throw .invalidValue("not a mail address: \(text.debugDescription)") }
    self.text = text
  }

  public var description: String { text }
}
