import CharterCalendar
import CharterGovernance

/// Office parameters read from the profile in force.
enum OfficeRules {
  /// The lowest representative rank per post. The profile states it in words only
  /// (tjsia-ai §5(一)3, §5(二)2: 代表单位会员加入分会的，应由副总及以上级别参加), so a post whose
  /// requirements say 副总及以上 requires vice-president level [interp].
  static func extensions(_ profile: CharterProfile) -> OfficeExtensions {
    var minimum: [String: Ruled<RepresentativeRank>] = [:]
    for post in profile.bodies.flatMap(\.posts) {
      guard let requirement = post.requirements.first(where: { $0.value.contains("副总及以上") })
      else { continue }
      minimum[post.id] = Ruled(
        .vicePresident,
        Article(
          requirement.citation.article, interpretation: true,
          note: "副总及以上 read as vice-president level or above"))
    }
    return OfficeExtensions(minimumRank: minimum)
  }

  /// `rank=` words of OFFICE ELECT.
  static let rankWords: [String: RepresentativeRank] = [
    "staff": .staff, "manager": .manager, "director": .director,
    "vice-president": .vicePresident, "president": .president,
  ]

  /// [interp] Terms count as back to back (连任) when the earlier one ended at most a year
  /// before the later one began: a re-election some months after the term's end is still a
  /// renewal, a return after someone else's full term is not.
  static let consecutiveGapDays = 366

  /// How many terms of `post` the person held back to back up to `start`, newest first from
  /// `ended` (start, last day) pairs of that person's earlier terms.
  static func consecutiveTerms(
    before start: CivilDate, earlier: [(start: CivilDate, end: CivilDate)]
  ) -> Int {
    var count = 0
    var next = start
    for term in earlier.sorted(by: { $0.start > $1.start }) {
      guard next - term.end <= consecutiveGapDays else { break }
      count += 1
      next = term.start
    }
    return count
  }
}
