/// Where and how to connect. Built from a URL; turned into libpq keyword/value pairs
/// (`PQconnectdbParams`), never into a concatenated conninfo string.
///
///     postgres://user:password@host:5432/database?sslmode=require&application_name=charterd
///     postgres://postgres@/postgres?host=/run/postgresql        (unix-socket directory)
///     postgres://postgres@%2Frun%2Fpostgresql/postgres          (the same, percent-encoded)
public struct PostgresConfiguration: Sendable {
  public var host: String?
  public var port: Int?
  public var user: String?
  public var password: String?
  public var database: String?
  /// libpq's `sslmode`: disable, allow, prefer, require, verify-ca, verify-full.
  public var sslMode: String?
  public var sslRootCertificate: String?
  public var applicationName: String
  /// How long connecting may take. libpq counts whole seconds and at least 2.
  public var connectTimeout: Duration = .seconds(10)
  /// Server-side `statement_timeout` for every statement on the connection; nil keeps the
  /// server's default.
  public var statementTimeout: Duration?
  /// How many parameterised statements each connection keeps prepared on the server (least
  /// recently used dropped first), so that they are parsed once and their plans can be
  /// reused; 0 sends every statement unnamed, parsed and planned each time (for a pooler in
  /// transaction mode, which cannot keep session state).
  public var preparedStatementCapacity = 256

  static let sslModes: Set<String> = [
    "disable", "allow", "prefer", "require", "verify-ca", "verify-full",
  ]

  public init(
    host: String? = nil, port: Int? = nil, user: String? = nil, password: String? = nil,
    database: String? = nil, sslMode: String? = nil, applicationName: String = "charter"
  ) {
    self.host = host
    self.port = port
    self.user = user
    self.password = password
    self.database = database
    self.sslMode = sslMode
    self.applicationName = applicationName
  }

  public init(url: String) throws(PostgresError) {
    self.init()
    let parsed = try PostgresURL(parsing: url)
    host = parsed.host
    port = parsed.port
    user = parsed.user
    password = parsed.password
    database = parsed.database
    for (name, value) in parsed.query {
      switch name {
      case "host": host = value
      case "port":
        guard let number = Int(value), (1...65535).contains(number) else {
          throw .misuse("the database URL has an invalid port")
        }
        port = number
      case "user": user = value
      case "password": password = value
      case "dbname": database = value
      case "sslmode":
        guard Self.sslModes.contains(value) else {
          throw .misuse("the database URL has an unknown sslmode '\(value)'")
        }
        sslMode = value
      case "sslrootcert": sslRootCertificate = value
      case "application_name": applicationName = value
      case "connect_timeout":
        guard let seconds = Int(value), seconds > 0 else {
          throw .misuse("the database URL has an invalid connect_timeout")
        }
        connectTimeout = .seconds(seconds)
      default:
        throw .misuse("the database URL has an unsupported parameter '\(name)'")
      }
    }
  }

  /// The URL with the password masked: safe to log.
  public var redactedDescription: String {
    var text = "postgres://"
    if let user {
      text += PostgresURL.percentEncode(user)
      if password != nil { text += ":***" }
      text += "@"
    }
    var query: [String] = []
    if let host {
      if host.hasPrefix("/") {
        query.append("host=\(host)")
      } else {
        text += host.contains(":") ? "[\(host)]" : host
      }
    }
    if let port { text += ":\(port)" }
    text += "/" + PostgresURL.percentEncode(database ?? "")
    if let sslMode { query.append("sslmode=\(sslMode)") }
    query.append("application_name=\(PostgresURL.percentEncode(applicationName))")
    return text + "?" + query.joined(separator: "&")
  }

  /// Keyword/value pairs for `PQconnectdbParams`.
  var libpqParameters: [(String, String)] {
    var pairs: [(String, String)] = []
    if let host { pairs.append(("host", host)) }
    if let port { pairs.append(("port", String(port))) }
    if let user { pairs.append(("user", user)) }
    if let password { pairs.append(("password", password)) }
    if let database { pairs.append(("dbname", database)) }
    if let sslMode { pairs.append(("sslmode", sslMode)) }
    if let sslRootCertificate { pairs.append(("sslrootcert", sslRootCertificate)) }
    pairs.append(("application_name", applicationName))
    pairs.append(("client_encoding", "UTF8"))
    pairs.append(("connect_timeout", String(max(2, Int(connectTimeout.seconds.rounded(.up))))))
    // Detect a dead peer on TCP within about a minute (ignored on unix sockets).
    pairs.append(("keepalives", "1"))
    pairs.append(("keepalives_idle", "30"))
    pairs.append(("keepalives_interval", "10"))
    pairs.append(("keepalives_count", "3"))
    if let statementTimeout {
      let milliseconds = max(1, Int((statementTimeout.seconds * 1000).rounded(.up)))
      pairs.append(("options", "-c statement_timeout=\(milliseconds)"))
    }
    return pairs
  }
}
