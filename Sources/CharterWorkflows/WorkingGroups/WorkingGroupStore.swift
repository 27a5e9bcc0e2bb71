public import CharterCalendar
public import CharterGovernance
public import CharterPostgres
public import Foundation

/// A working group as stored: the engine's `WorkingGroup` (the `state` column) and its row's
/// revision. charter.working_group_members is its projection (members and posts), rewritten on
/// every save so that notices to a group's members and leader reach exactly the state's.
public struct StoredWorkingGroup: Sendable {
  public let id: UUID
  public var group: WorkingGroup
  public let establishedOn: CivilDate
  public var revision: Int
}

/// A working-group application as stored (charter.group_applications).
public struct StoredGroupApplication: Sendable {
  public let id: UUID
  public var application: GroupApplication
  public var groupID: UUID?
}

/// A dissolution case as stored (charter.dissolution_cases).
public struct StoredDissolutionCase: Sendable {
  public let id: UUID
  public let groupID: UUID
  public var dissolution: DissolutionCase
}

public enum WorkingGroupStore {
  // MARK: Identifiers: the engine's ids are the rows' UUIDs, lower-case.

  static func engineID(_ id: UUID) -> String { id.uuidString.lowercased() }
  static func memberID(_ id: UUID) -> MemberID { MemberID(engineID(id)) }
  static func uuid(_ id: MemberID) -> UUID? { UUID(uuidString: id.rawValue) }

  // MARK: Groups

  /// Loads a group of the transaction's tenant, locked until the transaction ends unless
  /// `locked` is false (a listing that only reads it).
  public static func loadGroup(
    _ id: UUID, locked: Bool = true, on connection: PostgresConnection
  ) async throws -> StoredWorkingGroup? {
    let result = try await connection.query(
      """
      select state, established_on::text, revision from charter.working_groups
      where id = $1 \(locked ? "for update" : "")
      """, [id])
    guard let row = result.rows.first else { return nil }
    let group = try EngineState.decode(
      WorkingGroup.self, from: try row.decode(0, as: PostgresJSON.self),
      row: "working group \(id)")
    guard let established = CivilDate(iso: try row.decode(1, as: String.self)) else {
      throw WorkflowError.corrupt("working group \(id): established_on")
    }
    return StoredWorkingGroup(
      id: id, group: group, establishedOn: established, revision: try row.decode(2, as: Int.self))
  }

  /// Writes a newly established group and its members.
  static func insertGroup(
    _ group: WorkingGroup, id: UUID, establishedOn day: CivilDate,
    on connection: PostgresConnection
  ) async throws {
    try await connection.query(
      """
      insert into charter.working_groups (tenant_id, id, name, status, established_on, state)
      values (charter.current_tenant(), $1, $2, 'active', $3::date, $4)
      """, [id, group.name, day.description, try EngineState.encode(group)])
    try await syncMembers(of: group, id: id, on: connection)
  }

  /// Writes the group's state and projections (name, status, members and posts), bumping the
  /// revision. Call it in the transaction that loaded the group.
  static func saveGroup(_ stored: StoredWorkingGroup, on connection: PostgresConnection)
    async throws
  {
    var dissolvedOn: String?
    if case .dissolved(let day) = stored.group.status { dissolvedOn = day.description }
    try await connection.query(
      """
      update charter.working_groups
      set state = $2, name = $3, status = $4, dissolved_on = $5::date,
          revision = revision + 1, updated_at = now()
      where id = $1
      """,
      [
        stored.id, try EngineState.encode(stored.group), stored.group.name,
        dissolvedOn == nil ? "active" : "dissolved", dissolvedOn,
      ])
    try await syncMembers(of: stored.group, id: stored.id, on: connection)
  }

  /// Makes charter.working_group_members say what the state says: one row per member with its
  /// role (leader, co_leader, member) and the day it joined.
  private static func syncMembers(
    of group: WorkingGroup, id: UUID, on connection: PostgresConnection
  ) async throws {
    var ids: [UUID] = []
    var roles: [String] = []
    var joined: [String] = []
    for (member, membership) in group.members.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      guard let memberUUID = uuid(member) else {
        throw WorkflowError.corrupt("working group \(id): member id \(member)")
      }
      ids.append(memberUUID)
      if group.leader?.unit == member {
        roles.append("leader")
      } else if group.coLeaders.contains(where: { $0.unit == member }) {
        roles.append("co_leader")
      } else {
        roles.append("member")
      }
      joined.append(membership.joinedOn.description)
    }
    try await connection.query(
      """
      delete from charter.working_group_members
      where group_id = $1 and not (member_id = any($2::uuid[]))
      """, [id, ids])
    try await connection.query(
      """
      insert into charter.working_group_members (tenant_id, group_id, member_id, role, joined_on)
      select charter.current_tenant(), $1, m.member_id, m.role, m.joined_on::date
      from unnest($2::uuid[], $3::text[], $4::text[]) as m(member_id, role, joined_on)
      on conflict (tenant_id, group_id, member_id)
          do update set role = excluded.role, joined_on = excluded.joined_on
      """, [id, ids, roles, joined])
  }

  /// Whether an active group other than `except` is called `name` (names are unique among
  /// active groups).
  static func activeNameTaken(_ name: String, except: UUID?, on connection: PostgresConnection)
    async throws -> Bool
  {
    try await connection.query(
      """
      select exists (select 1 from charter.working_groups
                     where status = 'active' and name = $1 and id is distinct from $2)
      """, [name, except]
    ).scalar(as: Bool.self)
  }

  /// Art. 7.4: who leads which other active group.
  static func leadersOfOtherGroups(except id: UUID, on connection: PostgresConnection)
    async throws -> [PersonID: WorkingGroupID]
  {
    let result = try await connection.query(
      "select id, state from charter.working_groups where status = 'active' and id <> $1", [id])
    var leaders: [PersonID: WorkingGroupID] = [:]
    for row in result.rows {
      let other = try row.decode(0, as: UUID.self)
      let group = try EngineState.decode(
        WorkingGroup.self, from: try row.decode(1, as: PostgresJSON.self),
        row: "working group \(other)")
      if let leader = group.leader { leaders[leader.person] = group.id }
    }
    return leaders
  }

  // MARK: Members' standing

  /// The standing of each of `ids` in the alliance: a member's engine record says; a row
  /// without one (an applicant, a refused applicant) or no row at all is not a member.
  static func standing(of ids: [UUID], on connection: PostgresConnection) async throws
    -> [MemberID: MemberStanding]
  {
    var standing: [MemberID: MemberStanding] = [:]
    for id in ids { standing[memberID(id)] = .notAMember }
    let result = try await connection.query(
      "select id, state from charter.members where id = any($1::uuid[])", [ids])
    for row in result.rows {
      let id = try row.decode(0, as: UUID.self)
      guard let state = try row.decode(1, as: PostgresJSON?.self) else { continue }
      let record = try EngineState.decode(MemberRecord.self, from: state, row: "member \(id)")
      standing[memberID(id)] = record.standing
    }
    return standing
  }

  // MARK: Applications

  static func loadApplication(_ id: UUID, on connection: PostgresConnection) async throws
    -> StoredGroupApplication?
  {
    let result = try await connection.query(
      "select state, group_id from charter.group_applications where id = $1 for update", [id])
    guard let row = result.rows.first else { return nil }
    return StoredGroupApplication(
      id: id,
      application: try EngineState.decode(
        GroupApplication.self, from: try row.decode(0, as: PostgresJSON.self),
        row: "working-group application \(id)"),
      groupID: try row.decode(1, as: UUID?.self))
  }

  static func insertApplication(
    _ application: GroupApplication, id: UUID, on connection: PostgresConnection
  ) async throws {
    guard let lead = uuid(application.leadUnit) else {
      throw WorkflowError.corrupt("application \(id): lead unit \(application.leadUnit)")
    }
    try await connection.query(
      """
      insert into charter.group_applications
          (tenant_id, id, proposed_name, lead_member_id, stage, received_on, state)
      values (charter.current_tenant(), $1, $2, $3, $4, $5::date, $6)
      """,
      [
        id, application.proposedName, lead, stageName(application.stage),
        application.receivedOn.description, try EngineState.encode(application),
      ])
  }

  static func saveApplication(
    _ stored: StoredGroupApplication, on connection: PostgresConnection
  ) async throws {
    try await connection.query(
      """
      update charter.group_applications
      set state = $2, stage = $3, group_id = $4, revision = revision + 1, updated_at = now()
      where id = $1
      """,
      [
        stored.id, try EngineState.encode(stored.application),
        stageName(stored.application.stage), stored.groupID,
      ])
  }

  /// The `stage` column: the engine's stage name (GROUP APPLICATIONS stage=).
  static func stageName(_ stage: GroupApplication.Stage) -> String {
    switch stage {
    case .underReview: "underReview"
    case .forwarded: "forwarded"
    case .notForwarded: "notForwarded"
    case .approved: "approved"
    case .rejected: "rejected"
    case .rejectionNotified: "rejectionNotified"
    }
  }

  // MARK: Dissolution cases

  /// The group's dissolution case still undecided, locked.
  static func openCase(ofGroup group: UUID, on connection: PostgresConnection) async throws
    -> StoredDissolutionCase?
  {
    let result = try await connection.query(
      """
      select id from charter.dissolution_cases
      where group_id = $1 and stage <> 'decided' order by created_at desc limit 1
      """, [group])
    guard let id = try result.rows.first?.decode(0, as: UUID.self) else { return nil }
    return try await loadCase(id, on: connection)
  }

  static func loadCase(_ id: UUID, on connection: PostgresConnection) async throws
    -> StoredDissolutionCase?
  {
    let result = try await connection.query(
      "select group_id, state from charter.dissolution_cases where id = $1 for update", [id])
    guard let row = result.rows.first else { return nil }
    return StoredDissolutionCase(
      id: id, groupID: try row.decode(0, as: UUID.self),
      dissolution: try EngineState.decode(
        DissolutionCase.self, from: try row.decode(1, as: PostgresJSON.self),
        row: "dissolution case \(id)"))
  }

  static func insertCase(_ stored: StoredDissolutionCase, on connection: PostgresConnection)
    async throws
  {
    try await connection.query(
      """
      insert into charter.dissolution_cases (tenant_id, id, group_id, stage, state)
      values (charter.current_tenant(), $1, $2, $3, $4)
      """,
      [
        stored.id, stored.groupID, caseStageName(stored.dissolution.stage),
        try EngineState.encode(stored.dissolution),
      ])
  }

  static func saveCase(_ stored: StoredDissolutionCase, on connection: PostgresConnection)
    async throws
  {
    try await connection.query(
      """
      update charter.dissolution_cases
      set state = $2, stage = $3, revision = revision + 1, updated_at = now()
      where id = $1
      """,
      [
        stored.id, try EngineState.encode(stored.dissolution),
        caseStageName(stored.dissolution.stage),
      ])
  }

  static func caseStageName(_ stage: DissolutionCase.Stage) -> String {
    switch stage {
    case .requestedByMembers: "requestedByMembers"
    case .moved: "moved"
    case .noticeGiven: "noticeGiven"
    case .decided: "decided"
    }
  }
}
