public import CharterCalendar
public import CharterGovernance
public import CharterPostgres
public import Foundation

/// A term of office as stored: charter.office_terms' identity columns and the engine's
/// `OfficeTerm` (the `state` column).
public struct StoredOfficeTerm: Sendable {
  public let id: UUID
  public let personName: String
  public let memberID: UUID?
  public let birthDate: CivilDate?
  public var term: OfficeTerm
}

public enum OfficeStore {
  /// Loads a term of the transaction's tenant, locking its row until the transaction ends.
  public static func load(_ id: UUID, on connection: PostgresConnection) async throws
    -> StoredOfficeTerm?
  {
    let result = try await connection.query(
      """
      select person_name, member_id, birth_date::text, state
      from charter.office_terms where id = $1 for update
      """, [id])
    guard let row = result.rows.first else { return nil }
    return StoredOfficeTerm(
      id: id, personName: try row.decode(0, as: String.self),
      memberID: try row.decode(1, as: UUID?.self),
      birthDate: try row.decode(2, as: String?.self).flatMap(CivilDate.init(iso:)),
      term: try EngineState.decode(
        OfficeTerm.self, from: try row.decode(3, as: PostgresJSON.self), row: "office term \(id)"))
  }

  /// Writes a new term (status serving; `ends_on` holds the planned last day).
  static func insert(
    id: UUID, term: OfficeTerm, personName: String, memberID: UUID?, birthDate: CivilDate?,
    on connection: PostgresConnection
  ) async throws {
    try await connection.query(
      """
      insert into charter.office_terms
          (tenant_id, id, post, member_id, person_name, birth_date, starts_on, ends_on, status,
           state, revision)
      values (charter.current_tenant(), $1, $2, $3, $4, $5::date, $6::date, $7::date, 'serving',
              $8, 1)
      """,
      [
        id, term.post, memberID, personName, birthDate?.description, term.start.description,
        term.lastDay?.description, try EngineState.encode(term),
      ])
  }

  /// Writes the term's state and projections; an ended term's `ends_on` becomes the day it
  /// actually ended.
  public static func save(_ stored: StoredOfficeTerm, on connection: PostgresConnection)
    async throws
  {
    var status = "serving"
    var endsOn = stored.term.lastDay?.description
    if case .ended(let on, _) = stored.term.status {
      status = "ended"
      endsOn = on.description
    }
    try await connection.query(
      """
      update charter.office_terms
      set state = $2, status = $3, ends_on = $4::date, revision = revision + 1,
          updated_at = now()
      where id = $1
      """, [stored.id, try EngineState.encode(stored.term), status, endsOn])
  }
}
