import CharterGovernance
import CharterPostgres
import Foundation

/// The engine names member units by their ids in the texts of some notices ("<id> left the
/// group automatically"); the people who read them know the units by name. The summaries are
/// rewritten with the names before the notices are rendered; the parameters keep the ids.
enum MemberNames {
  /// The names of `ids` in the transaction's tenant, by engine id.
  static func names(of ids: [UUID], on connection: PostgresConnection) async throws
    -> [String: String]
  {
    guard !ids.isEmpty else { return [:] }
    return try await connection.query(
      "select id, name from charter.members where id = any($1::uuid[])", [ids]
    ).rows.reduce(into: [String: String]()) { names, row in
      names[try row.decode(0, as: UUID.self).uuidString.lowercased()] = try row.decode(
        1, as: String.self)
    }
  }

  /// `transition` with each member id in its notices' summaries replaced by the member's name.
  static func naming<State>(_ transition: Transition<State>, _ names: [String: String])
    -> Transition<State>
  {
    guard !names.isEmpty else { return transition }
    func named(_ text: String) -> String {
      names.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
    }
    var result = transition
    result.notices = transition.notices.map { notice in
      Notice(
        notice.kind, to: notice.recipients, template: notice.templateKey,
        parameters: notice.parameters, zh: named(notice.summaryZh), en: named(notice.summaryEn),
        article: notice.article)
    }
    return result
  }
}
