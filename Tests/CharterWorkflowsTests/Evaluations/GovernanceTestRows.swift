import CharterCalendar
import CharterGovernance
import CharterPostgres
import Foundation

@testable import CharterWorkflows

/// Rows other parts write (working groups, meetings, the secretariat's mailbox), written
/// directly for the scenarios of offices, evaluations and money.
extension Harness {
  /// An active working group with `members` (the first one leads), as the working-group
  /// workflow leaves one.
  func seedWorkingGroup(_ slug: String, name: String, members: [UUID], since: String = "2025-01-02")
    async throws -> UUID
  {
    let id = UUID()
    guard let day = CivilDate(iso: since), let lead = members.first else {
      throw HarnessError("a group needs a day and a lead unit")
    }
    let ids = members.map { MemberID($0.uuidString.lowercased()) }
    let group = WorkingGroup(
      id: WorkingGroupID(id.uuidString.lowercased()), name: name, leadUnit: ids[0],
      members: Dictionary(uniqueKeysWithValues: ids.map { ($0, .init(joinedOn: day)) }),
      leader: .init(person: PersonID("\(name)组长"), unit: ids[0]))
    let state = try EngineState.encode(group)
    try await inTenant(slug) { connection in
      try await connection.query(
        """
        insert into charter.working_groups (tenant_id, id, name, status, established_on, state)
        values (charter.current_tenant(), $1, $2, 'active', $3::date, $4)
        """, [id, name, since, state])
      for member in members {
        try await connection.query(
          """
          insert into charter.working_group_members (tenant_id, group_id, member_id, role, joined_on)
          values (charter.current_tenant(), $1, $2, $3, $4::date)
          """, [id, member, member == lead ? "leader" : "member", since])
      }
    }
    return id
  }

  /// A meeting of `body` held on `day` (charter.meetings as the meetings workflow leaves it).
  func seedHeldMeeting(_ slug: String, body: String, on day: String, group: UUID? = nil)
    async throws
  {
    try await inTenant(slug) { connection in
      try await connection.query(
        """
        insert into charter.meetings (tenant_id, body, group_id, title, mode, held_on, status, state)
        values (charter.current_tenant(), $1, $2, $3, 'in_person', $4::date, 'held', '{}')
        """, [body, group, "\(body) \(day)", day])
    }
  }

  /// `select …` of one text column, every row, in tenant `slug`.
  func texts(_ slug: String, _ sql: String, _ parameters: [any PostgresEncodable] = [])
    async throws -> [String]
  {
    try await inTenant(slug) { connection in
      try await connection.query(sql, parameters).rows.map { try $0.decode(0, as: String.self) }
    }
  }
}
