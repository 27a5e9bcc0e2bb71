import Testing

@testable import CharterCrypto

/// Published test vectors: if OpenSSL were called with the wrong lengths or parameters, these
/// would be the first to break.
@Suite struct KnownAnswerTests {
  @Test func sha256OfAbcMatchesFIPS180Example() {
    #expect(
      Hex.lowercase(Digest.sha256("abc"))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func sha256OfEmptyInput() {
    #expect(
      Hex.lowercase(Digest.sha256([UInt8]()))
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  @Test(arguments: [
    // RFC 4231 test case 1: 20-byte key of 0x0b.
    (
      [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
    ),
    // Test case 2: a key shorter than the output.
    (
      Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    ),
    // Test case 6: a key longer than the block size is hashed first.
    (
      [UInt8](repeating: 0xaa, count: 131),
      Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    ),
  ])
  func hmacSHA256MatchesRFC4231(key: [UInt8], message: [UInt8], expected: String) throws {
    #expect(Hex.lowercase(try Digest.hmacSHA256(key: key, message: message)) == expected)
  }

  @Test func scryptMatchesRFC7914Section12() throws {
    let empty = try PasswordHasher.derive(
      password: "", salt: [], algorithm: .scrypt(logN: 4, r: 1, p: 1), length: 64)
    #expect(
      Hex.lowercase(empty)
        == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
        + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")
    let nacl = try PasswordHasher.derive(
      password: "password", salt: Array("NaCl".utf8), algorithm: .scrypt(logN: 10, r: 8, p: 16),
      length: 64)
    #expect(
      Hex.lowercase(nacl)
        == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
        + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
  }

  @Test(arguments: [
    (1, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
    (2, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"),
    (4096, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
  ])
  func pbkdf2SHA256MatchesPublishedVectors(iterations: Int, expected: String) throws {
    // The RFC 6070 inputs ("password", "salt") with SHA-256, as published for PBKDF2-HMAC-SHA256.
    let derived = try PasswordHasher.derive(
      password: "password", salt: Array("salt".utf8),
      algorithm: .pbkdf2SHA256(iterations: iterations), length: 32)
    #expect(Hex.lowercase(derived) == expected)
  }
}

@Suite struct PrimitiveTests {
  @Test func randomBytesHaveTheRequestedLengthAndDiffer() throws {
    let first = try SecureRandom.bytes(32)
    let second = try SecureRandom.bytes(32)
    #expect(first.count == 32)
    #expect(first != second)
    #expect(try SecureRandom.bytes(0).isEmpty)
    #expect(throws: CryptoError.self) { try SecureRandom.bytes(-1) }
  }

  /// RELIABILITY A4: comparisons of secrets go through CRYPTO_memcmp.
  @Test func constantTimeEqualsAgreesWithEquality() {
    let tag: [UInt8] = Array(0..<32)
    var lastByteDiffers = tag
    lastByteDiffers[31] ^= 1
    var firstByteDiffers = tag
    firstByteDiffers[0] ^= 0x80
    #expect(ConstantTime.equals(tag, tag))
    #expect(!ConstantTime.equals(tag, lastByteDiffers))
    #expect(!ConstantTime.equals(tag, firstByteDiffers))
    #expect(!ConstantTime.equals(tag, tag.dropLast()))
    #expect(ConstantTime.equals([UInt8](), [UInt8]()))
  }

  @Test func hexRoundTripsBothFingerprintForms() {
    let bytes: [UInt8] = [0x00, 0xab, 0xff, 0x10]
    #expect(Hex.lowercase(bytes) == "00abff10")
    #expect(Hex.uppercaseWithColons(bytes) == "00:AB:FF:10")
    #expect(Hex.parse("00:AB:FF:10") == bytes)
    #expect(Hex.parse("00abff10") == bytes)
    #expect(Hex.parse("0g") == nil)
    #expect(Hex.parse("abc") == nil)
  }
}
