import CharterProtocol
import CharterTLS
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A small admin server for the shell's tests, until charterd's admin server is on main:
/// the real TLS server session and the real protocol state machine (`AdminSession`), with
/// handlers for LOGIN (fixed passwords), LOGOUT, WHOAMI, TENANT LIST and TENANT USE. One
/// thread per connection, blocking poll(2) loops.
final class TestAdminServer: @unchecked Sendable {
  static let operatorName = "alice"
  static let tenantAdministratorName = "bob"
  static let password = "correct horse battery staple"
  static let tenants = [
    ["aitisa", "中关村视听产业技术创新联盟", "active", "2026-11-20"],
    ["cesa", "中国电子工业标准化技术协会", "active", "2026-11-20"],
  ]

  let port: UInt16
  let identity: SelfSignedServerIdentity
  let folder: String
  private let listener: Int32
  private let context: TLSServerContext
  private let lock = NSLock()
  private var stopping = false
  private let acceptFinished = DispatchSemaphore(value: 0)
  private var peerSubjects: [String] = []

  /// The subjects of the client certificates verified so far (with a client CA configured).
  var clientCertificateSubjects: [String] { lock.withLock { peerSubjects } }

  /// A server with a new self-signed identity in a new temporary folder, or with the
  /// certificate `configuration` names (signed by a test CA).
  init(configuration: TLSServerConfiguration? = nil) throws {
    folder = NSTemporaryDirectory() + "charter-shell-server-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    identity = try SelfSignedServerIdentity.loadOrCreate(in: folder)
    context = try TLSServerContext(configuration ?? TLSServerConfiguration(identity))
    signal(SIGPIPE, SIG_IGN)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var reuse: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(fd, 16) == 0 else {
      close(fd)
      throw POSIXError(.EADDRINUSE)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    listener = fd
    port = UInt16(bigEndian: address.sin_port)
    Thread { [self] in acceptLoop() }.start()
  }

  var address: String { "127.0.0.1:\(port)" }

  func stop() {
    lock.withLock { stopping = true }
    acceptFinished.wait()
    close(listener)
    try? FileManager.default.removeItem(atPath: folder)
  }

  private var isStopping: Bool { lock.withLock { stopping } }

  private func acceptLoop() {
    defer { acceptFinished.signal() }
    while !isStopping {
      var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
      guard poll(&entry, 1, 50) > 0 else { continue }
      let connection = accept(listener, nil, nil)
      guard connection >= 0 else { continue }
      _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
      _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK)
      let context = self.context
      Thread { [self] in
        serve(connection, context: context)
        close(connection)
      }.start()
    }
  }

  /// Waits for readiness; false after 30 s or when the server stops.
  private func wait(_ fd: Int32, forWrite: Bool) -> Bool {
    for _ in 0..<300 {
      if isStopping { return false }
      var entry = pollfd(fd: fd, events: Int16(forWrite ? POLLOUT : POLLIN), revents: 0)
      if poll(&entry, 1, 100) > 0 { return true }
    }
    return false
  }

  private func serve(_ fd: Int32, context: TLSServerContext) {
    guard let tls = try? context.makeSession(fileDescriptor: fd) else { return }
    defer { tls.close() }
    handshake: while true {
      switch tls.handshake() {
      case .done: break handshake
      case .wantRead: if !wait(fd, forWrite: false) { return }
      case .wantWrite: if !wait(fd, forWrite: true) { return }
      case .failed: return
      }
    }
    if let peer = tls.verifiedPeerCertificate {
      lock.withLock { peerSubjects.append(peer.subject) }
    }
    var session = AdminSession(now: .now)
    var pending = session.handle(.handshakeCompleted, now: .now)
    var buffer = [UInt8](repeating: 0, count: 16_384)
    while true {
      while !pending.isEmpty {
        let action = pending.removeFirst()
        switch action {
        case .send(let bytes):
          guard writeAll(bytes, tls, fd) else { return }
          pending += session.handle(.outputWritten(bytes.count), now: .now)
        case .dispatch(let invocation):
          let outcome = Self.answer(invocation)
          pending += session.handle(.commandCompleted(outcome), now: .now)
        case .close:
          _ = tls.shutdown()
          return
        case .armTimer, .cancelTimer, .pauseReading, .resumeReading, .denied:
          break
        }
      }
      switch tls.read(into: &buffer) {
      case .bytes(let count):
        pending += session.handle(.bytesReceived(Array(buffer[0..<count])), now: .now)
      case .wantRead: if !wait(fd, forWrite: false) { return }
      case .wantWrite: if !wait(fd, forWrite: true) { return }
      case .closed, .failed: return
      }
    }
  }

  private func writeAll(_ bytes: [UInt8], _ tls: TLSServerSession, _ fd: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
      switch tls.write(Array(bytes[offset...])) {
      case .wrote(let count): offset += count
      case .wantRead: if !wait(fd, forWrite: false) { return false }
      case .wantWrite: if !wait(fd, forWrite: true) { return false }
      case .failed: return false
      }
    }
    return true
  }

  /// The handlers: just enough of the accounts module for the shell.
  static func answer(_ invocation: CommandInvocation) -> CommandOutcome {
    switch invocation.spec.name {
    case "LOGIN":
      let name = invocation.arguments.string("name") ?? ""
      guard invocation.arguments.string("password") == password else {
        return CommandOutcome(reply: .error(.authenticationFailed, "wrong name or password"))
      }
      switch name {
      case operatorName:
        return CommandOutcome(
          reply: .ok("logged in as \(name) (operator)"),
          change: .loggedIn(Principal(name: name, scope: .installation)))
      case tenantAdministratorName:
        return CommandOutcome(
          reply: .ok("logged in as \(name) (secretariat of aitisa)"),
          change: .loggedIn(Principal(name: name, scope: .tenant("aitisa", .secretariat))))
      default:
        return CommandOutcome(reply: .error(.authenticationFailed, "wrong name or password"))
      }
    case "LOGOUT":
      return CommandOutcome(reply: .ok("logged out"), change: .loggedOut)
    case "WHOAMI":
      guard let principal = invocation.principal else {
        return CommandOutcome(reply: .error(.notLoggedIn, "log in first"))
      }
      let row: [String]
      switch principal.scope {
      case .installation:
        row = [principal.name, "installation", "operator", invocation.tenant ?? ""]
      case .tenant(let slug, let role):
        row = [principal.name, "tenant", role.rawValue, slug]
      }
      return CommandOutcome(
        reply: .table(columns: ["name", "scope", "role", "tenant"], rows: [row], status: .ok("")))
    case "TENANT LIST":
      return CommandOutcome(
        reply: .table(
          columns: ["slug", "name", "status", "created"], rows: tenants,
          status: .ok("\(tenants.count) tenants")))
    case "AUDIT TAIL":
      // Slow on purpose: the shell must survive a Ctrl-C while it waits.
      Thread.sleep(forTimeInterval: 1.5)
      return CommandOutcome(
        reply: .table(
          columns: ["at", "admin", "tenant", "command", "outcome"],
          rows: [["2026-11-21T08:02:11+08:00", "alice", "aitisa", "TENANT USE \"aitisa\"", "ok"]],
          status: .ok("1 record")))
    case "TENANT USE":
      let slug = invocation.arguments.string("slug") ?? ""
      guard tenants.contains(where: { $0[0] == slug }) else {
        return CommandOutcome(reply: .error(.notFound, "no tenant \(slug)"))
      }
      return CommandOutcome(reply: .ok("using tenant \(slug)"), change: .tenantSelected(slug))
    case "REGISTER EXPORT", "REGISTER IMPORT BEGIN", "REGISTER IMPORT ROWS",
      "REGISTER IMPORT CHECK":
      return RegisterFixture.answer(invocation)
    default:
      return CommandOutcome(
        reply: .error(.internalError, "\(invocation.spec.name) is not in the test server"))
    }
  }
}

/// The register commands as the shell sees them (issue 5): REGISTER EXPORT answers CSV text
/// lines with a bare OK, or pages of them with `limit=` (`OK more: after=<n>`); the import
/// steps keep the text received, for the test to compare with the file sent.
enum RegisterFixture {
  static let header = "\u{FEFF}name,kind,credit_code,tier,status"
  static let members = [
    "\"北京示例科技有限公司, 第一分公司\",unit,91110000MA01000001,director,member",
    "\"张\"\"小\"\"三\",individual,,member,former",
    "内蒙古示例数据有限公司,unit,91150100MA0N000002,member,suspended",
  ]
  static let received = NSLock()
  nonisolated(unsafe) static var receivedText = ""

  static func answer(_ invocation: CommandInvocation) -> CommandOutcome {
    let batch = "7e1f0a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"
    switch invocation.spec.name {
    case "REGISTER EXPORT":
      guard let limit = invocation.arguments.integer("limit") else {
        return CommandOutcome(reply: .text([header] + members, status: .ok("")))
      }
      let start = Int(invocation.arguments.string("after") ?? "") ?? 0
      let page = Array(members.dropFirst(start).prefix(limit))
      let more = start + page.count < members.count && page.count == limit
      return CommandOutcome(
        reply: .text(
          (start == 0 ? [header] : []) + page,
          status: .ok(more ? "more: after=\(start + page.count)" : "")))
    case "REGISTER IMPORT BEGIN":
      received.withLock { receivedText = "" }
      return CommandOutcome(reply: .text(["batch: \(batch)"], status: .ok("import batch \(batch)")))
    case "REGISTER IMPORT ROWS":
      let text = invocation.arguments.string("text") ?? ""
      received.withLock { receivedText += text }
      return CommandOutcome(reply: .ok("batch \(batch): \(text.count) characters"))
    default:
      let count = received.withLock { receivedText.count }
      return CommandOutcome(
        reply: .text(
          ["ready: REGISTER IMPORT APPLY \(batch)"],
          status: .ok("dry run: \(count) characters checked; nothing changed")))
    }
  }
}
