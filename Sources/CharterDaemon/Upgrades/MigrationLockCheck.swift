/// A statement of a pending migration that holds a heavy lock for as long as it rewrites
/// or scans a table (or builds an index): while it runs, the daemon's writes — or its reads
/// too, under ACCESS EXCLUSIVE — wait. `charterd migrate --dry-run` prints one line each.
public struct MigrationLockWarning: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int
  /// The statement, shortened to one line.
  public var statement: String
  /// The PostgreSQL lock mode: ACCESS EXCLUSIVE, SHARE, SHARE ROW EXCLUSIVE, ...
  public var lock: String
  public var table: String
  /// What takes the time: "rewrites the table", "scans the table", "builds an index".
  public var reason: String
  public var saferAlternative: String

  public var description: String {
    "warning: \(file):\(line): \(lock) lock on \(table) while it \(reason) (\(statement)); "
      + "safer: \(saferAlternative)"
  }
}

/// Finds the statements of pending migration files that take a long lock (issue 7,
/// upgrades). Tables created by an earlier statement of the pending files are new, hence
/// empty: what is done to them is quick and not flagged. The check reads the text only; it
/// errs on the side of a warning (an `ALTER COLUMN TYPE` that is binary-coercible needs no
/// rewrite, and is still flagged).
public enum MigrationLockCheck {
  /// Warnings of `files` (file name, SQL text), applied in that order.
  public static func warnings(_ files: [(name: String, sql: String)]) -> [MigrationLockWarning] {
    var newTables: Set<String> = []
    var warnings: [MigrationLockWarning] = []
    for file in files {
      for statement in SQLTokenizer.statements(file.sql) {
        var check = StatementCheck(file: file.name, statement: statement, newTables: newTables)
        check.run()
        warnings += check.warnings
        newTables.formUnion(check.createdTables)
      }
    }
    return warnings
  }

  /// Volatile functions: a column added with one of these in its default is written row by
  /// row (PostgreSQL 11+ stores a non-volatile default once, without a rewrite).
  static let volatileFunctions: Set<String> = [
    "RANDOM", "CLOCK_TIMESTAMP", "TIMEOFDAY", "GEN_RANDOM_UUID", "UUID_GENERATE_V1",
    "UUID_GENERATE_V4", "UUIDV4", "UUIDV7", "NEXTVAL", "SETVAL", "TXID_CURRENT",
    "PG_CURRENT_XACT_ID", "STATEMENT_TIMESTAMP",
  ]
  static let serialTypes: Set<String> = [
    "SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL2", "SERIAL4", "SERIAL8",
  ]
}

/// The checks of one statement.
private struct StatementCheck {
  let file: String
  let statement: SQLStatement
  let newTables: Set<String>
  var warnings: [MigrationLockWarning] = []
  var createdTables: Set<String> = []

  init(file: String, statement: SQLStatement, newTables: Set<String>) {
    self.file = file
    self.statement = statement
    self.newTables = newTables
  }

  var tokens: [SQLToken] { statement.tokens }
  var words: [String] { statement.tokens.map(\.keyword) }

  mutating func run() {
    switch words.first {
    case "CREATE": create()
    case "ALTER" where words.count > 1 && words[1] == "TABLE": alterTable()
    case "VACUUM":
      if words.contains("FULL") {
        warn(
          at: statement.line, lock: "ACCESS EXCLUSIVE", table: tableAfter(["VACUUM"]),
          reason: "rewrites the table",
          safer:
            "plain VACUUM (no lock on reads and writes), or pg_repack outside the migration")
      }
    case "CLUSTER":
      warn(
        at: statement.line, lock: "ACCESS EXCLUSIVE", table: tableAfter(["CLUSTER", "VERBOSE"]),
        reason: "rewrites the table", safer: "pg_repack outside the migration")
    case "LOCK": lockTable()
    case "REINDEX":
      if !words.contains("CONCURRENTLY") {
        warn(
          at: statement.line, lock: "SHARE", table: tableAfter(["REINDEX", "INDEX", "TABLE"]),
          reason: "rebuilds the index (writes wait)", safer: "REINDEX CONCURRENTLY, by hand")
      }
    case "REFRESH":
      if !words.contains("CONCURRENTLY") {
        warn(
          at: statement.line, lock: "ACCESS EXCLUSIVE",
          table: tableAfter(["REFRESH", "MATERIALIZED", "VIEW"]), reason: "recomputes the view",
          safer: "REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index)")
      }
    default: break
    }
  }

  // MARK: CREATE TABLE / CREATE INDEX

  mutating func create() {
    var index = 1
    let modifiers: Set<String> = ["GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE"]
    while index < words.count, modifiers.contains(words[index]) { index += 1 }
    guard index < words.count else { return }
    switch words[index] {
    case "TABLE":
      index += 1
      index = skipping(["IF", "NOT", "EXISTS"], from: index)
      if let (name, _) = qualifiedName(at: index) { createdTables.formUnion(Self.keys(name)) }
    case "INDEX":
      let concurrently = index + 1 < words.count && words[index + 1] == "CONCURRENTLY"
      guard !concurrently, let on = words.firstIndex(of: "ON") else { return }
      let start = on + 1 < words.count && words[on + 1] == "ONLY" ? on + 2 : on + 1
      guard let (table, _) = qualifiedName(at: start), !isNew(table) else { return }
      warn(
        at: statement.line, lock: "SHARE", table: table,
        reason: "builds the index (writes wait)",
        safer:
          "CREATE INDEX CONCURRENTLY by hand before the upgrade (it cannot run in the "
          + "migration's transaction); write the migration's statement with IF NOT EXISTS")
    default: break
    }
  }

  // MARK: ALTER TABLE

  mutating func alterTable() {
    var index = skipping(["IF", "EXISTS"], from: 2)
    index = skipping(["ONLY"], from: index)
    guard let (table, afterName) = qualifiedName(at: index), !isNew(table) else { return }
    for action in actions(from: afterName) { check(action, of: table) }
  }

  /// The comma-separated actions of an ALTER TABLE, as token ranges.
  func actions(from start: Int) -> [ArraySlice<SQLToken>] {
    var actions: [ArraySlice<SQLToken>] = []
    var depth = 0
    var actionStart = start
    for index in start..<tokens.count {
      let token = tokens[index]
      guard token.kind == .symbol else { continue }
      if token.text == "(" { depth += 1 }
      if token.text == ")" { depth -= 1 }
      if token.text == ",", depth == 0 {
        actions.append(tokens[actionStart..<index])
        actionStart = index + 1
      }
    }
    if actionStart < tokens.count { actions.append(tokens[actionStart..<tokens.count]) }
    return actions.filter { !$0.isEmpty }
  }

  mutating func check(_ action: ArraySlice<SQLToken>, of table: String) {
    let words = action.map(\.keyword)
    let line = action.first?.line ?? statement.line
    guard let verb = words.first else { return }
    let constraintWords: Set<String> = [
      "CONSTRAINT", "CHECK", "FOREIGN", "PRIMARY", "UNIQUE", "EXCLUDE",
    ]
    if verb == "ADD", words.count > 1, constraintWords.contains(words[1]) {
      addConstraint(words, line: line, table: table)
    } else if verb == "ADD" {
      addColumn(words, line: line, table: table)
    } else if verb == "ALTER" {
      let column = words.count > 1 && words[1] == "COLUMN" ? 2 : 1
      let rest = Array(words.dropFirst(column + 1))
      if rest.first == "TYPE" || rest.starts(with: ["SET", "DATA", "TYPE"]) {
        warn(
          at: line, lock: "ACCESS EXCLUSIVE", table: table, reason: "rewrites the table",
          safer:
            "add a new column, backfill it in batches and switch over (only a binary-coercible "
            + "change such as varchar(n) to text is free)")
      } else if rest.starts(with: ["SET", "NOT", "NULL"]) {
        warn(
          at: line, lock: "ACCESS EXCLUSIVE", table: table, reason: "scans the table",
          safer:
            "ADD CONSTRAINT … CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a "
            + "later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan)")
      }
    } else if verb == "SET", words.count > 1,
      ["TABLESPACE", "LOGGED", "UNLOGGED"].contains(words[1])
    {
      warn(
        at: line, lock: "ACCESS EXCLUSIVE", table: table, reason: "rewrites the table",
        safer: "do it in a maintenance window, or with pg_repack")
    }
  }

  mutating func addColumn(_ words: [String], line: Int, table: String) {
    var index = words.count > 1 && words[1] == "COLUMN" ? 2 : 1
    index = skippingWords(["IF", "NOT", "EXISTS"], in: words, from: index)
    // words[index] is the column's name, then its type.
    let type = index + 1 < words.count ? words[index + 1] : ""
    let generated = words.contains("GENERATED")
    let defaultIndex = words.firstIndex(of: "DEFAULT")
    let volatileDefault =
      defaultIndex.map { start in
        words[(start + 1)...].prefix { !Self.columnConstraintWords.contains($0) }
          .contains { MigrationLockCheck.volatileFunctions.contains($0) }
      } ?? false
    if generated || volatileDefault || MigrationLockCheck.serialTypes.contains(type) {
      let what =
        generated
        ? "a generated or identity column" : "a default computed for each row"
      warn(
        at: line, lock: "ACCESS EXCLUSIVE", table: table,
        reason: "rewrites the table (\(what))",
        safer:
          "add the column without a default (or with a constant one), backfill it in batches, "
          + "then SET DEFAULT for new rows")
    } else if words.contains("NOT"), words.contains("NULL"), defaultIndex == nil {
      warn(
        at: line, lock: "ACCESS EXCLUSIVE", table: table,
        reason: "checks every row (and fails on a table with rows: NOT NULL without a default)",
        safer:
          "add it nullable (or with a constant DEFAULT), backfill, then a CHECK … NOT VALID, "
          + "VALIDATE CONSTRAINT and SET NOT NULL")
    }
  }

  static let columnConstraintWords: Set<String> = [
    "NOT", "NULL", "CONSTRAINT", "CHECK", "REFERENCES", "PRIMARY", "UNIQUE", "GENERATED",
    "COLLATE",
  ]

  mutating func addConstraint(_ words: [String], line: Int, table: String) {
    let notValid = words.indices.contains { index in
      words[index] == "NOT" && index + 1 < words.count && words[index + 1] == "VALID"
    }
    if words.contains("FOREIGN") || words.contains("REFERENCES") {
      guard !notValid else { return }
      warn(
        at: line, lock: "SHARE ROW EXCLUSIVE", table: "\(table) and the referenced table",
        reason: "scans the table (writes wait)",
        safer: "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later migration")
    } else if words.contains("CHECK") {
      guard !notValid else { return }
      warn(
        at: line, lock: "ACCESS EXCLUSIVE", table: table, reason: "scans the table",
        safer: "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later migration")
    } else if words.contains("PRIMARY") || words.contains("UNIQUE") {
      guard !(words.contains("USING") && words.contains("INDEX")) else { return }
      warn(
        at: line, lock: "ACCESS EXCLUSIVE", table: table, reason: "builds an index",
        safer:
          "CREATE UNIQUE INDEX CONCURRENTLY by hand, then ADD CONSTRAINT … USING INDEX")
    } else if words.contains("EXCLUDE") {
      warn(
        at: line, lock: "ACCESS EXCLUSIVE", table: table, reason: "builds an index",
        safer: "add it in a maintenance window")
    }
  }

  // MARK: LOCK TABLE

  mutating func lockTable() {
    var index = skipping(["LOCK"], from: 0)
    index = skipping(["TABLE"], from: index)
    index = skipping(["ONLY"], from: index)
    let table = qualifiedName(at: index)?.0 ?? "?"
    var mode = "ACCESS EXCLUSIVE"
    if let inIndex = words.firstIndex(of: "IN"), let modeIndex = words.lastIndex(of: "MODE"),
      inIndex + 1 < modeIndex
    {
      mode = words[(inIndex + 1)..<modeIndex].joined(separator: " ")
    }
    let blocksWrites: Set<String> = [
      "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE",
    ]
    guard blocksWrites.contains(mode), !isNew(table) else { return }
    warn(
      at: statement.line, lock: mode, table: table, reason: "holds it until the migration commits",
      safer: "lock no more than the statements take themselves, and set lock_timeout")
  }

  // MARK: Helpers

  mutating func warn(at line: Int, lock: String, table: String, reason: String, safer: String) {
    warnings.append(
      MigrationLockWarning(
        file: file, line: line, statement: statement.shortText, lock: lock, table: table,
        reason: reason, saferAlternative: safer))
  }

  func isNew(_ table: String) -> Bool { !Self.keys(table).isDisjoint(with: newTables) }

  /// The keys a table is known by: its name as written (lower-cased, quotes removed), and
  /// its last part (a migration may rely on the search path).
  static func keys(_ name: String) -> Set<String> {
    let lowered = name.lowercased()
    return [lowered, String(lowered.split(separator: ".").last ?? Substring(lowered))]
  }

  /// `schema.table` (or `table`) starting at `index`, and the index after it.
  func qualifiedName(at index: Int) -> (String, Int)? {
    guard index < tokens.count, tokens[index].isName else { return nil }
    var parts = [tokens[index].text]
    var next = index + 1
    while next + 1 < tokens.count, tokens[next].kind == .symbol, tokens[next].text == ".",
      tokens[next + 1].isName
    {
      parts.append(tokens[next + 1].text)
      next += 2
    }
    return (parts.joined(separator: "."), next)
  }

  /// The first name after the leading `keywords` (and options in parentheses).
  func tableAfter(_ keywords: Set<String>) -> String {
    var index = 0
    while index < tokens.count {
      if keywords.contains(words[index])
        || ["FULL", "VERBOSE", "ANALYZE", "FREEZE"].contains(
          words[index])
      {
        index += 1
      } else if tokens[index].text == "(" {
        while index < tokens.count, tokens[index].text != ")" { index += 1 }
        index += 1
      } else {
        break
      }
    }
    return qualifiedName(at: index)?.0 ?? "every table"
  }

  /// `from`, moved past the optional run of `keywords` in that order.
  func skipping(_ keywords: [String], from index: Int) -> Int {
    skippingWords(keywords, in: words, from: index)
  }

  func skippingWords(_ keywords: [String], in words: [String], from index: Int) -> Int {
    guard index + keywords.count <= words.count,
      Array(words[index..<index + keywords.count]) == keywords
    else { return index }
    return index + keywords.count
  }
}
