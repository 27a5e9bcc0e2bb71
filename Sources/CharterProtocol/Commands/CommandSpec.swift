/// The type of an argument, checked before a handler runs.
public enum ArgumentKind: Hashable, Sendable {
  /// One line of text, at most `ArgumentKind.maxStringLength` characters; no control
  /// characters even as escapes (so no CR/LF reaches a mail header built from it).
  case string
  /// Free text: escapes for LF and TAB allowed (a notice body).
  case text
  /// A decimal integer in the range.
  case integer(ClosedRange<Int>)
  /// `YYYY-MM-DD`, a valid civil date.
  case date
  /// `8-4-4-4-12` hexadecimal, any case; handed over lower-cased.
  case uuid
  /// `[a-z0-9-]`, starting with a letter or digit, 2 to 63 characters (tenant identifiers).
  case slug
  /// One of the listed words, case-insensitive; handed over as listed.
  case oneOf([String])

  public static let maxStringLength = 1_000

  /// The placeholder shown in usage strings.
  var placeholder: String {
    switch self {
    case .string, .text: "text"
    case .integer(let range): "\(range.lowerBound)..\(range.upperBound)"
    case .date: "YYYY-MM-DD"
    case .uuid: "uuid"
    case .slug: "slug"
    case .oneOf(let words): words.joined(separator: "|")
    }
  }
}

/// One argument of a command.
public struct ArgumentSpec: Hashable, Sendable {
  public let name: String
  public let kind: ArgumentKind
  public let isOptional: Bool
  /// Given as `name=value` rather than by position.
  public let isNamedOption: Bool
  /// Redacted in audit records and logs (`***`).
  public let isSecret: Bool
  public let summary: String

  /// A positional argument.
  public static func positional(
    _ name: String, _ kind: ArgumentKind, optional: Bool = false, secret: Bool = false,
    _ summary: String
  ) -> ArgumentSpec {
    ArgumentSpec(
      name: name, kind: kind, isOptional: optional, isNamedOption: false, isSecret: secret,
      summary: summary)
  }

  /// A `name=value` option; options are always optional.
  public static func option(
    _ name: String, _ kind: ArgumentKind, secret: Bool = false, _ summary: String
  ) -> ArgumentSpec {
    ArgumentSpec(
      name: name, kind: kind, isOptional: true, isNamedOption: true, isSecret: secret,
      summary: summary)
  }

  /// How the argument appears in a usage string: `<name>`, `[<name>]`, `[name=<kind>]`.
  public var usage: String {
    if isNamedOption { return "[\(name)=<\(kind.placeholder)>]" }
    return isOptional ? "[<\(name)>]" : "<\(name)>"
  }
}

/// One command of the admin protocol: its words, arguments, who may run it, and whether it
/// changes state. The table of these is the protocol (haproxy `cli_kws`, pgbouncer
/// `admin.c`): HELP, argument checks, role checks and `docs/protocol.md` all follow it.
///
/// Handlers are not part of the spec (they need the database): the server attaches them by
/// `name` in a `CommandRegistry`.
public struct CommandSpec: Hashable, Sendable {
  /// Upper-case words, e.g. `["TENANT", "CREATE"]`.
  public let words: [String]
  public let arguments: [ArgumentSpec]
  public let summary: String
  public let access: CommandAccess
  /// Changes state, so it is audited and refused to viewers.
  public let changesState: Bool
  /// Answered by the session itself (PING, HELP, QUIT, MODE): never dispatched.
  public let isAnsweredBySession: Bool

  public init(
    _ words: [String], _ arguments: [ArgumentSpec] = [], summary: String, access: CommandAccess,
    changesState: Bool = false, answeredBySession: Bool = false
  ) {
    self.words = words.map { $0.uppercased() }
    self.arguments = arguments
    self.summary = summary
    self.access = access
    self.changesState = changesState
    self.isAnsweredBySession = answeredBySession
  }

  /// `TENANT CREATE`: the key handlers are registered under.
  public var name: String { words.joined(separator: " ") }

  /// `TENANT CREATE <slug> <name> [timezone=<text>]`: positional arguments in order, then
  /// options.
  public var usage: String {
    let positional = arguments.filter { !$0.isNamedOption }.map(\.usage)
    let options = arguments.filter(\.isNamedOption).map(\.usage)
    return ([name] + positional + options).joined(separator: " ")
  }

  /// The names of the arguments redacted in audit records.
  public var secretArgumentNames: [String] { arguments.filter(\.isSecret).map(\.name) }
}
