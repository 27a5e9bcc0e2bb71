/// Issue 6 §3: a tenant's delivery settings and notice templates. Secretariat work: the
/// settings hold the tenant's mail password and signing keys, so viewers and the chair's
/// office neither read nor change them.
extension AdminCommands {
  static let deliveryChannels = ["email", "webhook", "dingtalk", "wecom"]
  static let templateLocales = ["zh-CN", "en"]

  static let delivery: [CommandSpec] = [
    CommandSpec(
      ["DELIVERY", "SHOW"],
      summary:
        "show the delivery settings of the current tenant; secrets only as set or unset",
      access: .tenant(minimum: .secretariat)),
    CommandSpec(
      ["DELIVERY", "SET"],
      [
        .option("smtp", .string, "smtp://host:port (STARTTLS, see security) or smtps://host:port"),
        .option("smtp-user", .string, "the SMTP login"),
        .option("smtp-password", .string, secret: true, "the SMTP password"),
        .option("security", .oneOf(["starttls", "none"]), "STARTTLS required (default) or none"),
        .option("from", .string, "the sender address, e.g. secretariat@aitisa.example"),
        .option("from-name", .string, "the sender's display name, e.g. 联盟秘书处"),
        .option("message-id-domain", .string, "the right-hand side of Message-IDs"),
        .option("webhook", .string, "the generic webhook URL (Standard Webhooks)"),
        .option("webhook-secret", .string, secret: true, "its signing key, e.g. whsec_…"),
        .option(
          "dingtalk", .string, secret: true,
          "the DingTalk robot URL (its access_token is a credential)"),
        .option("dingtalk-secret", .string, secret: true, "the DingTalk robot's signing secret"),
        .option(
          "wecom", .string, secret: true, "the WeCom robot URL (its key is a credential)"),
        .option(
          "secretariat-email", .string,
          "where notices to the secretariat go (a webhook disabled, DELIVERY TEST)"),
        .option("chairs-office-email", .string, "where notices to the chair's office go"),
      ],
      summary:
        "change delivery settings of the current tenant; an empty value (\"\") clears one",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["DELIVERY", "TEST"],
      [
        .positional("channel", .oneOf(deliveryChannels), "the channel to test"),
        .option("to", .string, "e-mail only: the recipient; default the secretariat-email"),
      ],
      summary: "queue a test notice on a channel through the outbox (see NOTICES LIST)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["NOTICE", "SCHEDULE"],
      [
        .positional("date", .date, "the day to send it, in the tenant's zone"),
        .positional("time", .string, "the time HH:MM in the tenant's zone"),
        .positional("to", .string, "e-mail addresses, separated by commas (at most 100)"),
        .positional("subject", .string, "the subject, Chinese first, then English"),
        .positional("text", .text, "the plain-text body; \\n for a new line"),
      ],
      summary:
        "schedule a one-off e-mail notice (a notice.deliver job: JOBS LIST shows it, "
        + "JOBS CANCEL withdraws it)",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["DELIVERY", "ENABLE"],
      [.positional("channel", .oneOf(["webhook"]), "the endpoint disabled after it kept failing")],
      summary: "call a webhook endpoint again that was disabled because it kept failing",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["TEMPLATE", "LIST"],
      summary: "list the notice templates of the current tenant: built-in or its own",
      access: .tenant(minimum: .secretariat)),
    CommandSpec(
      ["TEMPLATE", "SHOW"],
      [.positional("kind", .string, "a notice kind, e.g. reminder")],
      summary: "show the templates of one notice kind in zh-CN and en",
      access: .tenant(minimum: .secretariat)),
    CommandSpec(
      ["TEMPLATE", "SET"],
      [
        .positional("kind", .string, "a notice kind, e.g. reminder"),
        .positional("locale", .oneOf(templateLocales), "zh-CN or en"),
        .option("subject", .string, "the subject; {{name}} placeholders"),
        .option("body", .text, "the plain-text body; \\n for a new line"),
        .option("html", .text, "the HTML body; \"\" for one made from the text"),
      ],
      summary:
        "override the wording of a notice kind in one locale for the current tenant; "
        + "unspecified parts keep their current wording",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["TEMPLATE", "RESET"],
      [
        .positional("kind", .string, "a notice kind"),
        .positional("locale", .oneOf(templateLocales), "zh-CN or en"),
      ],
      summary: "drop the tenant's override: the built-in wording applies again",
      access: .tenant(minimum: .secretariat), changesState: true),
  ]
}
