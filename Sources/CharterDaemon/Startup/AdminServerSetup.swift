import CharterAccounts
import CharterAdminServer
import CharterPostgres
import CharterProtocol
import CharterStore
import CharterTLS
import Foundation
import Logging

/// What `charterd run` needs to start the admin server: its settings and TLS context from
/// the configuration, and the command handlers.
enum AdminServerSetup {
  /// The first start creates operator `admin` with a one-time password in a 0600 file of
  /// the data folder; say where.
  static func ensureFirstOperator(database: Database, dataDirectory: URL) async throws {
    if let file = try await FirstOperator.ensure(database: database, dataDirectory: dataDirectory) {
      DaemonLog.info(
        "created the first operator '\(FirstOperator.login)'; its one-time password is in "
          + "\(file.path) (mode 0600); the first login must change it")
    }
  }

  static func settings(_ configuration: Configuration) throws -> AdminServerSettings {
    guard let address = ListenAddress(configuration["listen"]) else {
      throw AdminServerError("listen: not HOST:PORT: \(configuration["listen"])")
    }
    var limits = SessionLimits()
    limits.handshakeTimeout = configuration.duration("admin.handshake_timeout")
    limits.loginTimeout = configuration.duration("admin.login_timeout")
    limits.partialLineTimeout = configuration.duration("admin.partial_line_timeout")
    limits.idleTimeoutBeforeLogin = configuration.duration("admin.idle_timeout_before_login")
    limits.idleTimeout = configuration.duration("admin.idle_timeout")
    return AdminServerSettings(
      host: address.host, port: address.port, limits: limits,
      maxSessions: Int(configuration["admin.max_sessions"]) ?? 4_096,
      maxSessionsPerAddress: Int(configuration["admin.max_sessions_per_address"]) ?? 32,
      shutdownGrace: configuration.duration("admin.shutdown_grace"))
  }

  /// The configured certificate, or the self-signed one of the data folder (made on first
  /// use), whose fingerprint is logged with the way to connect.
  static func tlsContext(_ configuration: Configuration) throws -> TLSServerContext {
    let clientCA = configuration["tls.client_ca"].isEmpty ? nil : configuration["tls.client_ca"]
    let context: TLSServerContext
    if configuration["tls.certificate"].isEmpty {
      let folder = configuration.dataDirectory.path
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
      let identity = try SelfSignedServerIdentity.loadOrCreate(in: folder)
      context = try TLSServerContext(
        TLSServerConfiguration(identity, clientCertificateAuthorityFile: clientCA))
      DaemonLog.info(
        "TLS: \(identity.created ? "generated" : "using") the self-signed certificate "
          + "\(identity.certificateFile); SHA-256 fingerprint \(identity.fingerprint); "
          + "written to \(identity.fingerprintFile)")
    } else {
      context = try TLSServerContext(
        TLSServerConfiguration(
          certificateChainFile: configuration["tls.certificate"],
          privateKeyFile: configuration["tls.key"], clientCertificateAuthorityFile: clientCA))
      DaemonLog.info(
        "TLS: certificate \(configuration["tls.certificate"]) "
          + "(SHA-256 fingerprint \(context.certificate.fingerprint))")
    }
    if let clientCA { DaemonLog.info("TLS: client certificates verified against \(clientCA)") }
    return context
  }

  /// How an operator connects: the shell's command line with host, port and, for the
  /// self-signed certificate, the file holding the pin.
  static func connectHint(_ configuration: Configuration, port: UInt16) -> String {
    let host = ListenAddress(configuration["listen"])?.host ?? "127.0.0.1"
    let reachable = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host
    let target = reachable.contains(":") ? "[\(reachable)]:\(port)" : "\(reachable):\(port)"
    guard configuration["tls.certificate"].isEmpty else { return "connect with: charter \(target)" }
    let pinFile = configuration.dataDirectory.appendingPathComponent("tls/fingerprint.sha256")
    return "connect with: charter --fingerprint-file \(pinFile.path) \(target)"
  }

  /// The server's lines with their fields (session, address, admin, tenant, request,
  /// command) as log metadata: key=value in text, fields in JSON lines.
  static let log: AdminServerLog = { level, message, fields in
    let metadata = fields.mapValues { Logger.MetadataValue.string($0) }
    switch level {
    case .debug: DaemonLog.debug(message, metadata)
    case .info: DaemonLog.info(message, metadata)
    case .warning: DaemonLog.warning(message, metadata)
    case .error: DaemonLog.error(message, metadata)
    }
  }
}
