import CharterPostgres
public import CharterStore

/// A tenant as the accounts module refers to it: its id for the database, its slug for people.
public struct TenantRef: Sendable, Hashable {
  public let id: TenantID
  public let slug: String

  public init(id: TenantID, slug: String) {
    self.id = id
    self.slug = slug
  }
}

/// Where an account lives: the installation's operators, or one tenant's administrators.
enum AccountHome: Sendable, Hashable {
  case installation
  case tenant(TenantRef)

  var tenant: TenantRef? {
    if case .tenant(let ref) = self { ref } else { nil }
  }
}

extension Database {
  /// A transaction in the scope `home` needs: installation scope for operators, the
  /// tenant's own context for its administrators (row-level security then hides every other
  /// tenant's rows, RELIABILITY S1/S2).
  func transaction<T: Sendable>(
    in home: AccountHome, _ body: (PostgresConnection) async throws -> T
  ) async throws -> T {
    switch home {
    case .installation: try await withInstallationScope(body)
    case .tenant(let ref): try await withTenant(ref.id, body)
    }
  }
}
