/// The commands of the admin protocol (issue 3). Later issues append their commands here;
/// `docs/protocol.md` must gain a section for each (a test checks both ways).
extension CommandTable {
  public static let admin = CommandTable(
    AdminCommands.session + AdminCommands.tenant + AdminCommands.admin + AdminCommands.audit
      + AdminCommands.jobs + AdminCommands.notices + AdminCommands.delivery
      + AdminCommands.operations + AdminCommands.workflows)
}

enum AdminCommands {
  static let roleNames = ["operator"] + TenantRole.allCases.map(\.rawValue)

  static let session: [CommandSpec] = [
    CommandSpec(
      ["PING"], summary: "check that the server answers", access: .preLogin, answeredBySession: true
    ),
    CommandSpec(
      ["HELP"],
      [
        .positional(
          "command", .string, optional: true, "a command or the first word of a group, e.g. TENANT")
      ],
      summary: "list the commands you may run, or describe one", access: .preLogin,
      answeredBySession: true),
    CommandSpec(
      ["LOGIN"],
      [
        .positional("name", .string, "the administrator's login name"),
        .positional(
          "password", .string, optional: true, secret: true,
          "the password; omitted for a login by the client certificate mapped to the name"),
      ],
      summary: "log in", access: .preLogin, changesState: true),
    CommandSpec(
      ["QUIT"], summary: "end the session; the server closes the connection", access: .preLogin,
      answeredBySession: true),
    CommandSpec(
      ["LOGOUT"], summary: "log out and stay connected", access: .anyLoggedIn, changesState: true),
    CommandSpec(
      ["WHOAMI"], summary: "show who you are logged in as, and your scope", access: .anyLoggedIn),
    CommandSpec(
      ["MODE"], [.positional("mode", .oneOf(ReplyMode.allCases.map(\.rawValue)), "reply format")],
      summary: "switch replies to TEXT (default) or JSON lines", access: .anyLoggedIn,
      answeredBySession: true),
  ]

  static let tenant: [CommandSpec] = [
    CommandSpec(
      ["TENANT", "CREATE"],
      [
        .positional("slug", .slug, "short identifier, e.g. aitisa"),
        .positional("name", .string, "the organisation's full name"),
        .option("timezone", .string, "IANA time zone; default Asia/Shanghai"),
        .option(
          "parent", .slug,
          "the parent association of a branch (分会): its units must be members there"),
      ],
      summary: "create a tenant", access: .operatorOnly, changesState: true),
    CommandSpec(["TENANT", "LIST"], summary: "list the tenants", access: .operatorOnly),
    CommandSpec(
      ["TENANT", "SHOW"], [.positional("slug", .slug, "the tenant")], summary: "show one tenant",
      access: .operatorOnly),
    CommandSpec(
      ["TENANT", "USE"], [.positional("slug", .slug, "the tenant")],
      summary: "act on a tenant: later tenant commands of this session apply to it",
      access: .operatorOnly),
  ]

  static let admin: [CommandSpec] = [
    CommandSpec(
      ["ADMIN", "CREATE"],
      [
        .positional("name", .string, "login name"),
        .positional(
          "role", .oneOf(roleNames),
          "operator (operators only), secretariat, chairs_office or viewer"),
        .option("display", .string, "display name, e.g. 张三"),
        .option(
          "certificate", .string,
          "subject of a client certificate that logs this administrator in without a password"),
      ],
      summary:
        "create an administrator of the current tenant (or an operator); prints a one-time password",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["ADMIN", "LIST"], summary: "list the administrators of the current tenant",
      access: .tenant(minimum: .secretariat)),
    CommandSpec(
      ["ADMIN", "SHOW"], [.positional("name", .string, "login name")],
      summary: "show one administrator",
      access: .tenant(minimum: .secretariat)),
    CommandSpec(
      ["ADMIN", "PASSWD"],
      [
        .positional("name", .string, "login name: your own, or (secretariat, operators) another's"),
        .positional("password", .string, secret: true, "the new password"),
      ],
      summary: "set a password", access: .anyLoggedIn, changesState: true),
    CommandSpec(
      ["ADMIN", "DISABLE"], [.positional("name", .string, "login name")],
      summary: "disable an administrator: no new login, open sessions end",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["ADMIN", "ENABLE"], [.positional("name", .string, "login name")],
      summary: "enable a disabled administrator", access: .tenant(minimum: .secretariat),
      changesState: true),
  ]

  static let audit: [CommandSpec] = [
    CommandSpec(
      ["AUDIT", "TAIL"], [.option("limit", .integer(1...1_000), "how many records; default 20")],
      summary:
        "the latest audit records of the current tenant (operators without TENANT USE: the installation's)",
      access: .tenant(minimum: .secretariat)),
    CommandSpec(
      ["AUDIT", "SEARCH"],
      [
        .option("admin", .string, "only this administrator"),
        .option("command", .string, "only this command, e.g. \"ADMIN CREATE\""),
        .option("outcome", .oneOf(["ok", "error"]), "only successes or failures"),
        .option("from", .date, "from this day (inclusive, Asia/Shanghai)"),
        .option("to", .date, "to this day (inclusive)"),
        .option("limit", .integer(1...1_000), "how many records; default 100"),
      ],
      summary: "search the audit records, newest first", access: .tenant(minimum: .secretariat)),
  ]

  static let jobStates = ["pending", "running", "done", "failed", "dead", "cancelled"]
  static let noticeStates = ["pending", "sending", "sent", "failed", "dead", "cancelled"]

  /// Issue 6: the deadline jobs of the current tenant and their statistics.
  static let jobs: [CommandSpec] = [
    CommandSpec(
      ["JOBS", "LIST"],
      [
        .option("kind", .string, "only jobs of this kind, e.g. review_notice_reminder"),
        .option("state", .oneOf(jobStates), "only jobs in this state"),
        .option("due_from", .date, "due on or after this day (Asia/Shanghai)"),
        .option("due_before", .date, "due before this day (Asia/Shanghai)"),
        .option("limit", .integer(1...1_000), "how many jobs; default 50"),
        .option("after", .string, "the cursor a previous page ended with"),
      ],
      summary: "list the deadline jobs of the current tenant, in due order",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["JOBS", "SHOW"], [.positional("id", .uuid, "the job")],
      summary: "show one deadline job with its payload and lease", access: .tenant(minimum: .viewer)
    ),
    CommandSpec(
      ["JOBS", "RETRY"], [.positional("id", .uuid, "a dead or failed job")],
      summary: "run a dead or failed job again now, its attempts counted from zero",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["JOBS", "CANCEL"], [.positional("id", .uuid, "a pending job")],
      summary: "cancel a pending job: it will not run", access: .tenant(minimum: .secretariat),
      changesState: true),
    CommandSpec(
      ["STATS"],
      summary:
        "queue depth by state, oldest due job, lateness and failures of the current tenant (operators without TENANT USE: the installation's)",
      access: .tenant(minimum: .viewer)),
  ]

  /// Issue 6: the notice outbox of the current tenant.
  static let notices: [CommandSpec] = [
    CommandSpec(
      ["NOTICES", "LIST"],
      [
        .option("state", .oneOf(noticeStates), "only notices in this state"),
        .option("limit", .integer(1...1_000), "how many notices; default 100"),
      ],
      summary: "list the notice deliveries of the current tenant, newest first",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["NOTICES", "RETRY"], [.positional("id", .uuid, "a dead delivery")],
      summary: "send a delivery given up on again now", access: .tenant(minimum: .secretariat),
      changesState: true),
  ]
}
