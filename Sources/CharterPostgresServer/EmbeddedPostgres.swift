public import Foundation

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// A private PostgreSQL cluster in a folder of ours: the daemon's embedded default and the
/// test suite's throwaway servers.
///
/// Layout under `directory`: `data/` (the cluster), `run/` (the unix socket: it listens on
/// no TCP address), `server.log` and `tools.log`. PostgreSQL refuses to run as root, so
/// when we are root every server program runs as the `postgres` user (runuser), and the
/// folder is handed to that user. The cluster trusts connections on its socket, which only
/// its owner (and root) can reach: the socket folder is mode 0700.
public struct EmbeddedPostgres: Sendable {
  public struct Options: Sendable {
    /// Extra server settings written to the cluster's configuration at creation.
    public var settings: [String: String] = [:]
    /// Test clusters trade durability for speed (fsync off); the daemon never does.
    public var durable: Bool = true
    public var port: Int = 5432
    public init() {}
  }

  public let directory: URL
  public let binaries: PostgresBinaries
  public let options: Options

  public var dataDirectory: URL { directory.appendingPathComponent("data") }
  public var socketDirectory: URL { directory.appendingPathComponent("run") }
  public var serverLog: URL { directory.appendingPathComponent("server.log") }
  var toolsLog: URL { directory.appendingPathComponent("tools.log") }

  public init(directory: URL, binaries: PostgresBinaries, options: Options = Options()) {
    self.directory = directory.standardizedFileURL
    self.binaries = binaries
    self.options = options
  }

  public struct SetupError: Error, CustomStringConvertible {
    public var description: String
  }

  /// A connection URL for `user` and `database` over the private socket.
  public func url(user: String = "postgres", database: String = "postgres") -> String {
    var components = URLComponents()
    components.scheme = "postgres"
    components.user = user
    components.host = ""
    components.path = "/" + database
    components.queryItems = [
      URLQueryItem(name: "host", value: socketDirectory.path),
      URLQueryItem(name: "port", value: String(options.port)),
    ]
    return components.string ?? "postgres://\(user)@/\(database)?host=\(socketDirectory.path)"
  }

  public var isInitialized: Bool {
    FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
  }

  /// Creates the cluster unless it exists. Returns true when it was created now.
  @discardableResult
  public func initializeIfNeeded() throws -> Bool {
    if isInitialized { return false }
    try prepareDirectory()
    try runAsOwner(
      [
        binaries.initdb, "-D", dataDirectory.path, "-U", "postgres", "--auth=trust",
        "--locale=C", "-E", "UTF8",
      ] + (options.durable ? [] : ["--no-sync"]))
    try writeSettings()
    return true
  }

  /// Whether a postmaster serves this data directory now (pg_ctl status).
  public var isRunning: Bool {
    guard isInitialized else { return false }
    let status = try? ChildProcess.run(
      ownerCommand([binaries.pgCtl, "-D", dataDirectory.path, "status"]), logFile: toolsLog)
    return status == 0
  }

  /// Starts the server and waits until it accepts connections. A server already running
  /// on this data directory (left by a crashed daemon) is reused.
  public func start() throws {
    if isRunning { return }
    try runAsOwner([
      binaries.pgCtl, "-D", dataDirectory.path, "-l", serverLog.path, "-w", "-t", "120", "start",
    ])
  }

  /// Stops the server: `fast` rolls back open transactions and disconnects clients.
  public func stop(mode: String = "fast") throws {
    guard isRunning else { return }
    try runAsOwner([
      binaries.pgCtl, "-D", dataDirectory.path, "-m", mode, "-w", "-t", "120", "stop",
    ])
  }

  public func restart(mode: String = "fast") throws {
    try runAsOwner([
      binaries.pgCtl, "-D", dataDirectory.path, "-l", serverLog.path, "-m", mode, "-w", "-t", "120",
      "restart",
    ])
  }

  /// Stops the server and deletes the folder: for throwaway clusters only.
  public func destroy() throws {
    try? stop(mode: "immediate")
    try FileManager.default.removeItem(at: directory)
  }

  // MARK: - Set-up

  private var runsAsRoot: Bool { geteuid() == 0 }

  private func prepareDirectory() throws {
    let socketPath = socketDirectory.appendingPathComponent(".s.PGSQL.\(options.port)").path
    guard socketPath.utf8.count <= 107 else {
      throw SetupError(
        description:
          "the data folder path is too long for a unix socket (\(socketPath.utf8.count) > 107 bytes): "
          + "choose a shorter --data-dir")
    }
    let fileManager = FileManager.default
    try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
    try fileManager.createDirectory(at: socketDirectory, withIntermediateDirectories: true)
    chmod(directory.path, 0o700)
    chmod(socketDirectory.path, 0o700)
    guard runsAsRoot else { return }
    guard let account = getpwnam("postgres") else {
      throw SetupError(description: "running as root needs a 'postgres' user to run PostgreSQL as")
    }
    let (uid, gid) = (account.pointee.pw_uid, account.pointee.pw_gid)
    for url in [directory, socketDirectory] where chown(url.path, uid, gid) != 0 {
      throw SetupError(
        description:
          "cannot hand \(url.path) to the postgres user: \(String(cString: strerror(errno)))")
    }
    // The postgres user must be able to reach the folder: every parent needs search (x).
    var parent = directory.deletingLastPathComponent()
    while parent.path != "/" {
      var info = stat()
      if stat(parent.path, &info) == 0, info.st_mode & 0o001 == 0, info.st_uid != uid {
        throw SetupError(
          description:
            "the postgres user cannot reach \(directory.path): \(parent.path) is not searchable by others; "
            + "choose a data folder elsewhere (e.g. /var/lib/charter) or chmod o+x \(parent.path)")
      }
      parent = parent.deletingLastPathComponent()
    }
  }

  private func writeSettings() throws {
    var settings: [(String, String)] = [
      ("listen_addresses", "''"),
      ("unix_socket_directories", quoted(socketDirectory.path)),
      ("unix_socket_permissions", "0700"),
      ("port", String(options.port)),
    ]
    if !options.durable {
      settings += [("fsync", "off"), ("full_page_writes", "off"), ("synchronous_commit", "off")]
    }
    settings += options.settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    let text =
      "\n# Written by Charter when it created this cluster.\n"
      + settings.map { "\($0.0) = \($0.1)" }.joined(separator: "\n") + "\n"
    let configuration = dataDirectory.appendingPathComponent("postgresql.conf")
    let handle = try FileHandle(forWritingTo: configuration)
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
  }

  private func quoted(_ value: String) -> String {
    "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
  }

  private func ownerCommand(_ arguments: [String]) -> [String] {
    runsAsRoot ? [Self.runuser, "-u", "postgres", "--"] + arguments : arguments
  }

  private func runAsOwner(_ arguments: [String]) throws {
    try ChildProcess.check(ownerCommand(arguments), logFile: toolsLog)
  }

  private static let runuser: String =
    ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    } ?? "runuser"
}
