import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// GROUP LIST, GROUP SHOW, GROUP APPLICATIONS: what the secretariat looks at. Listings page
/// by keyset (`limit=`, `after=`).
extension WorkflowService {
  func groupList(_ context: CommandContext) async throws -> CommandOutcome {
    let page = try ListingPage(context)
    let status = context.invocation.arguments.string("status")
    return try await read(context) { scope in
      let result = try await scope.connection.query(
        """
        select id, name, status, established_on::text, coalesce(dissolved_on::text, ''), state
        from charter.working_groups
        where ($1::text is null or status = $1)
          and ($2::text is null or (name, id) > ($2, $3::uuid))
        order by name, id limit $4
        """,
        [status, page.after?.first, page.after?.last.flatMap(UUID.init(uuidString:)), page.limit])
      var rows: [[String]] = []
      var lastKey: [String]?
      for row in result.rows {
        let id = try row.decode(0, as: UUID.self)
        let name = try row.decode(1, as: String.self)
        let group = try EngineState.decode(
          WorkingGroup.self, from: try row.decode(5, as: PostgresJSON.self),
          row: "working group \(id)")
        rows.append([
          id.uuidString.lowercased(), name, try row.decode(2, as: String.self),
          String(group.members.count),
          group.leader?.person.rawValue ?? "", try row.decode(3, as: String.self),
          try row.decode(4, as: String.self),
        ])
        lastKey = [name, id.uuidString.lowercased()]
      }
      return CommandOutcome(
        reply: .table(
          columns: ["id", "name", "status", "members", "leader", "established", "dissolved"],
          rows: rows,
          status: .ok(page.status(count: rows.count, noun: "working group", lastKey: lastKey))))
    }
  }

  /// The group's members with their posts and absence streaks (art. 7.6); the status line
  /// says how the group stands.
  func groupShow(_ context: CommandContext) async throws -> CommandOutcome {
    guard let id = context.invocation.arguments.groupUUID("group") else {
      throw CommandFailure.failure(.badArguments, "<group> is required")
    }
    return try await read(context) { scope in
      guard
        let stored = try await WorkingGroupStore.loadGroup(
          id, locked: false, on: scope.connection)
      else {
        throw scope.failure(.notFound, "no working group \(id.uuidString.lowercased())")
      }
      let group = stored.group
      let ids = group.members.keys.compactMap(WorkingGroupStore.uuid)
      let names = try await scope.connection.query(
        "select id, name from charter.members where id = any($1::uuid[])", [ids]
      ).rows.reduce(into: [UUID: String]()) { names, row in
        names[try row.decode(0, as: UUID.self)] = try row.decode(1, as: String.self)
      }
      var rows: [[String]] = []
      for (member, membership) in group.members.sorted(by: {
        ($0.value.joinedOn, $0.key.rawValue) < ($1.value.joinedOn, $1.key.rawValue)
      }) {
        var role = "member"
        var person = ""
        if let leader = group.leader, leader.unit == member {
          role = "leader"
          person = leader.person.rawValue
        } else if let post = group.coLeaders.first(where: { $0.unit == member }) {
          role = "co_leader"
          person = post.person.rawValue
        }
        if member == group.leadUnit { role += ",lead_unit" }
        rows.append([
          member.rawValue, WorkingGroupStore.uuid(member).flatMap { names[$0] } ?? "", role, person,
          membership.joinedOn.description, String(membership.absenceStreak),
        ])
      }
      var status = "\(group.name): "
      switch group.status {
      case .active: status += "active since \(stored.establishedOn)"
      case .dissolved(let day): status += "dissolved on \(day)"
      }
      status += ", \(group.members.count) members"
      if let rename = group.pendingRename { status += "; rename to \(rename) pending" }
      let open = try await scope.connection.query(
        """
        select id, stage from charter.dissolution_cases
        where group_id = $1 and stage <> 'decided' order by created_at desc limit 1
        """, [id]
      ).rows.first
      if let open {
        status +=
          "; dissolution case \(try open.decode(0, as: UUID.self).uuidString.lowercased()) \(try open.decode(1, as: String.self))"
      }
      return CommandOutcome(
        reply: .table(
          columns: ["member", "name", "role", "person", "joined", "absences"], rows: rows,
          status: .ok(status)))
    }
  }

  func groupApplications(_ context: CommandContext) async throws -> CommandOutcome {
    let page = try ListingPage(context)
    let stage = context.invocation.arguments.string("stage")
    return try await read(context) { scope in
      let result = try await scope.connection.query(
        """
        select a.id, a.proposed_name, coalesce(m.name, a.lead_member_id::text), a.stage,
               a.received_on::text, a.state, coalesce(a.group_id::text, '')
        from charter.group_applications a
        left join charter.members m on m.tenant_id = a.tenant_id and m.id = a.lead_member_id
        where ($1::text is null or a.stage = $1)
          and ($2::text is null or (a.received_on, a.id) > ($2::text::date, $3::uuid))
        order by a.received_on, a.id limit $4
        """,
        [stage, page.after?.first, page.after?.last.flatMap(UUID.init(uuidString:)), page.limit])
      var rows: [[String]] = []
      var lastKey: [String]?
      for row in result.rows {
        let id = try row.decode(0, as: UUID.self)
        let received = try row.decode(4, as: String.self)
        let application = try EngineState.decode(
          GroupApplication.self, from: try row.decode(5, as: PostgresJSON.self),
          row: "working-group application \(id)")
        var due = ""
        if case .underReview(let reviewDue) = application.stage { due = reviewDue.description }
        if case .rejected(_, _, let noticeDue) = application.stage { due = noticeDue.description }
        rows.append([
          id.uuidString.lowercased(), try row.decode(1, as: String.self),
          try row.decode(2, as: String.self),
          String(application.sponsors.count), try row.decode(3, as: String.self), received, due,
          try row.decode(6, as: String.self),
        ])
        lastKey = [received, id.uuidString.lowercased()]
      }
      return CommandOutcome(
        reply: .table(
          columns: ["id", "name", "lead", "sponsors", "stage", "received", "due", "group"],
          rows: rows,
          status: .ok(page.status(count: rows.count, noun: "application", lastKey: lastKey))))
    }
  }
}
