/// The WorkingGroups commands of the governance workflows (issue 5): AITISA's working groups
/// (推进组), art. 4–14. Secretariat work (receiving, review notices, recording what a group
/// or its leader did) needs the secretariat; the chair's office's decisions need at least the
/// chair's office.
extension AdminCommands {
  static let workingGroups: [CommandSpec] =
    groupApplications + groupMembership + groupChanges + groupDissolution + groupListings

  private static let groupArgument = ArgumentSpec.positional("group", .uuid, "the working group")
  private static let applicationArgument = ArgumentSpec.positional(
    "application", .uuid, "the working-group application")
  private static let memberArgument = ArgumentSpec.positional(
    "member", .uuid, "the member unit")
  private static let reasonsOption = ArgumentSpec.option(
    "reasons", .string, "the reasons, given to the applicants")

  static let groupApplications: [CommandSpec] = [
    CommandSpec(
      ["GROUP", "APPLY"],
      [
        .positional("name", .string, "the proposed name of the working group"),
        .option("lead", .uuid, "the lead unit (牵头单位); it counts as a sponsor"),
        .option(
          "sponsors", .string,
          "the sponsoring member units, comma-separated ids (at least 5 with the lead)"),
      ],
      summary:
        "receive a joint application to establish a working group; the review notice falls due (AITISA art. 4.1-4.2)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["GROUP", "REVIEW-NOTICE"],
      [
        applicationArgument,
        .positional(
          "outcome", .oneOf(["forwarded", "not-forwarded"]),
          "whether the application goes to the chair's office meeting"),
        reasonsOption,
      ],
      summary:
        "record the secretariat's written review notice to the applicants (AITISA art. 4.2)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["GROUP", "DECIDE"],
      [
        applicationArgument,
        .positional("outcome", .oneOf(["approve", "reject"]), "the chair's office decision"),
        reasonsOption,
      ],
      summary:
        "record the chair's office decision on a forwarded application; approval establishes the group (AITISA art. 4.3)",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["GROUP", "REJECTION-NOTICE"],
      [applicationArgument],
      summary:
        "record that the applicants were told of the rejection with its reasons (AITISA art. 4.3)",
      access: .tenant(minimum: .secretariat), changesState: true),
  ]

  static let groupMembership: [CommandSpec] = [
    CommandSpec(
      ["GROUP", "JOIN"],
      [
        groupArgument, memberArgument,
        .option(
          "leader_approval", .oneOf(["yes", "no"]),
          "whether the group leader approved the application to join; default no"),
      ],
      summary:
        "a member unit joins a working group with its leader's approval (AITISA art. 7.1-7.2)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["GROUP", "LEAVE"],
      [groupArgument, memberArgument],
      summary: "a member unit leaves a working group; the group is told (AITISA art. 7, 9)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["GROUP", "LEADER"],
      [
        groupArgument, memberArgument,
        .positional("person", .string, "the person who takes the post, e.g. 张三"),
      ],
      summary: "appoint the group leader (组长) from a member unit (AITISA art. 7.3-7.5)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["GROUP", "CO-LEADER"],
      [
        groupArgument, memberArgument,
        .positional("person", .string, "the person who takes the post, e.g. 李四"),
      ],
      summary: "appoint a co-leader (联合组长) from a member unit (AITISA art. 7.3, 7.5)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["GROUP", "ACTIVITY"],
      [
        groupArgument,
        .positional("day", .date, "the day of the meeting or activity"),
        .option("title", .string, "what the activity was; default: the working meeting"),
        .option("absent", .string, "member units absent, comma-separated ids"),
        .option("excused", .string, "member units absent with leave, comma-separated ids"),
        .option("proxy", .string, "member units represented by written proxy, comma-separated ids"),
        .option(
          "correspondence", .string,
          "member units that took part by correspondence, comma-separated ids"),
      ],
      summary:
        "record the attendance of a group meeting or activity; every member not listed was present (AITISA art. 7.6)",
      access: .tenant(minimum: .secretariat), changesState: true),
  ]

  static let groupChanges: [CommandSpec] = [
    CommandSpec(
      ["GROUP", "RENAME"],
      [groupArgument, .positional("name", .string, "the new name the group asks for")],
      summary:
        "record the group's all-member meeting's request to rename it, for the chair's office (AITISA art. 5)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["GROUP", "RENAME-DECIDE"],
      [
        groupArgument,
        .positional("outcome", .oneOf(["approve", "reject"]), "the chair's office decision"),
      ],
      summary: "record the chair's office decision on a pending rename (AITISA art. 5)",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["GROUP", "RULES"],
      [
        groupArgument, .positional("title", .string, "the title of the group's activity rules"),
        .positional("outcome", .oneOf(["approve", "reject"]), "the chair's office decision"),
      ],
      summary:
        "record the chair's office decision on a group's own activity rules (AITISA art. 14)",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["GROUP", "BUDGET"],
      [
        groupArgument, .positional("activity", .string, "the activity the budget is for"),
        .positional("amount", .string, "the amount, e.g. 50000 CNY"),
      ],
      summary: "record a budget the group submits ahead of an activity (AITISA art. 12)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["GROUP", "BUDGET-REVIEW"],
      [groupArgument, .positional("activity", .string, "the activity of a submitted budget")],
      summary: "record the secretariat's review of a submitted budget (AITISA art. 12)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["GROUP", "BUDGET-DECIDE"],
      [
        groupArgument, .positional("activity", .string, "the activity of a reviewed budget"),
        .positional("outcome", .oneOf(["approve", "reject"]), "the chair's office decision"),
      ],
      summary:
        "record the chair's office decision on a budget the secretariat reviewed (AITISA art. 12)",
      access: .tenant(minimum: .chairsOffice), changesState: true),
  ]

  static let groupDissolution: [CommandSpec] = [
    CommandSpec(
      ["GROUP", "DISSOLVE"],
      [
        groupArgument,
        .option(
          "requesters", .string,
          "(a) the group members asking to dissolve it, comma-separated ids (at least half)"),
        .option(
          "grounds", .string,
          "(b) the secretary-general's grounds, comma-separated: noEffectiveWork, belowMinimumMembers, seriousBreach"
        ),
      ],
      summary:
        "open a dissolution: the members' request or the secretary-general's motion (AITISA art. 6)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["GROUP", "DISSOLVE-NOTICE"],
      [groupArgument],
      summary:
        "record the written notice of the secretary-general's motion; the objection window opens (AITISA art. 6)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["GROUP", "DISSOLVE-OBJECTION"],
      [groupArgument, .positional("text", .string, "the group's objection")],
      summary: "record the group's objection to the motion, within its window (AITISA art. 6)",
      access: .tenant(minimum: .chairsOffice), changesState: true),
    CommandSpec(
      ["GROUP", "DISSOLVE-DECIDE"],
      [
        groupArgument,
        .positional("outcome", .oneOf(["dissolve", "keep"]), "the chair's office decision"),
      ],
      summary:
        "record the chair's office decision on a dissolution; after a motion only once the objection window closed (AITISA art. 6)",
      access: .tenant(minimum: .chairsOffice), changesState: true),
  ]

  static let groupListings: [CommandSpec] = [
    CommandSpec(
      ["GROUP", "LIST"],
      [
        .option("status", .oneOf(["active", "dissolved"]), "only groups in this status"),
        .pageLimit, .pageAfter,
      ],
      summary: "list the working groups by name", access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["GROUP", "SHOW"],
      [groupArgument],
      summary: "show a working group: its members, posts and absence streaks",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["GROUP", "APPLICATIONS"],
      [
        .option(
          "stage",
          .oneOf([
            "underReview", "forwarded", "notForwarded", "approved", "rejected",
            "rejectionNotified",
          ]), "only applications in this stage"),
        .pageLimit, .pageAfter,
      ],
      summary: "list working-group applications by day received, with their review deadline",
      access: .tenant(minimum: .viewer)),
  ]
}
