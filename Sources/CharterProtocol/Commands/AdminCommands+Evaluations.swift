/// The Evaluations commands of the governance workflows (issue 5): annual evaluations of
/// working groups (AITISA art. 11) and the minimum-meetings check.
extension AdminCommands {
  static let evaluations: [CommandSpec] = [
    CommandSpec(
      ["EVALUATION", "REQUEST"], evaluationKey,
      summary: "ask a working group for its yearly written report (AITISA art. 11)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["EVALUATION", "REPORT"], evaluationKey,
      summary: "record that the group's written report was received",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["EVALUATION", "RATE"],
      evaluationKey + [
        .positional(
          "rating", .oneOf(["excellent", "passing", "failing"]), "the secretariat's rating")
      ],
      summary: "record the secretariat's evaluation of the report",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["EVALUATION", "APPROVE"],
      evaluationKey + [
        .option(
          "decision", .oneOf(["approved", "returned"]),
          "approved (default), or returned to the secretariat for a new rating")
      ],
      summary: "record the chair's office's decision on the rating",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["EVALUATION", "PUBLISH"], evaluationKey,
      summary: "publish the approved result: commendation if excellent, warning if failing",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["EVALUATION", "LIST"],
      [.option("year", .integer(2000...2200), "only this year"), .pageLimit, .pageAfter],
      summary: "list the annual evaluations with their stage and rating",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["MEETINGS", "CHECK"],
      [.option("body", .string, "only this body, e.g. leadership_meeting")],
      summary:
        "count the meetings held this period against each body's minimum; warn the secretariat when short",
      access: .tenant(minimum: .chairsOffice), changesState: true),
  ]

  static let evaluationKey: [ArgumentSpec] = [
    .positional("group", .uuid, "the working group"),
    .positional("year", .integer(2000...2200), "the year evaluated"),
  ]
}
