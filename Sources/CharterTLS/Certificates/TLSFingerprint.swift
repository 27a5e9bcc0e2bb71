internal import COpenSSL

/// The SHA-256 of a certificate's DER encoding: what operators pin and compare.
/// Equality runs in constant time (CRYPTO_memcmp, RELIABILITY A4).
public struct TLSFingerprint: Sendable, Hashable, CustomStringConvertible {
  /// The 32 digest bytes.
  public let bytes: [UInt8]

  /// Wraps 32 digest bytes; nil for any other length.
  public init?(bytes: [UInt8]) {
    guard bytes.count == 32 else { return nil }
    self.bytes = bytes
  }

  /// From a SHA-256 output we computed ourselves (always 32 bytes).
  init(digest: [UInt8]) {
    self.bytes = digest
  }

  /// Parses `AB:CD:…` (as `openssl x509 -fingerprint -sha256` prints it) or `abcd…`, either
  /// case, with an optional `sha256:` / `SHA256 Fingerprint=` prefix. Nil when it is not 32
  /// bytes of hex.
  public init?(parsing text: String) {
    var body = Substring(text.trimmingASCIIWhitespace())
    for prefix in [
      "sha256:", "SHA256:", "sha256 Fingerprint=", "SHA256 Fingerprint=", "sha256 fingerprint=",
    ]
    where body.hasPrefix(prefix) {
      body = body.dropFirst(prefix.count)
    }
    let digits = body.utf8.filter { $0 != UInt8(ascii: ":") }
    guard digits.count == 64 else { return nil }
    var parsed: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
      guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else {
        return nil
      }
      parsed.append(high << 4 | low)
      index += 2
    }
    self.bytes = parsed
  }

  /// `AB:CD:EF:…`, the form browsers and `openssl x509 -fingerprint` show.
  public var uppercaseWithColons: String { Self.render(bytes, uppercase: true, colons: true) }
  /// `abcdef…`, the form to paste into configuration.
  public var lowercaseHex: String { Self.render(bytes, uppercase: false, colons: false) }
  public var description: String { uppercaseWithColons }

  public static func == (lhs: TLSFingerprint, rhs: TLSFingerprint) -> Bool {
    guard lhs.bytes.count == rhs.bytes.count else { return false }
    return lhs.bytes.withUnsafeBytes { left in
      rhs.bytes.withUnsafeBytes { right in
        CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
      }
    }
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

  private static func nibble(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  private static func render(_ bytes: [UInt8], uppercase: Bool, colons: Bool) -> String {
    let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
    var out: [UInt8] = []
    for (offset, byte) in bytes.enumerated() {
      if colons && offset > 0 { out.append(UInt8(ascii: ":")) }
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

extension String {
  func trimmingASCIIWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
    return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
  }
}
