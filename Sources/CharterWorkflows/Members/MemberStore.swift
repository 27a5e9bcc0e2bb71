public import CharterCalendar
public import CharterGovernance
public import CharterPostgres
public import Foundation

/// A member as stored: who it is (charter.members' identity columns) and, once admitted, the
/// engine's `MemberRecord` (the `state` column), with the projections listings use. Every
/// workflow that changes a member (membership, meetings' attendance consequences, discipline,
/// offices) loads and saves it here, so the projections and the register never drift from the
/// state.
public struct StoredMember: Sendable {
  public let id: UUID
  public var name: String
  public var kind: MemberKind
  public var contactEmail: String?
  /// nil for an applicant (not admitted yet) or a refused applicant.
  public var record: MemberRecord?
  /// The `status` column: applicant, member, exit_pending, suspended, former, refused.
  public var status: String
  public var revision: Int

  public var engineID: MemberID { MemberID(id.uuidString.lowercased()) }
}

public enum MemberStore {
  /// Loads a member of the transaction's tenant, locking its row until the transaction ends
  /// (two administrators acting on one member are serialised).
  public static func load(_ id: UUID, on connection: PostgresConnection) async throws
    -> StoredMember?
  {
    let result = try await connection.query(
      """
      select name, kind, contact_email, state, status, revision
      from charter.members where id = $1 for update
      """, [id])
    guard let row = result.rows.first else { return nil }
    let kindText = try row.decode(1, as: String.self)
    guard let kind = MemberKind(rawValue: kindText) else {
      throw WorkflowError.corrupt("member \(id): kind \(kindText)")
    }
    let record = try row.decode(3, as: PostgresJSON?.self).map {
      try EngineState.decode(MemberRecord.self, from: $0, row: "member \(id)")
    }
    return StoredMember(
      id: id, name: try row.decode(0, as: String.self), kind: kind,
      contactEmail: try row.decode(2, as: String?.self), record: record,
      status: try row.decode(4, as: String.self), revision: try row.decode(5, as: Int.self))
  }

  /// The `status` column that describes `record`.
  public static func status(of record: MemberRecord) -> String {
    switch record.status {
    case .left: return "former"
    case .exitPending: return record.suspendedSince == nil ? "exit_pending" : "suspended"
    case .active: return record.suspendedSince == nil ? "member" : "suspended"
    }
  }

  /// Writes `member.record` and its projections (status, tier, joined/left days, the seats of
  /// charter.body_seats), bumping the revision. Call it in the transaction that loaded the
  /// member. `today` dates a seat granted or ended (default: the database's day).
  public static func save(
    _ member: StoredMember, on connection: PostgresConnection, today: CivilDate? = nil
  ) async throws {
    guard let record = member.record else { return }
    var left: String?
    if case .left(_, let on) = record.status { left = on.description }
    try await connection.query(
      """
      update charter.members
      set state = $2, status = $3, tier = $4, joined_on = coalesce(joined_on, $5::date),
          left_on = $6::date, revision = revision + 1, updated_at = now()
      where id = $1
      """,
      [
        member.id, try EngineState.encode(record), status(of: record), record.tier,
        record.since.description, left,
      ])
    try await syncSeats(member.id, seats: record.seats.sorted(), today: today, on: connection)
  }

  /// Ends the seats the record no longer holds and opens the ones it gained, so meetings of a
  /// body count the members the engine seats (a seat lost, DTPC art. 19, or a member that left).
  static func syncSeats(
    _ id: UUID, seats: [String], today: CivilDate?, on connection: PostgresConnection
  ) async throws {
    try await connection.query(
      """
      update charter.body_seats set ended_on = coalesce($3::date, current_date)
      where member_id = $1 and ended_on is null and body <> all($2::text[])
      """, [id, seats, today?.description])
    try await connection.query(
      """
      insert into charter.body_seats (tenant_id, body, member_id, granted_on)
      select charter.current_tenant(), b, $1, coalesce($3::date, current_date)
      from unnest($2::text[]) as b
      where not exists (
          select 1 from charter.body_seats s
          where s.member_id = $1 and s.body = b and s.ended_on is null)
      on conflict do nothing
      """, [id, seats, today?.description])
  }

  /// Appends one entry to the member register (DTPC art. 17: kept for good) for a change of
  /// `member`'s standing, tier or seats, under the charter version and with the cause given.
  public static func appendRegister(
    _ member: StoredMember, event: String, effectiveOn day: CivilDate, cause: String,
    scope: WorkflowScope, detail: [String: String] = [:]
  ) async throws {
    try await scope.connection.query(
      """
      insert into charter.member_register
          (tenant_id, member_id, event, effective_on, tier, status, cause, charter_version,
           recorded_by, detail)
      values (charter.current_tenant(), $1, $2, $3::date, $4, $5, $6, $7, $8, $9)
      """,
      [
        member.id, event, day.description, member.record?.tier,
        member.record.map(status(of:)) ?? member.status, cause, scope.charter?.version,
        scope.actor, try JSONText.object(detail),
      ])
  }
}
