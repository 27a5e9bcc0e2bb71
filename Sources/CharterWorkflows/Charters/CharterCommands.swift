import CharterAccounts
import CharterAdminServer
import CharterCalendar
import CharterGovernance
import CharterPostgres
import CharterProtocol
import Foundation

/// CHARTER LOAD / SHOW / HISTORY: the tenant's charter and its amendments (issue 7, "upgrade
/// path of a tenant's charter"). Versions are append-only rows of charter.charter_versions; the
/// engine applies the version in force on the day of each event, and every decision records it.
extension WorkflowService {
  var charterCommands: [(String, Handler)] {
    [
      ("CHARTER LOAD", { try await self.charterLoad($0) }),
      ("CHARTER SHOW", { try await self.charterShow($0) }),
      ("CHARTER HISTORY", { try await self.charterHistory($0) }),
    ]
  }

  func charterLoad(_ context: CommandContext) async throws -> CommandOutcome {
    let arguments = context.invocation.arguments
    let id = arguments.string("profile") ?? ""
    let file = chartersDirectory.appendingPathComponent("\(id).toml")
    guard let text = try? String(contentsOf: file, encoding: .utf8) else {
      throw CommandFailure.failure(
        .notFound, "no charter profile \(id) in the installation's charters folder")
    }
    let profile: CharterProfile
    do {
      profile = try CharterProfile.load(text: text, file: "charters/\(id).toml")
    } catch {
      throw CommandFailure.failure(.conflict, "charters/\(id).toml does not load: \(error)")
    }
    let effective = arguments.civilDate("effective") ?? profile.effectiveDate
    let note = arguments.string("note")
    return try await change(context) { scope in
      let latest = try await scope.connection.query(
        """
        select version, effective_on::text from charter.charter_versions
        where tenant_id = charter.current_tenant() order by version desc limit 1
        """, [])
      if let row = latest.rows.first {
        let version = try row.decode(0, as: Int.self)
        let since = try row.decode(1, as: String.self)
        guard profile.version > version else {
          throw scope.failure(
            .conflict,
            "version \(version) is loaded; an amendment needs a higher `version` in charters/\(id).toml (it has \(profile.version))"
          )
        }
        guard effective.description > since else {
          throw scope.failure(
            .conflict,
            "version \(version) applies from \(since); an amendment applies from a later day, not \(effective)"
          )
        }
      }
      try await scope.connection.query(
        """
        insert into charter.charter_versions
            (tenant_id, version, effective_on, profile_text, profile_sha256, note, recorded_by)
        values (charter.current_tenant(), $1, $2::date, $3,
                encode(sha256(convert_to($3, 'UTF8')), 'hex'), $4, $5)
        """, [profile.version, effective.description, text, note, scope.actor])
      try await self.scheduleCharterObligations(scope)
      let inForce = effective <= scope.engine.today ? "in force now" : "in force from \(effective)"
      return CommandOutcome(
        reply: .ok(
          "charter \(profile.id) v\(profile.version) loaded for \(scope.tenant.slug); \(inForce)"))
    }
  }

  func charterShow(_ context: CommandContext) async throws -> CommandOutcome {
    let day = context.invocation.arguments.civilDate("on")
    return try await read(context) { scope in
      let charter: TenantCharter?
      if let day {
        charter = try await TenantCharters.inForce(
          on: day, cache: self.profiles, connection: scope.connection)
      } else {
        charter = scope.charter
      }
      guard let charter else {
        throw scope.failure(.notFound, "no charter in force; CHARTER LOAD <profile> first")
      }
      let profile = charter.profile
      var rows: [[String]] = [
        ["profile", profile.id], ["name", profile.name], ["version", String(charter.version)],
        ["effective", charter.effectiveOn.description], ["source", profile.sourceDocument],
        ["tiers", profile.tiers.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")],
      ]
      for body in profile.bodies {
        var parts = [body.name]
        if let notice = body.notice { parts.append("notice \(notice.value) (\(notice.citation))") }
        if let minimum = body.minimumMeetings {
          parts.append("at least \(minimum.value.count) per \(minimum.value.per.rawValue)")
        }
        if !body.posts.isEmpty {
          parts.append("posts " + body.posts.map(\.id).joined(separator: ", "))
        }
        rows.append(["body \(body.id)", parts.joined(separator: "; ")])
      }
      return CommandOutcome(
        reply: .table(columns: ["field", "value"], rows: rows, status: .ok("")))
    }
  }

  func charterHistory(_ context: CommandContext) async throws -> CommandOutcome {
    try await read(context) { scope in
      let result = try await scope.connection.query(
        """
        select version, effective_on::text, left(profile_sha256, 12), recorded_by,
               to_char(recorded_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
               coalesce(note, '')
        from charter.charter_versions where tenant_id = charter.current_tenant()
        order by version
        """, [])
      let rows = try result.rows.map { row in
        [
          String(try row.decode(0, as: Int.self)), try row.decode(1, as: String.self),
          try row.decode(2, as: String.self), try row.decode(3, as: String.self),
          try row.decode(4, as: String.self), try row.decode(5, as: String.self),
        ]
      }
      return CommandOutcome(
        reply: .table(
          columns: ["version", "effective", "sha256", "recorded_by", "recorded", "note"],
          rows: rows, status: .ok("\(rows.count) version\(rows.count == 1 ? "" : "s")")))
    }
  }
}
