public import CharterTLS

#if canImport(Glibc)
  import Glibc
#endif

/// Opens the TLS connection and decides whether to trust the server: a pinned
/// fingerprint, a CA file, trust on first use through the known-hosts file, or (only when
/// asked) nothing. A refusal is loud and ends the shell with status 3.
public struct ServerConnector {
  public let options: ShellOptions
  public let knownHostsFile: String?
  /// Whether a person can be asked to confirm a new server (a terminal on both ends).
  public let canAsk: Bool

  public init(options: ShellOptions, knownHostsFile: String?, canAsk: Bool) {
    self.options = options
    self.knownHostsFile = knownHostsFile
    self.canAsk = canAsk
  }

  public func connect() throws(ShellFailure) -> AdminConnection {
    let address = options.address
    let client: TLSClient
    switch options.trust {
    case .insecure:
      Console.complain(
        "WARNING: --insecure: the server's certificate is not checked; anyone in the middle can read this session"
      )
      client = try open(.insecureNoVerification)
    case .certificateAuthority(let file):
      client = try open(.certificateAuthority(file: file))
    case .fingerprint(let text):
      guard let pin = TLSFingerprint(parsing: text) else {
        throw ShellFailure(
          .usage, "--fingerprint \(text) is not a SHA-256 fingerprint (AB:CD:... or 64 hex digits)")
      }
      client = try open(.pinnedFingerprint(pin), pinSource: "--fingerprint")
    case .fingerprintFile(let file):
      let pin = try Self.fingerprint(inFile: file)
      client = try open(.pinnedFingerprint(pin), pinSource: "--fingerprint-file \(file)")
    case .knownHosts:
      client = try connectTrustingOnFirstUse()
    }
    return AdminConnection(client: client, address: address, timeoutSeconds: options.timeoutSeconds)
  }

  /// The fingerprint in a file such as charterd's `tls/fingerprint.sha256` (line 1
  /// `AB:CD:…`, line 2 `abcd…`): the first line that parses.
  public static func fingerprint(inFile file: String) throws(ShellFailure) -> TLSFingerprint {
    let text: String?
    do {
      text = try TextFiles.read(file, limit: 64 << 10)
    } catch {
      throw ShellFailure(.usage, "--fingerprint-file: \(error)")
    }
    guard let text else { throw ShellFailure(.usage, "--fingerprint-file: no file \(file)") }
    for line in text.split(whereSeparator: \.isNewline) {
      if let fingerprint = TLSFingerprint(parsing: String(line)) { return fingerprint }
    }
    throw ShellFailure(.usage, "--fingerprint-file: \(file) holds no SHA-256 fingerprint")
  }

  private func connectTrustingOnFirstUse() throws(ShellFailure) -> TLSClient {
    let address = options.address
    guard let file = knownHostsFile else {
      throw ShellFailure(
        .usage,
        "no home folder for the known-hosts file; give --known-hosts FILE, --fingerprint or --ca-file"
      )
    }
    let knownHosts: KnownHosts
    do {
      knownHosts = KnownHosts(parsing: try TextFiles.read(file) ?? "")
    } catch {
      throw ShellFailure(.connection, "\(error)")
    }
    for problem in knownHosts.problems {
      Console.complain("\(file) line \(problem.line) ignored: \(problem.reason)")
    }
    if let entry = knownHosts.entry(for: address) {
      do {
        return try TLSClient(
          host: address.host, port: address.port,
          configuration: configuration(.pinnedFingerprint(entry.fingerprint)))
      } catch let mismatch as TLSPinMismatchError {
        throw ShellFailure(
          .connection,
          Self.changedCertificateMessage(address, mismatch, file: file, line: entry.line))
      } catch {
        throw Self.failure(error, address)
      }
    }
    // First contact: take the certificate as presented, show it, remember it.
    let client = try open(.insecureNoVerification)
    let fingerprint = client.serverCertificate.fingerprint
    if canAsk {
      let question =
        "The server \(address) is not in \(file).\n"
        + "Its certificate's SHA-256 fingerprint is\n    \(fingerprint.uppercaseWithColons)\n"
        + "Compare it with <data dir>/tls/fingerprint.sha256 on the server (or ask its operator).\n"
        + "Trust it and remember it (yes/no)? "
      let answer: String
      do {
        answer = try TerminalPrompt.line(question)
      } catch {
        client.close()
        throw ShellFailure(.connection, "server not trusted; nothing sent")
      }
      guard ["yes", "y"].contains(answer.trimming(" \t").lowercased()) else {
        client.close()
        throw ShellFailure(.connection, "server not trusted; nothing sent")
      }
    } else {
      Console.complain(
        "new server \(address): trusting its certificate on first use,\n"
          + "SHA-256 fingerprint \(fingerprint.uppercaseWithColons), remembered in \(file)")
    }
    do {
      let existing = try TextFiles.read(file)
      let header = (existing ?? "").isEmpty ? KnownHosts.header : ""
      try TextFiles.append(
        header + KnownHosts.line(for: address, fingerprint: fingerprint), to: file)
    } catch {
      Console.complain("cannot remember the server: \(error)")
    }
    return client
  }

  static func changedCertificateMessage(
    _ address: ServerAddress, _ mismatch: TLSPinMismatchError, file: String, line: Int
  ) -> String {
    """
    @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
    @   WARNING: THE CERTIFICATE OF \(address) HAS CHANGED!
    @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
    Someone could be intercepting this connection (a man-in-the-middle attack),
    or the server's certificate was replaced (renewed, or the data folder rebuilt).
    The server now presents the SHA-256 fingerprint
        \(mismatch.presented.uppercaseWithColons)
    but \(file) line \(line) remembers
        \(mismatch.expected.uppercaseWithColons)
    Refused: nothing was sent. If the change is expected, check the new fingerprint
    with the server's operator (charterd writes it to <data dir>/tls/fingerprint.sha256),
    then delete line \(line) of \(file) and connect again.
    """
  }

  private func open(_ verification: TLSServerVerification, pinSource: String? = nil)
    throws(ShellFailure) -> TLSClient
  {
    let address = options.address
    do {
      return try TLSClient(
        host: address.host, port: address.port, configuration: configuration(verification))
    } catch let mismatch as TLSPinMismatchError {
      throw ShellFailure(
        .connection,
        """
        the server \(address) presents the certificate with SHA-256 fingerprint
            \(mismatch.presented.uppercaseWithColons)
        but \(pinSource ?? "the pin") expects
            \(mismatch.expected.uppercaseWithColons)
        Refused: nothing was sent. If the certificate was renewed, update your pin.
        """)
    } catch {
      throw Self.failure(error, address)
    }
  }

  private func configuration(_ verification: TLSServerVerification) -> TLSClientConfiguration {
    TLSClientConfiguration(
      verification: verification, clientCertificateFile: options.certificateFile,
      clientPrivateKeyFile: options.keyFile, timeoutSeconds: options.timeoutSeconds)
  }

  private static func failure(_ error: any Error, _ address: ServerAddress) -> ShellFailure {
    if let error = error as? TLSError {
      switch error.code {
      case .connect, .timeout:
        var text = error.code == .timeout ? "\(address) did not answer in time" : error.reason
        if let errno = error.systemErrno { text += " (\(String(cString: strerror(errno))))" }
        return ShellFailure(.connection, text)
      case .verification:
        return ShellFailure(
          .connection,
          "the server \(address) failed certificate verification: \(error.verifyResult ?? error.reason)"
        )
      default:
        return ShellFailure(.connection, "TLS with \(address) failed: \(error)")
      }
    }
    return ShellFailure(.connection, "cannot connect to \(address): \(error)")
  }
}
