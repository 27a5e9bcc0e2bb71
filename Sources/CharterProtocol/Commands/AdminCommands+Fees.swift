/// The Fees commands of the governance workflows (issue 5): fees per tier and year (zgc-ai),
/// payments, arrears, reminders, and the fund-use publication (DTPC art. 33).
extension AdminCommands {
  static let fees: [CommandSpec] = [
    CommandSpec(
      ["FEE", "SET"],
      [
        .positional("year", .integer(2000...2200), "the fee year"),
        .positional("tier", .string, "a tier that pays a fee"),
        .positional("amount", .string, "yuan, e.g. 20000 or 20000.00"),
      ],
      summary: "set the yearly fee of a tier", access: .tenant(minimum: .secretariat),
      changesState: true),
    CommandSpec(
      ["FEE", "PAY"],
      [
        .positional("member", .uuid, "the member who paid"),
        .positional("year", .integer(2000...2200), "the fee year paid for"),
        .positional("amount", .string, "yuan, e.g. 20000 or 20000.00"),
        .option("paid", .date, "the day it was paid; default today"),
        .option("reference", .string, "the bank or receipt reference"),
      ],
      summary: "record a fee payment (kept for good); a fee paid in full cancels its reminder",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["FEE", "ARREARS"],
      [
        .option("year", .integer(2000...2200), "the fee year; default this year"), .pageLimit,
        .pageAfter,
      ],
      summary: "list the members who owe fees, with what is due, paid and owing",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["FEE", "REMINDERS"],
      summary: "schedule this period's fee reminder for every member who has not paid in full",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["FUNDS", "PUBLISH"],
      [
        .positional("year", .integer(2000...2200), "the year whose use of funds is published"),
        .positional("summary", .string, "the published account, or where to read it"),
      ],
      summary: "publish the year's use of funds to all members (DTPC art. 33)",
      access: .tenant(minimum: .secretariat), changesState: true),
  ]
}
