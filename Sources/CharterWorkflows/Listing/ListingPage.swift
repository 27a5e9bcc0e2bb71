public import CharterAccounts
public import CharterAdminServer
public import CharterCalendar
public import CharterProtocol
import Foundation

/// Paging of listings (issue 5: 100,000 members never come back in one reply): `limit=` (1 to
/// 1,000, default 100) and `after=`, an opaque cursor holding the sort key of the last row of
/// the previous page (keyset paging: each page is an index range scan, whatever its depth).
public struct ListingPage: Sendable {
  public let limit: Int
  /// The sort key the previous page ended with, or nil for the first page.
  public let after: [String]?

  public static let defaultLimit = 100

  /// Reads `limit` and `after` of a command.
  public init(_ context: CommandContext) throws {
    let arguments = context.invocation.arguments
    limit = arguments.integer("limit") ?? Self.defaultLimit
    if let token = arguments.string("after") {
      guard let key = Self.decode(token) else {
        throw CommandFailure.failure(
          .badArguments,
          "after=\(String(token.prefix(40))) is not a cursor of this listing; use the one its last page printed"
        )
      }
      after = key
    } else {
      after = nil
    }
  }

  /// The status text of a page: `N <noun>s`, and `; more: after=<cursor>` when the page is full
  /// (`lastKey` is the sort key of its last row).
  public func status(count: Int, noun: String, plural: String? = nil, lastKey: [String]?)
    -> String
  {
    var text = "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
    if count == limit, let lastKey { text += "; more: after=\(Self.encode(lastKey))" }
    return text
  }

  static func encode(_ key: [String]) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: key)) ?? Data("[]".utf8)
    return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  static func decode(_ token: String) -> [String]? {
    var base64 = token.replacingOccurrences(of: "-", with: "+")
      .replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    guard let data = Data(base64Encoded: base64),
      let key = try? JSONSerialization.jsonObject(with: data) as? [String]
    else { return nil }
    return key
  }
}

extension CommandArguments {
  /// A `.date` argument as a civil date.
  public func civilDate(_ name: String) -> CivilDate? {
    date(name).flatMap { CivilDate(year: $0.year, month: $0.month, day: $0.day) }
  }
}
