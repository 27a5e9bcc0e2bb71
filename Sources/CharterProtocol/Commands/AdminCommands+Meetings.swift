/// The Meetings commands of the governance workflows (issue 5): meetings of a body with their
/// notice (DTPC art. 20), attendance and its consequences (AII art. 13, DTPC art. 19), motions
/// with the arithmetic of their outcome, minutes (RULES.md §5).
extension AdminCommands {
  static let meetings: [CommandSpec] = [
    CommandSpec(
      ["MEETING", "SCHEDULE"],
      [
        .positional("body", .string, "a body of the charter, e.g. council, joint_meeting"),
        .positional("date", .date, "the day of the meeting"),
        .positional("title", .string, "the meeting's title, e.g. 第三届理事会第二次会议"),
        .option(
          "mode", .oneOf(["in_person", "correspondence", "online"]),
          "how it meets; default in_person"),
        .option("start", .string, "the starting time HH:MM in the tenant's zone; default 09:00"),
        .option("end", .string, "the ending time HH:MM; default three hours after the start"),
        .option("location", .string, "where it meets"),
        .option("agenda", .text, "the agenda sent with the notice (\\n between items)"),
        .option(
          "override", .string,
          "why the meeting goes ahead although its notice period can no longer be met"),
        .option("group", .uuid, "for a working group's all-member meeting: the group"),
      ],
      summary:
        "schedule a meeting of a body; refused when the notice period can no longer be met unless overridden with a reason",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEETING", "NOTICE"],
      [.positional("meeting", .uuid, "the meeting")],
      summary:
        "send the notice with the agenda and an iCalendar invitation to the members of the body",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEETING", "CANCEL"],
      [
        .positional("meeting", .uuid, "the meeting"),
        .positional("reason", .string, "why it is cancelled"),
      ],
      summary: "cancel a meeting not yet held; members already noticed are told",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEETING", "ATTENDANCE"],
      [
        .positional("meeting", .uuid, "the meeting"),
        .positional("member", .uuid, "a member of the body"),
        .positional(
          "status", .oneOf(["present", "proxy", "correspondence", "excused", "absent"]),
          "how it took part"),
        .option("holder", .uuid, "for a proxy: the member holding the written proxy"),
      ],
      summary: "record how a member of the body took part in a meeting (from the meeting day)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEETING", "HOLD"],
      [.positional("meeting", .uuid, "the meeting")],
      summary:
        "mark a meeting held: attendance is final (unrecorded members absent) and its consequences apply",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEETING", "MINUTES"],
      [
        .positional("meeting", .uuid, "a held meeting"),
        .positional("text", .text, "the minutes (\\n between paragraphs)"),
      ],
      summary: "attach the minutes to a held meeting",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["MEETING", "LIST"],
      [
        .option("body", .string, "only this body's meetings"),
        .option(
          "status", .oneOf(["scheduled", "notice_sent", "held", "cancelled"]),
          "only meetings in this status"),
        .pageLimit, .pageAfter,
      ],
      summary: "list meetings, latest first",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["MEETING", "SHOW"],
      [.positional("meeting", .uuid, "the meeting")],
      summary: "show a meeting: notice, attendance, motions with their arithmetic, minutes",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["MOTION", "VOTE"],
      [
        .positional("meeting", .uuid, "the meeting"),
        .positional("title", .string, "the motion, e.g. 关于修改章程的决议"),
        .option("matter", .string, "a matter of the charter with its own rule, e.g. fee_rules"),
        .option(
          "ballot", .oneOf(["named", "show_of_hands", "secret"]),
          "default: the matter's or the body's ballot"),
        .option(
          "yes", .string, "named or show of hands: members, comma-separated; secret: a count"),
        .option("no", .string, "as yes="),
        .option("abstain", .string, "as yes="),
        .option("voters", .string, "secret ballot: the members who voted, comma-separated"),
      ],
      summary: "record a vote and decide the motion from the charter's quorum and threshold",
      access: .tenant(minimum: .secretariat), changesState: true),
  ]
}
