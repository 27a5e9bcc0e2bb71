public import CharterCalendar
public import CharterGovernance
public import CharterPostgres
public import Foundation

/// A meeting as stored: the engine's `Meeting` (the `state` column: notice period, notice,
/// override, decided motions) and what the secretariat set around it (title, mode, time,
/// place, agenda, minutes), with its status: scheduled, notice_sent, held, cancelled.
public struct StoredMeeting: Sendable {
  public let id: UUID
  /// The working group whose all-member meeting this is (AITISA art. 10), or nil.
  public var group: UUID?
  public var title: String
  public var mode: String
  public var day: CivilDate
  /// `HH:MM` in the tenant's zone.
  public var startsAt: String
  public var endsAt: String
  public var location: String?
  public var agenda: String
  public var status: String
  public var minutes: String?
  public var state: Meeting
  public var revision: Int

  public var body: String { state.body }
  public var engineID: MeetingID { MeetingID(id.uuidString.lowercased()) }
}

public enum MeetingStore {
  static let columns = """
    title, mode, held_on::text, to_char(starts_at, 'HH24:MI'), to_char(ends_at, 'HH24:MI'),
    location, agenda, status, minutes, state, revision, group_id
    """

  /// Loads a meeting of the transaction's tenant, locking its row until the transaction ends
  /// (attendance, votes and the closing of one meeting are serialised).
  public static func load(_ id: UUID, on connection: PostgresConnection) async throws
    -> StoredMeeting?
  {
    let result = try await connection.query(
      "select \(columns) from charter.meetings where id = $1 for update", [id])
    guard let row = result.rows.first else { return nil }
    let dayText = try row.decode(2, as: String.self)
    guard let day = CivilDate(iso: dayText) else {
      throw WorkflowError.corrupt("meeting \(id): held_on \(dayText)")
    }
    return StoredMeeting(
      id: id, group: try row.decode(11, as: UUID?.self), title: try row.decode(0, as: String.self),
      mode: try row.decode(1, as: String.self),
      day: day, startsAt: try row.decode(3, as: String.self),
      endsAt: try row.decode(4, as: String.self), location: try row.decode(5, as: String?.self),
      agenda: try row.decode(6, as: String.self), status: try row.decode(7, as: String.self),
      minutes: try row.decode(8, as: String?.self),
      state: try EngineState.decode(
        Meeting.self, from: try row.decode(9, as: PostgresJSON.self), row: "meeting \(id)"),
      revision: try row.decode(10, as: Int.self))
  }

  /// Writes a new meeting (revision 1).
  static func insert(_ meeting: StoredMeeting, on connection: PostgresConnection) async throws {
    try await connection.query(
      """
      insert into charter.meetings
          (tenant_id, id, body, title, mode, held_on, starts_at, ends_at, location, agenda,
           status, state, revision, group_id)
      values (charter.current_tenant(), $1, $2, $3, $4, $5::date, $6::time, $7::time, $8, $9,
              $10, $11, 1, $12)
      """,
      [
        meeting.id, meeting.body, meeting.title, meeting.mode, meeting.day.description,
        meeting.startsAt, meeting.endsAt, meeting.location, meeting.agenda, meeting.status,
        try EngineState.encode(meeting.state), meeting.group,
      ])
  }

  /// Writes the state, status and minutes of a loaded meeting, bumping its revision.
  static func save(
    _ meeting: StoredMeeting, cancelReason: String? = nil, on connection: PostgresConnection
  ) async throws {
    try await connection.query(
      """
      update charter.meetings
      set state = $2, status = $3, minutes = $4, cancel_reason = coalesce($5, cancel_reason),
          revision = revision + 1, updated_at = now()
      where id = $1
      """,
      [
        meeting.id, try EngineState.encode(meeting.state), meeting.status, meeting.minutes,
        cancelReason,
      ])
  }
}
