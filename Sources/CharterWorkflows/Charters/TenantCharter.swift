public import CharterCalendar
public import CharterGovernance
public import CharterPostgres
import Foundation
import Synchronization

/// The charter a tenant works under on a day: the latest version of charter.charter_versions
/// whose effective date is not after the day (issue 7: an amendment applies from its effective
/// date; decisions before it keep the old version).
public struct TenantCharter: Sendable {
  /// The row's version number (what decisions record).
  public let version: Int
  public let effectiveOn: CivilDate
  public let profile: CharterProfile
}

/// Parsed profiles by checksum: the text of a version never changes (charter_versions is
/// append-only and its checksum is checked by the database), so a parse is kept for good.
final class ProfileCache: Sendable {
  private let storage = Mutex<[String: CharterProfile]>([:])

  func profile(sha256: String, text: String, version: Int) throws -> CharterProfile {
    if let cached = storage.withLock({ $0[sha256] }) { return cached }
    let profile = try CharterProfile.load(text: text, file: "charter_versions v\(version)")
    storage.withLock { $0[sha256] = profile }
    return profile
  }

  /// The parsed profile of a checksum, reading its text with `text` only on a miss.
  func profile(
    sha256: String, version: Int, text: () async throws -> String
  ) async throws -> CharterProfile {
    if let cached = storage.withLock({ $0[sha256] }) { return cached }
    return try profile(sha256: sha256, text: try await text(), version: version)
  }
}

enum TenantCharters {
  /// The version in force on `day` for the transaction's tenant, or nil when the tenant has no
  /// charter loaded yet (or only versions effective later).
  static func inForce(
    on day: CivilDate, cache: ProfileCache, connection: PostgresConnection
  ) async throws -> TenantCharter? {
    let result = try await connection.query(
      """
      select version, effective_on::text, profile_text, profile_sha256
      from charter.charter_versions
      where tenant_id = charter.current_tenant() and effective_on <= $1::date
      order by effective_on desc limit 1
      """, [day.description])
    guard let row = result.rows.first else { return nil }
    let version = try row.decode(0, as: Int.self)
    guard let effective = CivilDate(iso: try row.decode(1, as: String.self)) else {
      throw WorkflowError.corrupt("charter_versions v\(version): effective_on")
    }
    let profile = try cache.profile(
      sha256: try row.decode(3, as: String.self), text: try row.decode(2, as: String.self),
      version: version)
    return TenantCharter(version: version, effectiveOn: effective, profile: profile)
  }
}
