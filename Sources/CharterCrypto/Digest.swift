internal import COpenSSL

/// SHA-256 and HMAC-SHA256 (webhook signatures, certificate fingerprints).
public enum Digest {
  public static let sha256Length = 32

  /// SHA-256 of `bytes`.
  public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
    let input = Array(bytes)
    var output = [UInt8](repeating: 0, count: sha256Length)
    input.withUnsafeBufferPointer { inputBuffer in
      output.withUnsafeMutableBufferPointer { outputBuffer in
        // SHA256() cannot fail for in-memory input; it returns its output pointer.
        _ = SHA256(inputBuffer.baseAddress, inputBuffer.count, outputBuffer.baseAddress)
      }
    }
    return output
  }

  /// SHA-256 of the UTF-8 bytes of `text`.
  public static func sha256(_ text: String) -> [UInt8] { sha256(Array(text.utf8)) }

  /// HMAC-SHA256 of `message` under `key` (RFC 2104). Compare tags with
  /// `ConstantTime.equals`, never with `==`.
  public static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>)
    throws(CryptoError) -> [UInt8]
  {
    let keyBytes = Array(key)
    let messageBytes = Array(message)
    var output = [UInt8](repeating: 0, count: sha256Length)
    var outputLength: UInt32 = 0
    ERR_clear_error()
    let result = keyBytes.withUnsafeBufferPointer { keyBuffer in
      messageBytes.withUnsafeBufferPointer { messageBuffer in
        output.withUnsafeMutableBufferPointer { outputBuffer in
          HMAC(
            EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count), messageBuffer.baseAddress,
            messageBuffer.count, outputBuffer.baseAddress, &outputLength)
        }
      }
    }
    guard result != nil, outputLength == UInt32(sha256Length) else {
      throw CryptoError.fromOpenSSL(.derivationFailed, "HMAC-SHA256 failed")
    }
    return output
  }
}

/// Hexadecimal renderings used in logs, files and fingerprints.
public enum Hex {
  private static let lowerDigits = Array("0123456789abcdef".utf8)
  private static let upperDigits = Array("0123456789ABCDEF".utf8)

  /// `ba7816bf…`
  public static func lowercase(_ bytes: some Collection<UInt8>) -> String {
    render(bytes, digits: lowerDigits, separator: nil)
  }

  /// `BA:78:16:BF:…`, the form `openssl x509 -fingerprint` prints.
  public static func uppercaseWithColons(_ bytes: some Collection<UInt8>) -> String {
    render(bytes, digits: upperDigits, separator: UInt8(ascii: ":"))
  }

  /// Parses hex with or without colons, either case; nil on anything else.
  public static func parse(_ text: String) -> [UInt8]? {
    let digits = text.utf8.filter { $0 != UInt8(ascii: ":") }
    guard digits.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    var index = 0
    while index < digits.count {
      guard let high = value(of: digits[index]), let low = value(of: digits[index + 1]) else {
        return nil
      }
      bytes.append(high << 4 | low)
      index += 2
    }
    return bytes
  }

  private static func value(of digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  private static func render(_ bytes: some Collection<UInt8>, digits: [UInt8], separator: UInt8?)
    -> String
  {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 3)
    for (offset, byte) in bytes.enumerated() {
      if let separator, offset > 0 { out.append(separator) }
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
