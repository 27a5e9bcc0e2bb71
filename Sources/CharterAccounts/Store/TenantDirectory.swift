import CharterPostgres
import CharterStore
import Foundation

/// Tenant slugs to ids. A tenant's id and slug never change (there is no rename), so found
/// tenants are cached; a miss always asks the database (the tenant may be created later).
/// The `tenants` table is readable only in installation scope, which is why every lookup of
/// a slug goes through here.
actor TenantDirectory {
  struct Entry: Sendable {
    let ref: TenantRef
    let disabled: Bool
  }

  private let database: Database
  private var cache: [String: TenantRef] = [:]

  init(database: Database) {
    self.database = database
  }

  /// The tenant named `slug`, or nil when there is none.
  func resolve(_ slug: String) async throws -> TenantRef? {
    if let cached = cache[slug] { return cached }
    guard let entry = try await lookUp(slug) else { return nil }
    cache[slug] = entry.ref
    return entry.ref
  }

  /// The tenant with its state, read fresh (login refuses disabled tenants).
  func lookUp(_ slug: String) async throws -> Entry? {
    let database = database
    let row: (UUID, Bool)? = try await database.withInstallationScope { connection in
      let result = try await connection.query(
        "select id, disabled_at is not null from charter.tenants where slug = $1", [slug])
      guard let row = result.rows.first else { return nil }
      return (try row.decode(0, as: UUID.self), try row.decode(1, as: Bool.self))
    }
    guard let row else { return nil }
    let entry = Entry(ref: TenantRef(id: TenantID(row.0), slug: slug), disabled: row.1)
    cache[slug] = entry.ref
    return entry
  }
}
