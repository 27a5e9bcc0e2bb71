/// The Offices commands of the governance workflows (issue 5).
extension AdminCommands {
  static let offices: [CommandSpec] = [
    CommandSpec(
      ["OFFICE", "ELECT"], officeTakingArguments,
      summary:
        "record an election to a post after the charter's checks (cap, age, consecutive terms, rank, standing)",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["OFFICE", "APPOINT"], officeTakingArguments,
      summary: "record an appointment to a post after the same checks as OFFICE ELECT",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["OFFICE", "END"],
      [
        .positional("term", .uuid, "the term, as OFFICE LIST shows it"),
        .positional("how", .oneOf(["resigned", "removed", "term-ended"]), "why the term ends"),
        .option("reason", .string, "why the holder is removed (required for removed)"),
      ],
      summary: "end a term of office: resignation, removal with its reason, or the term's end",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["OFFICE", "LIST"],
      [.option("post", .string, "only this post"), .pageLimit, .pageAfter],
      summary: "list who holds each post now", access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["OFFICE", "HISTORY"],
      [
        .option("post", .string, "only this post"), .option("person", .string, "only this person"),
        .pageLimit, .pageAfter,
      ],
      summary: "list every term of office, serving and ended, with how it ended",
      access: .tenant(minimum: .viewer)),
  ]

  static let officeTakingArguments: [ArgumentSpec] = [
    .positional("post", .string, "a post of the charter, e.g. chair, deputy_secretary_general"),
    .positional("person", .string, "the person's name"),
    .option("member", .uuid, "the member the person represents or is"),
    .option("birth", .date, "the person's birth date (required where the post has an age limit)"),
    .option(
      "rank", .oneOf(["staff", "manager", "director", "vice-president", "president"]),
      "the representative's level in the unit"),
    .option("start", .date, "the day of the election or appointment; default today"),
    .option(
      "until", .date, "the last day of the parent council's term, where the term follows it"),
  ]
}
