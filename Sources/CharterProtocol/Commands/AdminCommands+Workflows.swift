/// The commands of the governance workflows (issue 5), one group per part of the charters.
/// Each group lives in its own file (`AdminCommands+Members.swift`, …); this one holds the
/// charter commands and what the groups share.
extension AdminCommands {
  static let workflows: [CommandSpec] =
    charter + members + register + workingGroups + meetings + offices + evaluations + fees

  static let charter: [CommandSpec] = [
    CommandSpec(
      ["CHARTER", "LOAD"],
      [
        .positional(
          "profile", .slug, "a profile of the installation's charters folder, e.g. aitisa"),
        .option(
          "effective", .date,
          "the first day it applies; default the profile's own effective date"),
        .option("note", .string, "why, e.g. 2026 amendment adopted by the general assembly"),
      ],
      summary:
        "load the tenant's charter, or an amendment: a new version applying from its effective date",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["CHARTER", "SHOW"],
      [.option("on", .date, "the day to ask about; default today")],
      summary: "show the charter version in force: bodies, tiers, periods",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["CHARTER", "HISTORY"], summary: "list the charter versions with their effective dates",
      access: .tenant(minimum: .viewer)),
  ]
}

/// The page arguments every listing takes.
extension ArgumentSpec {
  public static let pageLimit = ArgumentSpec.option(
    "limit", .integer(1...1_000), "how many rows; default 100")
  public static let pageAfter = ArgumentSpec.option(
    "after", .string, "the cursor the previous page ended with (`more: after=…`)")
}
