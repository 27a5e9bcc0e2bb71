import Foundation

/// A parsed PHC-style string (`$scrypt$ln=17,r=8,p=1$<salt>$<hash>` or
/// `$pbkdf2-sha256$i=600000$<salt>$<hash>`, salt and hash in unpadded standard base64, as
/// the PHC string format and passlib write them). Parsing bounds every parameter, so a
/// hostile or corrupt row cannot make us allocate gigabytes or loop for hours.
struct StoredPasswordHash: Equatable {
  var algorithm: PasswordPolicy.Algorithm
  var salt: [UInt8]
  var hash: [UInt8]

  static let logNBounds = 1...20
  static let blockSizeBounds = 1...32
  static let parallelismBounds = 1...16
  /// scrypt needs 128·r·N bytes; refuse stored strings asking for more than 1 GiB.
  static let scryptMemoryLimit = 1 << 30
  static let iterationBounds = 1...10_000_000
  static let saltLengthBounds = 8...64
  static let hashLengthBounds = 16...64

  var encoded: String {
    let parameters: String
    switch algorithm {
    case .scrypt(let logN, let r, let p): parameters = "scrypt$ln=\(logN),r=\(r),p=\(p)"
    case .pbkdf2SHA256(let iterations): parameters = "pbkdf2-sha256$i=\(iterations)"
    }
    return "$\(parameters)$\(Self.base64(salt))$\(Self.base64(hash))"
  }

  init(algorithm: PasswordPolicy.Algorithm, salt: [UInt8], hash: [UInt8]) {
    self.algorithm = algorithm
    self.salt = salt
    self.hash = hash
  }

  init(parsing text: String) throws(CryptoError) {
    let fields = text.split(separator: "$", omittingEmptySubsequences: false)
    guard fields.count == 5, fields[0].isEmpty else {
      throw Self.malformed("expected $algorithm$parameters$salt$hash")
    }
    let parameters = try Self.parameters(fields[2])
    switch fields[1] {
    case "scrypt":
      guard parameters.count == 3, let logN = parameters["ln"], let r = parameters["r"],
        let p = parameters["p"]
      else { throw Self.malformed("scrypt needs ln, r and p") }
      guard Self.logNBounds.contains(logN), Self.blockSizeBounds.contains(r),
        Self.parallelismBounds.contains(p), (128 * r) << logN <= Self.scryptMemoryLimit
      else { throw Self.malformed("scrypt parameters out of bounds") }
      algorithm = .scrypt(logN: logN, r: r, p: p)
    case "pbkdf2-sha256":
      guard parameters.count == 1, let iterations = parameters["i"] else {
        throw Self.malformed("pbkdf2-sha256 needs i")
      }
      guard Self.iterationBounds.contains(iterations) else {
        throw Self.malformed("pbkdf2 iteration count out of bounds")
      }
      algorithm = .pbkdf2SHA256(iterations: iterations)
    default:
      throw Self.malformed("unknown algorithm")
    }
    guard let salt = Self.unbase64(fields[3]), Self.saltLengthBounds.contains(salt.count) else {
      throw Self.malformed("salt is not base64 of 8 to 64 bytes")
    }
    guard let hash = Self.unbase64(fields[4]), Self.hashLengthBounds.contains(hash.count) else {
      throw Self.malformed("hash is not base64 of 16 to 64 bytes")
    }
    self.salt = salt
    self.hash = hash
  }

  private static func malformed(_ reason: String) -> CryptoError {
    CryptoError(.malformedStoredHash, "stored password hash: \(reason)")
  }

  /// `ln=17,r=8,p=1` → ["ln": 17, "r": 8, "p": 1]; decimal digits only, no duplicates.
  private static func parameters(_ field: Substring) throws(CryptoError) -> [String: Int] {
    var result: [String: Int] = [:]
    for pair in field.split(separator: ",", omittingEmptySubsequences: false) {
      let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[1].isEmpty, parts[1].count <= 9,
        parts[1].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
        let value = Int(parts[1]), result[String(parts[0])] == nil
      else { throw malformed("parameters are not name=decimal pairs") }
      result[String(parts[0])] = value
    }
    return result
  }

  private static func base64(_ bytes: [UInt8]) -> String {
    var text = Data(bytes).base64EncodedString()
    while text.last == "=" { text.removeLast() }
    return text
  }

  private static func unbase64(_ field: Substring) -> [UInt8]? {
    guard !field.isEmpty, field.count % 4 != 1,
      field.utf8.allSatisfy({ $0 != UInt8(ascii: "=") })
    else { return nil }
    let padded = String(field) + String(repeating: "=", count: (4 - field.count % 4) % 4)
    return Data(base64Encoded: padded).map { [UInt8]($0) }
  }
}
