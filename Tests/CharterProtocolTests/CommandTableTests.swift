import CharterProtocol
import Testing

@Suite struct CommandTableTests {
  let table = CommandTable.admin

  func lookUp(_ line: String) throws -> (CommandSpec, CommandArguments) {
    let request = try RequestParser.parse(bytes(line))
    switch table.lookUp(request) {
    case .command(let spec, let start):
      return (spec, try table.arguments(of: spec, in: request, startingAt: start))
    case .unknown(let error):
      throw error
    }
  }

  func error(_ line: String) -> RequestError? {
    do {
      _ = try lookUp(line)
      return nil
    } catch let error as RequestError {
      return error
    } catch {
      return nil
    }
  }

  @Test func theShippedTableHasNoProblems() {
    #expect(table.problems == [])
    let names = table.specs.map(\.name)
    for name in [
      "LOGIN", "LOGOUT", "WHOAMI", "PING", "HELP", "QUIT", "TENANT CREATE", "TENANT LIST",
      "TENANT SHOW",
      "TENANT USE", "ADMIN CREATE", "ADMIN LIST", "ADMIN SHOW", "ADMIN PASSWD", "ADMIN DISABLE",
      "ADMIN ENABLE",
      "AUDIT TAIL", "AUDIT SEARCH",
    ] {
      #expect(names.contains(name), "\(name) missing")
    }
  }

  @Test func aTableWithMistakesSaysSo() {
    let broken = CommandTable([
      CommandSpec(["A"], summary: "", access: .preLogin),
      CommandSpec(["A", "B"], summary: "", access: .anyLoggedIn),
      CommandSpec(["A", "B"], summary: "", access: .anyLoggedIn),
      CommandSpec(
        ["C"], [.positional("x", .string, optional: true, ""), .positional("y", .string, "")],
        summary: "",
        access: .anyLoggedIn),
      CommandSpec(["D"], summary: "", access: .preLogin, changesState: true),
    ])
    #expect(broken.problems.count == 5)
  }

  @Test func commandWordsAreCaseInsensitiveAndArgumentsAreChecked() throws {
    let (spec, arguments) = try lookUp(
      "tenant Create aitisa \"中关村 视听产业 技术创新联盟\" TimeZone=Asia/Shanghai")
    #expect(spec.name == "TENANT CREATE")
    #expect(arguments.string("slug") == "aitisa")
    #expect(arguments.string("name") == "中关村 视听产业 技术创新联盟")
    #expect(arguments.string("timezone") == "Asia/Shanghai")
    let (audit, limits) = try lookUp(
      "AUDIT SEARCH from=2024-02-29 limit=50 outcome=OK command=\"ADMIN CREATE\"")
    #expect(audit.name == "AUDIT SEARCH")
    #expect(limits.date("from")! == (2024, 2, 29))
    #expect(limits.integer("limit") == 50)
    #expect(limits.string("outcome") == "ok")
    #expect(limits.string("command") == "ADMIN CREATE")
  }

  @Test func aPasswordThatLooksLikeAnOptionIsStillThePassword() throws {
    let (_, arguments) = try lookUp("LOGIN alice pass=word")
    #expect(arguments.string("password") == "pass=word")
  }

  @Test func argumentErrorsSayWhatIsWrongAndShowTheUsage() {
    #expect(
      error("TENANT CREATE aitisa")
        == RequestError(
          .badArguments,
          "missing <name>; usage: TENANT CREATE <slug> <name> [timezone=<text>] [parent=<slug>]"))
    #expect(
      error("TENANT SHOW a b")?.message.hasPrefix("too many arguments (2 given, at most 1)") == true
    )
    #expect(
      error("TENANT CREATE Bad_Slug x")?.message.hasPrefix("<slug> Bad_Slug is not a slug") == true)
    #expect(
      error("AUDIT TAIL limit=0")?.message.hasPrefix("<limit> 0 is not an integer from 1 to 1000")
        == true)
    #expect(error("AUDIT TAIL limit=5x")?.code == .badArguments)
    #expect(
      error("AUDIT SEARCH from=2023-02-29")?.message.hasPrefix("<from> 2023-02-29 is not a date")
        == true)
    #expect(
      error("AUDIT TAIL limit=1 limit=2")?.message.hasPrefix("option limit= given twice") == true)
    #expect(
      error("AUDIT TAIL limt=5")?.message.hasPrefix("unknown option limt=; options: limit") == true)
    #expect(
      error("ADMIN CREATE zhang boss")?.message.hasPrefix("<role> boss is not one of operator")
        == true)
    #expect(
      error("ADMIN SHOW \"a\\nb\"")?.message.hasPrefix("<name> a\\nb is not one line of text")
        == true)
    // A secret that fails its check is not echoed.
    #expect(
      error("LOGIN alice \"x\\ny\"")
        == RequestError(
          .badArguments,
          "<password> is not one line of text (no control characters); usage: LOGIN <name> [<password>]"
        ))
  }

  @Test func unknownCommandsNameTheNearestOne() {
    #expect(
      error("TENANT CRATE x y")
        == RequestError(
          .unknownCommand, "unknown command TENANT CRATE; did you mean TENANT CREATE? try HELP"))
    #expect(error("PIGN")?.message == "unknown command PIGN; did you mean PING? try HELP")
    #expect(
      error("LOGNI alice hunter2")?.message == "unknown command LOGNI; did you mean LOGIN? try HELP"
    )
    #expect(error("whoami2")?.message == "unknown command WHOAMI2; did you mean WHOAMI? try HELP")
    #expect(
      error("ADMN LIST")?.message == "unknown command ADMN LIST; did you mean ADMIN LIST? try HELP")
    #expect(error("TENANT")?.message.contains("did you mean TENANT") == true)
    #expect(error("LOGOUTT")?.message.contains("LOGOUT?") == true)
    // A quoted word is never a command word.
    #expect(error("\"PING\"")?.code == .unknownCommand)
  }

  @Test func roleGating() throws {
    let create = try #require(table.spec(named: "TENANT CREATE"))
    let adminCreate = try #require(table.spec(named: "ADMIN CREATE"))
    let adminList = try #require(table.spec(named: "ADMIN LIST"))
    let passwd = try #require(table.spec(named: "ADMIN PASSWD"))
    #expect(table.refusal(of: create, for: operatorAlice) == nil)
    #expect(table.refusal(of: create, for: secretariatBob)?.code == .forbidden)
    #expect(table.refusal(of: adminCreate, for: secretariatBob) == nil)
    #expect(table.refusal(of: adminCreate, for: viewerCarol)?.code == .forbidden)
    #expect(table.refusal(of: adminList, for: viewerCarol)?.code == .forbidden)
    // Anyone may set their own password; the handler checks whose it is.
    #expect(table.refusal(of: passwd, for: viewerCarol) == nil)
    // A viewer runs no command that changes state, whatever its minimum role.
    let openToViewers = CommandSpec(
      ["X"], summary: "", access: .tenant(minimum: .viewer), changesState: true)
    #expect(
      table.refusal(of: openToViewers, for: viewerCarol)?.message
        == "X changes state; role viewer is read-only")
    let chairs = Principal(name: "dan", scope: .tenant("aitisa", .chairsOffice))
    #expect(table.refusal(of: openToViewers, for: chairs) == nil)
    // Before login only PING, HELP, LOGIN and QUIT.
    let preLogin = table.specs.filter { table.refusal(of: $0, for: nil) == nil }.map(\.name)
    #expect(preLogin.sorted() == ["HELP", "LOGIN", "PING", "QUIT"])
    #expect(table.refusal(of: create, for: nil)?.code == .notLoggedIn)
  }

  @Test func helpIsGeneratedFromTheTable() throws {
    let all = table.helpReply(for: operatorAlice)
    #expect(all.columns == ["usage", "summary"])
    #expect(all.rows.map(\.[0]) == table.specs.map(\.usage))
    #expect(all.status == .ok("\(table.specs.count) commands; HELP <command> for details"))
    let before = table.helpReply(for: nil)
    #expect(
      before.rows.map(\.[0]) == ["PING", "HELP [<command>]", "LOGIN <name> [<password>]", "QUIT"])
    let viewer = table.helpReply(for: viewerCarol).rows.map(\.[0])
    #expect(!viewer.contains { $0.hasPrefix("ADMIN CREATE") })
    #expect(viewer.contains("WHOAMI"))

    let one = table.helpReply(topic: ["tenant", "create"])
    #expect(one.status == .ok("TENANT CREATE"))
    #expect(one.rows.first == ["TENANT CREATE <slug> <name> [timezone=<text>] [parent=<slug>]"])
    #expect(one.rows.contains(["changes state: yes (audited)"]))
    let login = table.helpReply(topic: ["LOGIN"]).rows.map(\.[0])
    #expect(login.contains { $0.contains("password") && $0.contains("secret (never logged)") })
    #expect(table.helpReply(topic: ["TENANT"]).rows.count == 4)
    #expect(table.helpReply(topic: ["TENNANT"]).status.code == .unknownCommand)
  }

  @Test func auditDescriptionRedactsSecrets() throws {
    let (login, arguments) = try lookUp("LOGIN alice \"hunter2 secret\"")
    let invocation = CommandInvocation(
      spec: login, arguments: arguments, principal: nil, tenant: nil)
    #expect(invocation.auditDescription == "LOGIN \"alice\" ***")
    #expect(!invocation.auditDescription.contains("hunter2"))
    let (passwd, passwdArguments) = try lookUp("ADMIN PASSWD bob s3cret")
    #expect(
      CommandInvocation(
        spec: passwd, arguments: passwdArguments, principal: operatorAlice, tenant: nil
      )
      .auditDescription == "ADMIN PASSWD \"bob\" ***")
    let (search, searchArguments) = try lookUp("AUDIT SEARCH from=2026-01-05 limit=7")
    #expect(
      CommandInvocation(
        spec: search, arguments: searchArguments, principal: operatorAlice, tenant: nil
      )
      .auditDescription == "AUDIT SEARCH from=2026-01-05 limit=7")
  }

  @Test func registryKnowsWhichCommandsLackAHandler() {
    var registry = CommandRegistry<@Sendable (CommandInvocation) -> CommandOutcome>(table: table)
    #expect(registry.register("tenant list") { _ in CommandOutcome(reply: .ok()) })
    // PING is answered by the session.
    #expect(!registry.register("PING") { _ in CommandOutcome(reply: .ok()) })
    #expect(!registry.register("NOPE") { _ in CommandOutcome(reply: .ok()) })
    let missing = registry.commandsWithoutHandler.map(\.name)
    #expect(!missing.contains("TENANT LIST"))
    #expect(missing.contains("TENANT CREATE"))
    #expect(!missing.contains("PING"))
    #expect(registry.handler(for: table.spec(named: "TENANT LIST")!) != nil)
  }
}
