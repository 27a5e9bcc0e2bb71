import CharterCrypto

/// Passwords the server makes up (ADMIN CREATE, the first operator): groups of four
/// characters from an alphabet without look-alikes (0/O, 1/l/I), e.g. `Xk4q-9QpZ-t7Lm`.
/// Each character carries log2(56) ≈ 5.8 bits: three groups ≈ 70 bits, four ≈ 93 bits.
enum OneTimePassword {
  static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")

  static func generate(groups: Int = 3) throws(CryptoError) -> String {
    var characters: [Character] = []
    let needed = groups * 4
    // Rejection sampling: bytes at or above the largest multiple of 56 are skipped, so each
    // character is uniform.
    let limit = UInt8(256 / alphabet.count * alphabet.count)
    while characters.count < needed {
      for byte in try SecureRandom.bytes(needed * 2) where byte < limit {
        characters.append(alphabet[Int(byte) % alphabet.count])
        if characters.count == needed { break }
      }
    }
    return stride(from: 0, to: needed, by: 4).map { String(characters[$0..<$0 + 4]) }
      .joined(separator: "-")
  }
}
