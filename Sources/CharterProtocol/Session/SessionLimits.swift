/// Every limit of an admin session, with the default and the reason for it (RELIABILITY
/// §7.4, P1–P5). The network layer reads the same values for what it enforces itself.
public struct SessionLimits: Hashable, Sendable {
  /// From accept to the end of the TLS handshake. 10 s: Postfix `smtpd_starttls_timeout`
  /// is 300 s for mail, but a stalled handshake costs a descriptor and the admin shell
  /// needs well under a second (RELIABILITY T3).
  public var handshakeTimeout: Duration = .seconds(10)
  /// From the end of the handshake (or a LOGOUT) to a successful LOGIN. 60 s: Dovecot
  /// closes pre-login connections after 3 minutes; an admin types a password faster.
  public var loginTimeout: Duration = .seconds(60)
  /// A line must be complete this long after its first octet arrived (slowloris, P3;
  /// Postfix `smtpd_per_request_deadline`).
  public var partialLineTimeout: Duration = .seconds(30)
  /// No request and no command running for this long before login closes the session.
  public var idleTimeoutBeforeLogin: Duration = .seconds(30)
  /// ... and after login. 10 min: Postfix `smtpd_timeout` is 300 s for machines; a person
  /// reads a listing before the next command.
  public var idleTimeout: Duration = .seconds(600)

  /// Longest request line before login, without its LF/CRLF: 1,000 octets, the SMTP figure
  /// (RFC 5321 §4.5.3.1.6); LOGIN with a long password fits.
  public var maxLineLengthBeforeLogin = 1_000
  /// A line past this before login closes the connection instead of getting an error.
  public var lineHardCapBeforeLogin = 8_192
  /// Longest request line after login: 64 KiB (Redis `PROTO_INLINE_MAX_SIZE`), room for a
  /// notice text.
  public var maxLineLength = 65_536
  /// A line past this after login closes the connection: 1 MiB.
  public var lineHardCap = 1 << 20
  /// Octets a client may send before its LOGIN succeeds, then it is disconnected: 16 KiB
  /// (Redis PR #9588, CVE-2021-32675: unauthenticated clients could grow buffers). Lines
  /// pipelined behind LOGIN count too: a script waits for the LOGIN reply.
  public var preLoginByteBudget = 16_384

  /// Unsent reply octets tolerated before login: 64 KiB (RELIABILITY P2).
  public var maxUnsentOutputBeforeLogin = 65_536
  /// Unsent reply octets tolerated after login; past it the client, which does not read, is
  /// disconnected (Redis `client-output-buffer-limit`, P4). 16 MiB holds the largest
  /// listing of a big tenant.
  public var maxUnsentOutput = 16 << 20

  /// Above this many unsent octets no further request is started until the client reads:
  /// replies to a long pipelined batch wait in the client's requests, not in our memory.
  /// 1 MiB.
  public var outputHighWater = 1 << 20
  /// Unsent output that makes no progress for this long closes the session: a client that
  /// stops reading halfway is not kept forever (Postfix `smtpd_timeout` covers writes too).
  public var writeStallTimeout: Duration = .seconds(60)

  /// Requests decoded but not yet run; past it the session asks the network layer to stop
  /// reading (`pauseReading`) until half of them are done. Pipelining stays bounded without
  /// punishing a script that sends a long batch.
  public var maxQueuedRequests = 1_024

  /// Invalid requests (and failed logins) before replies are delayed, by
  /// `errorDelay` × (errors − soft limit): Postfix `smtpd_soft_error_limit` 10 and
  /// `smtpd_error_sleep_time` 1 s.
  public var softErrorLimit = 10
  public var errorDelay: Duration = .seconds(1)
  /// Invalid requests before the session is closed: Postfix `smtpd_hard_error_limit` 20
  /// (P5).
  public var hardErrorLimit = 20

  /// How long the network layer keeps writing after a `close` whose reason keeps unsent
  /// output (a goodbye line), before it drops the connection anyway.
  public var closeFlushTimeout: Duration = .seconds(5)

  public init() {}

  public static let `default` = SessionLimits()
}
