/// A checked request, ready for its handler.
public struct CommandInvocation: Hashable, Sendable {
  public let spec: CommandSpec
  public let arguments: CommandArguments
  /// Nil before login (LOGIN itself).
  public let principal: Principal?
  /// The tenant an operator chose with `TENANT USE`, or the tenant of a tenant
  /// administrator.
  public let tenant: String?

  public init(
    spec: CommandSpec, arguments: CommandArguments, principal: Principal?, tenant: String?
  ) {
    self.spec = spec
    self.arguments = arguments
    self.principal = principal
    self.tenant = tenant
  }

  /// The command for the audit log: its words and arguments, secrets replaced by `***`.
  public var auditDescription: String {
    var parts = [spec.name]
    for argument in spec.arguments {
      guard let value = arguments[argument.name] else { continue }
      let shown: String
      if argument.isSecret {
        shown = "***"
      } else {
        switch value {
        case .string(let text): shown = ReplyEncoder.jsonString(text)
        case .integer(let number): shown = String(number)
        case .date(let year, let month, let day):
          shown =
            zeroPadded(year, width: 4) + "-" + zeroPadded(month, width: 2) + "-"
            + zeroPadded(day, width: 2)
        }
      }
      parts.append(argument.isNamedOption ? "\(argument.name)=\(shown)" : shown)
    }
    return parts.joined(separator: " ")
  }
}

/// The commands of the protocol. Looks requests up, checks who may run them and their
/// arguments, suggests the nearest command, and writes HELP.
public struct CommandTable: Sendable {
  public let specs: [CommandSpec]

  public init(_ specs: [CommandSpec]) { self.specs = specs }

  /// Mistakes in the table itself (two commands with the same words, a command that is a
  /// prefix of another, an optional positional argument before a required one). The
  /// tests require this to be empty for the shipped table.
  public var problems: [String] {
    var problems: [String] = []
    var seen: Set<String> = []
    for spec in specs {
      if !seen.insert(spec.name).inserted { problems.append("\(spec.name) appears twice") }
      for other in specs where other.words.count > spec.words.count {
        if Array(other.words.prefix(spec.words.count)) == spec.words {
          problems.append("\(spec.name) is a prefix of \(other.name)")
        }
      }
      let positional = spec.arguments.filter { !$0.isNamedOption }
      if let firstOptional = positional.firstIndex(where: \.isOptional),
        positional[firstOptional...].contains(where: { !$0.isOptional })
      {
        problems.append("\(spec.name): a required argument follows an optional one")
      }
      if spec.changesState, spec.access == .preLogin, spec.name != "LOGIN" {
        problems.append("\(spec.name) changes state but is allowed before login")
      }
    }
    return problems
  }

  public func spec(named name: String) -> CommandSpec? {
    specs.first { $0.name == name.uppercased() }
  }

  public enum Lookup: Hashable, Sendable {
    /// The command and the words after its command words.
    case command(CommandSpec, argumentsStartAt: Int)
    case unknown(RequestError)
  }

  /// Finds the command whose words start the request (case-insensitive, quoted words never
  /// match).
  public func lookUp(_ request: ParsedRequest) -> Lookup {
    let leading = request.words.prefix { !$0.isQuoted }.map { $0.text.uppercased() }
    var best: CommandSpec?
    for spec in specs where spec.words.count <= leading.count {
      if Array(leading.prefix(spec.words.count)) == spec.words,
        spec.words.count > (best?.words.count ?? 0)
      {
        best = spec
      }
    }
    if let best { return .command(best, argumentsStartAt: best.words.count) }
    return .unknown(unknownCommandError(request))
  }

  func unknownCommandError(_ request: ParsedRequest) -> RequestError {
    let typedWords = request.words.map(\.text)
    let nearest = nearest(to: typedWords)
    // Echo as many words as the suggestion has, so arguments (a password) are not echoed.
    let typed = typedWords.prefix(max(1, nearest?.words.count ?? 1)).map { $0.uppercased() }
    let shown = ReplyEncoder.escapeField(String(typed.joined(separator: " ").prefix(60)))
    guard let nearest else {
      return RequestError(.unknownCommand, "unknown command \(shown); try HELP")
    }
    return RequestError(
      .unknownCommand, "unknown command \(shown); did you mean \(nearest.name)? try HELP")
  }

  /// The command nearest to what was typed: the smallest edit distance between a spec's
  /// name and as many typed words as the spec has (the earlier spec wins a tie).
  public func nearest(to typedWords: [String]) -> CommandSpec? {
    var best: (spec: CommandSpec, distance: Int)?
    for spec in specs {
      let typed = typedWords.prefix(spec.words.count).map { $0.uppercased() }.joined(separator: " ")
      let distance = EditDistance.between(String(typed.prefix(64)), spec.name)
      if distance < (best?.distance ?? Int.max) { best = (spec, distance) }
    }
    return best?.spec
  }

  /// Whether `principal` (nil before login) may run `spec`; the error to answer if not.
  public func refusal(of spec: CommandSpec, for principal: Principal?) -> RequestError? {
    guard let principal else {
      if spec.access == .preLogin { return nil }
      return RequestError(.notLoggedIn, "\(spec.name) needs a login; LOGIN <name> <password> first")
    }
    switch (spec.access, principal.scope) {
    case (.preLogin, _), (.anyLoggedIn, _), (_, .installation):
      return nil
    case (.operatorOnly, .tenant):
      return RequestError(.forbidden, "\(spec.name) is for installation operators")
    case (.tenant(let minimum), .tenant(_, let role)):
      if role < minimum {
        return RequestError(
          .forbidden,
          "\(spec.name) needs role \(minimum.rawValue) or higher; you are \(role.rawValue)")
      }
      if spec.changesState, role == .viewer {
        return RequestError(.forbidden, "\(spec.name) changes state; role viewer is read-only")
      }
      return nil
    }
  }

  /// Checks the arguments of a looked-up command.
  public func arguments(of spec: CommandSpec, in request: ParsedRequest, startingAt start: Int)
    throws(RequestError) -> CommandArguments
  {
    try ArgumentBinder.bind(request.words[start...], to: spec)
  }

  // MARK: HELP

  /// `HELP`: the commands `principal` may run, one row each.
  public func helpReply(for principal: Principal?) -> Reply {
    let visible = specs.filter { refusal(of: $0, for: principal) == nil }
    return Reply.table(
      columns: ["usage", "summary"], rows: visible.map { [$0.usage, $0.summary] },
      status: .ok("\(visible.count) commands; HELP <command> for details"))
  }

  /// `HELP <words>`: one command in detail, or every command starting with the words
  /// (`HELP TENANT`).
  public func helpReply(topic: [String]) -> Reply {
    let words = topic.map { $0.uppercased() }
    if let spec = specs.first(where: { $0.words == words }) {
      var lines = [spec.usage, spec.summary, "access: \(spec.access.description)"]
      if spec.changesState { lines.append("changes state: yes (audited)") }
      for argument in spec.arguments {
        let secret = argument.isSecret ? ", secret (never logged)" : ""
        let optional = argument.isOptional ? "optional, " : ""
        lines.append(
          "  \(argument.name): \(optional)\(argument.kind.placeholder)\(secret) - \(argument.summary)"
        )
      }
      return Reply.text(lines, status: .ok(spec.name))
    }
    let group = specs.filter { Array($0.words.prefix(words.count)) == words }
    if !group.isEmpty {
      return Reply.table(
        columns: ["usage", "summary"], rows: group.map { [$0.usage, $0.summary] },
        status: .ok("\(group.count) commands"))
    }
    let shown = ReplyEncoder.escapeField(String(words.joined(separator: " ").prefix(60)))
    let suggestion = nearest(to: words).map { "; did you mean \($0.name)?" } ?? ""
    return Reply.error(.unknownCommand, "no command \(shown)\(suggestion) try HELP")
  }
}

/// The handlers the server attaches to the table, by command name. Generic over the
/// handler type so this module knows nothing of the database.
public struct CommandRegistry<Handler: Sendable>: Sendable {
  public let table: CommandTable
  private var handlers: [String: Handler] = [:]

  public init(table: CommandTable) { self.table = table }

  /// Attaches a handler to a command of the table; false when the table has no such
  /// command or the session answers it itself.
  @discardableResult
  public mutating func register(_ name: String, _ handler: Handler) -> Bool {
    guard let spec = table.spec(named: name), !spec.isAnsweredBySession else { return false }
    handlers[spec.name] = handler
    return true
  }

  public func handler(for spec: CommandSpec) -> Handler? { handlers[spec.name] }

  /// Commands that would be dispatched but have no handler: the server should refuse to
  /// start while this is not empty.
  public var commandsWithoutHandler: [CommandSpec] {
    table.specs.filter { !$0.isAnsweredBySession && handlers[$0.name] == nil }
  }
}

private func zeroPadded(_ value: Int, width: Int) -> String {
  let text = String(value)
  return String(repeating: "0", count: max(0, width - text.count)) + text
}
