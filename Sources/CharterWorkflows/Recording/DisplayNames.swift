import CharterPostgres
import Foundation

/// The engine speaks of members, groups and meetings by id (it has no names); people read
/// names. Before a notice is rendered, every id in its texts that names a member, working group
/// or meeting of the tenant is replaced with that name (or title).
enum DisplayNames {
  /// The UUIDs in `texts`, lower-cased, in order of first appearance.
  static func identifiers(in texts: [String]) -> [UUID] {
    var found: [UUID] = []
    for text in texts {
      let characters = Array(text.utf8)
      var index = 0
      while index + 36 <= characters.count {
        let candidate = String(decoding: characters[index..<index + 36], as: UTF8.self)
        if let uuid = UUID(uuidString: candidate), !found.contains(uuid) {
          found.append(uuid)
          index += 36
        } else {
          index += 1
        }
      }
    }
    return found
  }

  /// `texts` with each known id replaced by its name, on the transaction's tenant.
  static func substitute(_ texts: [String], on connection: PostgresConnection) async throws
    -> [String]
  {
    let ids = identifiers(in: texts)
    guard !ids.isEmpty else { return texts }
    let result = try await connection.query(
      """
      select id, name from charter.members where id = any($1)
      union all select id, name from charter.working_groups where id = any($1)
      union all select id, title from charter.meetings where id = any($1)
      """, [ids])
    var names: [String: String] = [:]
    for row in result.rows {
      names[try row.decode(0, as: UUID.self).uuidString.lowercased()] = try row.decode(
        1, as: String.self)
    }
    return texts.map { text in
      var replaced = text
      for (id, name) in names {
        replaced = replaced.replacingOccurrences(of: id, with: name)
        replaced = replaced.replacingOccurrences(of: id.uppercased(), with: name)
      }
      return replaced
    }
  }
}
