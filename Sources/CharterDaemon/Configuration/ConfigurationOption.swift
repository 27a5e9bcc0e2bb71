/// One setting of the daemon: where it comes from, its type and bounds, its default and
/// whether a reload (SIGHUP) may change it. The table of all options (`ConfigurationOption.all`)
/// is the single source of the configuration file's keys, the command-line flags, the
/// `CHARTER_*` environment variables, `--check-config` and Config/charterd.example.toml.
public struct ConfigurationOption: Sendable {
  public enum Kind: Sendable, Equatable {
    case string
    case path
    case url
    case integer(ClosedRange<Int>)
    case duration(ClosedRange<Duration>)
    case boolean
    case choice([String])
    case address
    /// HOST:PORT, or empty for "off".
    case optionalAddress
  }

  /// Dotted key in the configuration file, e.g. "database.url".
  public let key: String
  public let kind: Kind
  /// The default as text, parsed like any other value ("" for none).
  public let defaultValue: String
  /// Whether SIGHUP or RELOAD may apply a new value without a restart.
  public let reloadable: Bool
  /// A secret is masked wherever configuration is shown or logged.
  public let secret: Bool
  public let summary: String

  /// "--database-url" for "database.url".
  public var flag: String {
    "--" + key.replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-")
  }

  /// "CHARTER_DATABASE_URL" for "database.url".
  public var environmentVariable: String {
    "CHARTER_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
  }
}

extension ConfigurationOption {
  /// Every option, in the order of the example file (top-level keys first, as TOML needs).
  public static let all: [ConfigurationOption] = [
    .init(
      key: "data_dir", kind: .path, defaultValue: "", reloadable: false, secret: false,
      summary:
        "Folder for the embedded PostgreSQL cluster, the generated TLS certificate and the lock file. "
        + "Empty: /var/lib/charter as root, else ~/.local/share/charter."),
    .init(
      key: "listen", kind: .address, defaultValue: "127.0.0.1:7433", reloadable: false,
      secret: false,
      summary: "Address and port of the admin server (TLS)."),
    .init(
      key: "database.url", kind: .url, defaultValue: "", reloadable: false, secret: true,
      summary:
        "Run-time connection (postgres://user:password@host:port/db?sslmode=...). "
        + "Empty: an embedded PostgreSQL cluster under data_dir, started and stopped with the daemon."
    ),
    .init(
      key: "database.migration_url", kind: .url, defaultValue: "", reloadable: false, secret: true,
      summary:
        "Connection of the owner role that applies migrations. Empty: the embedded cluster's owner, "
        + "or database.url for an external server."),
    .init(
      key: "database.migrations", kind: .path, defaultValue: "", reloadable: false, secret: false,
      summary: "Folder of the numbered SQL migrations. Empty: SQL/ of the installation."),
    .init(
      key: "database.pool_size", kind: .integer(1...500), defaultValue: "10", reloadable: false,
      secret: false, summary: "Most pooled run-time connections."),
    .init(
      key: "database.connect_timeout", kind: .duration(.seconds(1)...(.seconds(300))),
      defaultValue: "10s",
      reloadable: false, secret: false, summary: "Limit for opening one connection."),
    .init(
      key: "database.statement_timeout", kind: .duration(.milliseconds(100)...(.seconds(3600))),
      defaultValue: "30s", reloadable: false, secret: false, summary: "Limit for one statement."),
    .init(
      key: "database.acquire_timeout", kind: .duration(.milliseconds(10)...(.seconds(300))),
      defaultValue: "5s", reloadable: false, secret: false,
      summary: "Limit for waiting for a pooled connection."),
    .init(
      key: "tls.certificate", kind: .path, defaultValue: "", reloadable: true, secret: false,
      summary: "PEM certificate chain. Empty: a self-signed certificate generated in data_dir."),
    .init(
      key: "tls.key", kind: .path, defaultValue: "", reloadable: true, secret: false,
      summary: "PEM private key of the certificate."),
    .init(
      key: "tls.client_ca", kind: .path, defaultValue: "", reloadable: true, secret: false,
      summary: "CA bundle for client-certificate login. Empty: password login only."),
    .init(
      key: "admin.max_sessions", kind: .integer(1...100_000), defaultValue: "4096",
      reloadable: true, secret: false,
      summary: "Admin sessions open at once, all addresses together; more are refused."),
    .init(
      key: "admin.max_sessions_per_address", kind: .integer(1...100_000), defaultValue: "32",
      reloadable: true, secret: false,
      summary: "Admin sessions open at once from one client address; more are refused."),
    .init(
      key: "admin.handshake_timeout", kind: .duration(.milliseconds(100)...(.seconds(300))),
      defaultValue: "10s", reloadable: true, secret: false,
      summary: "Limit for a new connection to finish its TLS handshake."),
    .init(
      key: "admin.login_timeout", kind: .duration(.milliseconds(100)...(.seconds(3600))),
      defaultValue: "60s", reloadable: true, secret: false,
      summary: "Limit from the handshake (or a LOGOUT) to a successful LOGIN."),
    .init(
      key: "admin.partial_line_timeout", kind: .duration(.milliseconds(100)...(.seconds(3600))),
      defaultValue: "30s", reloadable: true, secret: false,
      summary: "Limit for a request line to be complete after its first byte."),
    .init(
      key: "admin.idle_timeout_before_login",
      kind: .duration(.milliseconds(100)...(.seconds(3600))), defaultValue: "30s",
      reloadable: true, secret: false,
      summary: "A session without a request for this long before login is closed."),
    .init(
      key: "admin.idle_timeout", kind: .duration(.milliseconds(100)...(.seconds(86_400))),
      defaultValue: "10m", reloadable: true, secret: false,
      summary: "A logged-in session without a request for this long is closed."),
    .init(
      key: "admin.shutdown_grace", kind: .duration(.milliseconds(0)...(.seconds(300))),
      defaultValue: "10s", reloadable: true, secret: false,
      summary: "On SIGTERM, how long sessions may finish their command before they are dropped."),
    .init(
      key: "calendar.file", kind: .path, defaultValue: "", reloadable: true, secret: false,
      summary:
        "Statutory working-day calendar. Empty: Config/calendar/cn-statutory.toml of the installation."
    ),
    .init(
      key: "calendar.fallback", kind: .choice(["refuse", "weekdays"]), defaultValue: "refuse",
      reloadable: true, secret: false,
      summary:
        "A deadline in a year the calendar has no data for: refuse it (the default; add the "
        + "State Council's arrangement to the calendar file), or count Monday to Friday as "
        + "working days and warn."),
    .init(
      key: "charters.directory", kind: .path, defaultValue: "", reloadable: true, secret: false,
      summary: "Folder of charter profiles. Empty: Config/charters of the installation."),
    .init(
      key: "scheduler.lease", kind: .duration(.seconds(1)...(.seconds(86_400))),
      defaultValue: "60s", reloadable: false, secret: false,
      summary:
        "How long a claimed deadline job is this daemon's; a crashed daemon's jobs run elsewhere "
        + "once it expires. Must cover a claimed batch's wait for a worker."),
    .init(
      key: "delivery.webhook_allowed_networks", kind: .string, defaultValue: "",
      reloadable: false, secret: false,
      summary:
        "Networks (CIDR, comma-separated, e.g. 10.20.0.0/16) that webhook targets may be in "
        + "besides public addresses. Empty: loopback, link-local and private ranges are refused "
        + "(RELIABILITY S8)."),
    .init(
      key: "delivery.lease", kind: .duration(.seconds(1)...(.seconds(86_400))),
      defaultValue: "15m", reloadable: false, secret: false,
      summary:
        "How long a claimed notice delivery is this daemon's; a crashed daemon's deliveries are "
        + "sent again once it expires. Keep it above the SMTP transfer limit (14 min), or a slow "
        + "server may get a message twice."),
    .init(
      key: "log.level", kind: .choice(["trace", "debug", "info", "notice", "warning", "error"]),
      defaultValue: "info", reloadable: true, secret: false, summary: "Least severe level logged."),
    .init(
      key: "log.format", kind: .choice(["auto", "text", "json"]), defaultValue: "auto",
      reloadable: true,
      secret: false, summary: "auto: text on a terminal, JSON lines otherwise."),
    .init(
      key: "metrics.listen", kind: .optionalAddress, defaultValue: "", reloadable: false,
      secret: false,
      summary:
        "Address and port of the Prometheus metrics endpoint (plain HTTP, GET /metrics), "
        + "e.g. 127.0.0.1:9433; keep it on localhost. Empty: off."),
  ]

  public static func named(_ key: String) -> ConfigurationOption? {
    all.first { $0.key == key }
  }
}
