/// Why a delivery could not be prepared or performed. Messages never contain a secret.
public enum DeliveryError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A value that cannot be put into a message or request (a NUL byte, an address with CR/LF).
  case invalidValue(String)
  /// libcurl could not be set up for the transfer.
  case transport(String)
  /// The webhook target resolves to an address the operator has not allowed (RELIABILITY S8).
  case targetRefused(String)
  /// The tenant has no delivery settings for the channel.
  case notConfigured(String)
  /// Outbox writes outside a tenant transaction.
  case noTenantContext

  public var description: String {
    switch self {
    case .invalidValue(let why): "invalid value: \(why)"
    case .transport(let why): "transport: \(why)"
    case .targetRefused(let why): "target refused: \(why)"
    case .notConfigured(let why): "not configured: \(why)"
    case .noTenantContext: "the outbox is written inside a tenant transaction (Database.withTenant)"
    }
  }
}
