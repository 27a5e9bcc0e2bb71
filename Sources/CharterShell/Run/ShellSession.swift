public import CharterProtocol

/// Who the session is logged in as, from WHOAMI (docs/protocol.md: columns name, scope,
/// role, tenant).
public struct SessionIdentity: Hashable, Sendable {
  public var name: String
  public var scope: String
  public var role: String
  public var tenant: String

  public var isOperator: Bool { scope != "tenant" }

  /// `alice@aitisa`, or `alice` for an operator who has not chosen a tenant.
  public var promptName: String {
    tenant.isEmpty ? name : "\(name)@\(tenant)"
  }

  /// From a WHOAMI reply; nil when it has no row or no `name` column.
  public init?(whoami reply: Reply) {
    guard reply.status.isOK, let row = reply.rows.first,
      let nameIndex = reply.columns.firstIndex(of: "name"), nameIndex < row.count
    else { return nil }
    func field(_ column: String) -> String {
      guard let index = reply.columns.firstIndex(of: column), index < row.count else { return "" }
      return row[index]
    }
    name = row[nameIndex]
    scope = field("scope")
    role = field("role")
    tenant = field("tenant")
  }
}

/// The shell's side of a session: sends requests and follows what they change (who is
/// logged in, which tenant, the reply mode), so the prompt and completion stay right.
public final class ShellSession {
  public let connection: AdminConnection
  public let table: CommandTable
  public private(set) var identity: SessionIdentity?
  /// Whether the server answers in JSON lines (after `MODE JSON`).
  public private(set) var serverMode: ReplyMode = .text
  private var tenantCache: [String]?

  public init(connection: AdminConnection, table: CommandTable = .admin) {
    self.connection = connection
    self.table = table
  }

  /// `charter> ` before login, `alice@aitisa> ` after.
  public var prompt: String {
    guard let identity else { return "charter> " }
    return TerminalText.visible(identity.promptName) + "> "
  }

  /// Sends one request line and returns its reply, updating the session's state.
  public func execute(_ line: String) throws(ConnectionLost) -> Reply {
    if let path = RegisterImportUpload.fileArgument(of: line) {
      return try importRegister(path: path)
    }
    if let path = RegisterImportUpload.fileArgument(
      of: line, command: RegisterExportDownload.command)
    {
      return try exportRegister(path: path)
    }
    let reply = try connection.request(line)
    guard reply.status.isOK, let spec = command(of: line) else { return reply }
    switch spec.name {
    case "LOGIN", "TENANT USE":
      tenantCache = spec.name == "LOGIN" ? nil : tenantCache
      try refreshIdentity()
    case "LOGOUT":
      identity = nil
      tenantCache = nil
    case "TENANT CREATE":
      tenantCache = nil
    case "MODE":
      serverMode = reply.status.message.uppercased().hasSuffix("JSON") ? .json : .text
    default:
      break
    }
    return reply
  }

  /// `LOGIN name password`, quoted as the protocol requires.
  public func logIn(user: String, password: String) throws(ConnectionLost) -> Reply {
    try execute(
      "LOGIN " + RequestEncoder.quote(user) + " " + RequestEncoder.quote(password))
  }

  /// Asks WHOAMI again (after LOGIN or TENANT USE).
  public func refreshIdentity() throws(ConnectionLost) {
    identity = SessionIdentity(whoami: try connection.request("WHOAMI"))
  }

  /// Tenant slugs for completion: fetched with TENANT LIST the first time, for operators
  /// only (a tenant administrator has exactly one tenant and may not list them).
  public func tenantNames() -> [String] {
    if let tenantCache { return tenantCache }
    guard let identity, identity.isOperator else { return [] }
    guard let reply = try? connection.request("TENANT LIST"), reply.status.isOK,
      let slugIndex = reply.columns.firstIndex(of: "slug")
    else { return [] }
    let slugs = reply.rows.compactMap { slugIndex < $0.count ? $0[slugIndex] : nil }
    tenantCache = slugs
    return slugs
  }

  /// The command a line names, if it parses.
  public func command(of line: String) -> CommandSpec? {
    guard let request = try? RequestParser.parse(Array(line.utf8)),
      case .command(let spec, _) = table.lookUp(request)
    else { return nil }
    return spec
  }
}
