/// The name given to LOGIN: `name` for an operator, `name@tenant-slug` for a tenant
/// administrator. Login names themselves never hold `@` (ADMIN CREATE refuses it), so the
/// last `@` always separates the tenant.
enum LoginName: Sendable, Hashable {
  case `operator`(login: String)
  case tenantAdministrator(login: String, tenant: String)

  init(_ text: String) {
    if let at = text.lastIndex(of: "@") {
      self = .tenantAdministrator(
        login: String(text[..<at]), tenant: String(text[text.index(after: at)...]))
    } else {
      self = .operator(login: text)
    }
  }

  var login: String {
    switch self {
    case .operator(let login), .tenantAdministrator(let login, _): login
    }
  }
}

/// Login names ADMIN CREATE accepts: what the schema's CHECK allows, minus `@`.
enum LoginNameRule {
  static func isValid(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard (1...64).contains(bytes.count) else { return false }
    return bytes.allSatisfy { byte in
      (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
  }

  static let description = "1-64 of A-Z, a-z, 0-9, '.', '_' and '-'"
}
