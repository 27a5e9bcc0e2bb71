import CharterAccounts
import CharterGovernance
import CharterPostgres
import Foundation

/// Who sits in a body on the day it meets: the base of "of members" in its thresholds, the
/// recipients of its notice, and the members whose absences count.
///
/// * A body of all members (general assembly): every current member.
/// * A body of tiers (AII council, DTPC joint meeting): the current members of those tiers,
///   and any member holding a seat in it.
/// * A body whose absence rule takes the seat away (DTPC art. 19) counts seats only: a member
///   sits there while its register entry holds the seat (granted with its election, or by the
///   register), so a unit that lost its seat is no longer counted although its tier is
///   unchanged.
/// * A body of post holders (AII standing council, DTPC leadership meeting): the members
///   whose representatives serve in those posts.
/// * A working group's all-member meeting (AITISA art. 10): the current members of that group.
/// Bodies of appointed staff have no roster in the register.
struct RosterMember: Sendable, Hashable {
  let id: UUID
  let name: String
  let tier: String?

  var engineID: MemberID { MemberID(id.uuidString.lowercased()) }
}

enum BodyRoster {
  private static let current = "status in ('member', 'exit_pending', 'suspended')"

  static func members(of body: Body, group: UUID? = nil, scope: WorkflowScope) async throws
    -> [RosterMember]
  {
    let profile = try scope.profile()
    let seatsOnly = profile.membership.absenceRules(for: body.id).contains {
      $0.consequence == .lossOfSeat
    }
    let condition: String
    var values: [any PostgresEncodable] = [body.id]
    if seatsOnly {
      condition = "(state->'seats') ? $1"
    } else {
      switch body.composition.value {
      case .allMembers:
        condition = "true"
      case .tiers(let tiers):
        condition = "(tier = any($2) or (state->'seats') ? $1)"
        values.append(tiers.sorted())
      case .postHolders(let posts):
        condition = """
          (id in (select member_id from charter.office_terms
                  where status = 'serving' and member_id is not null and post = any($2))
           or (state->'seats') ? $1)
          """
        values.append(posts.sorted())
      case .workingGroupMembers:
        guard let group else {
          throw scope.failure(
            .conflict, "a meeting of \(body.id) (\(body.name)) is the meeting of one working group")
        }
        condition = """
          id in (select member_id from charter.working_group_members where group_id = $2)
          """
        values.append(group)
      case .appointed:
        throw scope.failure(
          .conflict,
          "\(body.id) (\(body.name)) has no members in the register (its composition is appointed or a working group's); meetings are kept for bodies of members, tiers or posts"
        )
      }
    }
    let result = try await scope.connection.query(
      """
      select id, name, tier from charter.members
      where \(current) and \(condition) and $1::text is not null
      order by name, id
      """, values)
    return try result.rows.map { row in
      RosterMember(
        id: try row.decode(0, as: UUID.self), name: try row.decode(1, as: String.self),
        tier: try row.decode(2, as: String?.self))
    }
  }
}
