public import CharterPostgres
public import Foundation

/// The id of a tenant (one organisation). Every tenant table's key starts with it.
public struct TenantID: Hashable, Sendable, Codable, CustomStringConvertible {
  public let uuid: UUID

  public init(_ uuid: UUID) {
    self.uuid = uuid
  }

  /// Parses the textual form (`8-4-4-4-12` hex digits); nil when it is not a UUID.
  public init?(_ text: String) {
    guard let uuid = UUID(uuidString: text) else { return nil }
    self.uuid = uuid
  }

  /// Lower-case, as PostgreSQL prints a uuid: the value put into `charter.tenant`.
  public var description: String { uuid.uuidString.lowercased() }
}

extension TenantID: PostgresEncodable {
  public func encode(into bindings: inout PostgresBindings) {
    uuid.encode(into: &bindings)
  }
}

extension TenantID: PostgresDecodable {
  public static func decode(from cell: PostgresCell) throws(PostgresDecodingError) -> TenantID {
    TenantID(try UUID.decode(from: cell))
  }
}
