/// The Members commands of the governance workflows (issue 5): applications, admission and the
/// events of a member's life (RULES.md §1–§3).
extension AdminCommands {
  static let members: [CommandSpec] = [
    CommandSpec(
      ["MEMBER", "APPLY"],
      [
        .positional("kind", .oneOf(["unit", "individual"]), "a unit (单位) or an individual"),
        .positional("name", .string, "the unit's registered name or the person's name"),
        .option("credit", .string, "统一社会信用代码 of a unit (finds a unit that left before)"),
        .option("tier", .string, "the tier applied for; default the charter's first tier"),
        .option("contact", .string, "the contact person (联络人)"),
        .option("email", .string, "the contact person's e-mail: where notices go"),
        .option("phone", .string, "the contact person's telephone"),
        .option("representative", .string, "the unit's representative"),
        .option("title", .string, "the representative's title (职务)"),
        .option("rank", .string, "the representative's rank (级别)"),
        .option("born", .date, "the representative's date of birth"),
      ],
      summary:
        "receive a membership application: kind, rejoin ban, parent membership checked on receipt",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEMBER", "REVIEW"],
      [
        .positional("application", .uuid, "the application"),
        .positional(
          "outcome", .oneOf(["passed", "failed"]), "the secretariat's preliminary review"),
        .option("reasons", .string, "required when it failed"),
      ],
      summary: "record the secretariat's preliminary review (初审) of an application",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEMBER", "DECIDE"],
      [
        .positional("application", .uuid, "the application"),
        .positional("body", .string, "the body that decided, as the charter names it"),
        .positional("outcome", .oneOf(["approved", "refused"]), "the body's decision"),
        .option("reasons", .string, "required when refused"),
      ],
      summary: "record the decision of the body the charter names on an application",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["MEMBER", "FILE"],
      [
        .positional("application", .uuid, "the application"),
        .option("body", .string, "the body it is filed with; default the charter's"),
      ],
      summary: "record the filing (备案) of an admission with the body the charter names",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEMBER", "APPLICATIONS"],
      [
        .option("stage", .oneOf(["awaiting", "admitted", "refused"]), "only this stage"),
        .pageLimit, .pageAfter,
      ],
      summary: "list membership applications, newest first",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["MEMBER", "TIER"],
      [
        .positional("member", .uuid, "the member"),
        .positional("tier", .string, "the new tier, as the charter names it"),
      ],
      summary: "change a member's tier (a term job where the tier has a term)",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["MEMBER", "EXIT"], [.positional("member", .uuid, "the member")],
      summary: "record a member's written exit notice; effective as the charter says",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEMBER", "REVOKE"], [.positional("member", .uuid, "the member")],
      summary: "record that the member's business licence was revoked: membership ends at once",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEMBER", "SANCTION"],
      [
        .positional("member", .uuid, "the member"),
        .positional(
          "measure", .oneOf(["warning", "public_criticism", "suspension", "expulsion"]),
          "the measure"),
        .positional("body", .string, "the body that decided, as the charter names it"),
        .positional("reasons", .string, "the reasons (required)"),
        .option(
          "vote", .oneOf(["passed", "failed", "no_quorum"]),
          "the outcome of the body's vote where the charter decides by vote"),
      ],
      summary: "impose a disciplinary measure decided by a body the charter lists",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["MEMBER", "REINSTATE"],
      [
        .positional("member", .uuid, "the member"),
        .positional("body", .string, "the body that decided"),
      ],
      summary: "lift a member's suspension",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["MEMBER", "ACTIVITY"], [.positional("member", .uuid, "the member")],
      summary: "record that the member took part or fulfilled a duty today (inactivity clock)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEMBER", "SEAT"],
      [
        .positional("member", .uuid, "the member"),
        .positional("body", .string, "the body, as the charter names it"),
      ],
      summary: "grant a member a seat in a body",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEMBER", "SHOW"], [.positional("member", .uuid, "the member")],
      summary: "show a member: identity, contact, representative, standing, tier, seats",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["MEMBER", "HISTORY"],
      [.positional("member", .uuid, "the member"), .pageLimit, .pageAfter],
      summary: "the register entries of one member with their decisions, oldest first",
      access: .tenant(minimum: .viewer)),
  ]
}
