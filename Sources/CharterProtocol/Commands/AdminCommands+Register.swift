/// The Register commands of the governance workflows (issue 5, DTPC art. 17): the listing, the
/// CSV export, and the CSV import of an existing register in steps that fit the line protocol.
extension AdminCommands {
  static let register: [CommandSpec] = [
    CommandSpec(
      ["REGISTER", "LIST"],
      [
        .option("tier", .string, "only this tier"),
        .option(
          "status",
          .oneOf(["applicant", "member", "exit_pending", "suspended", "former", "refused"]),
          "only this status"),
        .pageLimit, .pageAfter,
      ],
      summary: "list the register by name: status, tier, joined, left",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["REGISTER", "EXPORT"],
      [
        .option(
          "limit", .integer(1...50_000),
          "members per page; default all (a reply holds at most 16 MiB: page a big register)"),
        .pageAfter,
      ],
      summary:
        "the register as CSV (UTF-8 with BOM), one text line per member: `charter -c 'REGISTER EXPORT' > register.csv`",
      access: .tenant(minimum: .viewer)),
    CommandSpec(
      ["REGISTER", "IMPORT", "BEGIN"],
      summary: "start importing a register: answers the batch id the other steps take",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["REGISTER", "IMPORT", "ROWS"],
      [
        .positional("batch", .uuid, "the batch of REGISTER IMPORT BEGIN"),
        // Redacted in the audit log like a secret: a chunk is 64 KiB of personal data (names,
        // telephones) that the batch table already keeps.
        .positional(
          "text", .text, secret: true, "the next chunk of the CSV file, line ends as \\n"),
      ],
      summary: "append the next chunk of the CSV text to an import batch",
      access: .tenant(minimum: .secretariat), changesState: true),
    CommandSpec(
      ["REGISTER", "IMPORT", "CHECK"],
      [.positional("batch", .uuid, "the batch")],
      summary: "dry run: every error of the batch by line and column; nothing changes",
      access: .tenant(minimum: .secretariat)),
    CommandSpec(
      ["REGISTER", "IMPORT", "APPLY"],
      [.positional("batch", .uuid, "the batch")],
      summary: "import the batch in one transaction: every row, or none when one has an error",
      access: .tenant(minimum: .secretariat), changesState: true),
  ]
}
