import CharterAdminServer
import CharterProtocol
import CharterTLS
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The admin server in process, over real TLS with a certificate made for the test
/// (issue 3, Daemon side 2; RELIABILITY §7.3–7.4).
@Suite("Admin server", .serialized)
struct AdminServerTests {
  @Test func aPinnedSwiftClientGetsPingAnswered() async throws {
    let server = try TestServer()
    let client = try server.connect()
    try client.writeLine("PING")
    #expect(try client.readLine() == "OK PONG")
    #expect(client.protocolVersion == "TLSv1.3")
    try client.writeLine("QUIT")
    #expect(try client.readLine() == "OK bye")
    #expect(try client.readLine() == nil, "QUIT closes the connection")
    await server.stop()
  }

  @Test func anIPv6ListenerServesAndSeesTheIPv6Peer() async throws {
    var registry = AdminCommandRegistry.builtIn()
    registry.register("LOGIN") { context in
      CommandOutcome(reply: .error(.authenticationFailed, "from \(context.peer.address)"))
    }
    let server = try TestServer(registry: registry, host: "::1")
    let client = try server.connect(host: "::1")
    try client.writeLine("PING")
    #expect(try client.readLine() == "OK PONG")
    try client.writeLine("LOGIN alice secret")
    #expect(try client.readLine() == "ERR AUTH_FAILED from ::1")
    await server.stop()
  }

  @Test func aVerifiedClientCertificateReachesHandlersInPeerInfo() async throws {
    let folder = NSTemporaryDirectory() + "charter-client-ca-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let authority = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "Charter test CA", role: .certificateAuthority))
    try authority.write(certificateTo: folder + "/ca.pem", privateKeyTo: folder + "/ca.key")
    let alice = try TLSIdentity.generate(
      TLSCertificateProfile(commonName: "alice", role: .client), signedBy: authority)
    try alice.write(certificateTo: folder + "/alice.pem", privateKeyTo: folder + "/alice.key")

    var registry = AdminCommandRegistry.builtIn()
    registry.register("LOGIN") { context in
      let peer = context.peer
      return CommandOutcome(
        reply: .error(
          .authenticationFailed,
          "\(peer.clientCertificateSubject ?? "none") \(peer.clientCertificateFingerprint ?? "none")"
        ))
    }
    let server = try TestServer(
      registry: registry, clientCertificateAuthorityFile: folder + "/ca.pem")
    let withCertificate = try TLSClient(
      host: "127.0.0.1", port: server.port,
      configuration: TLSClientConfiguration(
        verification: .pinnedFingerprint(server.identity.fingerprint),
        clientCertificateFile: folder + "/alice.pem", clientPrivateKeyFile: folder + "/alice.key"))
    try withCertificate.writeLine("LOGIN alice")
    #expect(
      try withCertificate.readLine()
        == "ERR AUTH_FAILED CN=alice \(alice.certificate.fingerprint.lowercaseHex)")
    let without = try server.connect()
    try without.writeLine("LOGIN alice")
    #expect(try without.readLine() == "ERR AUTH_FAILED none none", "password login stays open")
    await server.stop()
  }

  @Test func aThousandPipelinedPingsGetAThousandRepliesInOrder() async throws {
    let server = try TestServer()
    let client = try server.connect()
    // PING with a distinct argument would be refused; HELP PING in between proves order.
    var batch = ""
    for index in 0..<1_000 { batch += index == 500 ? "HELP PING\n" : "PING\n" }
    let start = ContinuousClock.now
    try client.write(Array(batch.utf8))
    var statusLines: [String] = []
    while statusLines.count < 1_000, let line = try client.readLine() {
      if line.hasPrefix("OK") || line.hasPrefix("ERR") || line.hasPrefix("BYE") {
        statusLines.append(line)
      }
    }
    let elapsed = ContinuousClock.now - start
    print("1,000 pipelined requests answered in \(elapsed)")
    #expect(statusLines.count == 1_000)
    #expect(statusLines.filter { $0 == "OK PONG" }.count == 999)
    #expect(statusLines.firstIndex { $0 != "OK PONG" } == 500, "replies come in request order")
    #expect(elapsed < .seconds(20))
    await server.stop()
  }

  @Test func aCommandWithoutHandlerAnswersAClearError() async throws {
    let server = try TestServer()
    let client = try server.connect()
    try client.writeLine("LOGIN alice secret")
    let reply = try client.readLine() ?? ""
    #expect(reply.hasPrefix("ERR UNAVAILABLE LOGIN"), "\(reply)")
    try client.writeLine("PING")
    #expect(try client.readLine() == "OK PONG", "the session goes on")
    await server.stop()
  }

  @Test func aRegisteredHandlerRunsWithThePeerAndItsReplyComesBack() async throws {
    var registry = AdminCommandRegistry.builtIn()
    registry.register("LOGIN") { context in
      CommandOutcome(
        reply: .error(
          .authenticationFailed,
          "\(context.invocation.arguments.string("name") ?? "?") from \(context.peer.address)"))
    }
    let server = try TestServer(registry: registry)
    let client = try server.connect()
    try client.writeLine("LOGIN alice secret")
    #expect(try client.readLine() == "ERR AUTH_FAILED alice from 127.0.0.1")
    await server.stop()
  }

  @Test func aLineWithoutEndIsRefusedAndTheConnectionClosed() async throws {
    let server = try TestServer()
    let client = try server.connect()
    let chunk = [UInt8](repeating: UInt8(ascii: "A"), count: 64 * 1_024)
    // The server closes after 8 KiB before login; writing on may fail: that is the point.
    for _ in 0..<160 {  // 10 MiB
      do { try client.write(chunk) } catch { break }
    }
    let line = try? client.readLine()
    #expect(line?.hasPrefix("BYE LINE_TOO_LONG") == true, "\(line ?? "nil")")
    #expect(await server.waitForSessionCount(0))
    let next = try server.connect()
    try next.writeLine("PING")
    #expect(try next.readLine() == "OK PONG")
    await server.stop()
  }

  @Test func aSlowClientIsClosedAtThePartialLineTimeout() async throws {
    var limits = SessionLimits()
    limits.partialLineTimeout = .seconds(1)
    let server = try TestServer(limits: limits)
    let client = try server.connect()
    let start = Date()
    for byte in "PIN".utf8 {
      try? client.write([byte])
      try await Task.sleep(for: .milliseconds(400))
    }
    let line = try client.readLine()
    let elapsed = Date().timeIntervalSince(start)
    #expect(line?.hasPrefix("BYE TIMEOUT line incomplete") == true, "\(line ?? "nil")")
    #expect(elapsed < 6, "closed at about 1 s, not at a later default: \(elapsed) s")
    #expect(try client.readLine() == nil)
    await server.stop()
  }

  @Test func aClientThatNeverFinishesTheHandshakeIsClosedAtTheHandshakeTimeout() async throws {
    var limits = SessionLimits()
    limits.handshakeTimeout = .seconds(1)
    let server = try TestServer(limits: limits)
    let raw = try RawConnection(port: server.port)
    let seconds = raw.secondsUntilClosed(timeout: 5)
    #expect(seconds != nil, "the server closes a stalled handshake")
    #expect((seconds ?? 99) >= 0.8 && (seconds ?? 99) < 3, "\(seconds ?? -1) s")
    #expect(await server.waitForSessionCount(0))
    await server.stop()
  }

  @Test func stalledHandshakesAreAllClosedWhileAnAdministratorStillGetsIn() async throws {
    var limits = SessionLimits()
    limits.handshakeTimeout = .seconds(1)
    let server = try TestServer(limits: limits, maxSessionsPerAddress: 1_000)
    let opened = Date()
    let stalled = try (0..<300).map { _ in try RawConnection(port: server.port) }
    let start = Date()
    let client = try server.connect()
    try client.writeLine("PING")
    #expect(try client.readLine() == "OK PONG", "a real client is served meanwhile")
    let answeredAfter = Date().timeIntervalSince(start)
    let closedAfter = stalled.map { $0.secondsUntilClosed(timeout: 5) }
    let allClosed = Date().timeIntervalSince(opened)
    #expect(closedAfter.allSatisfy { $0 != nil }, "every stalled handshake is closed")
    #expect(allClosed < 3, "closed at the 1 s timeout, not later: \(allClosed) s")
    print(
      "300 stalled handshakes all closed \(allClosed) s after they connected; "
        + "a PING meanwhile took \(answeredAfter) s")
    #expect(answeredAfter < 1)
    #expect(await server.waitForSessionCount(1))
    await server.stop()
  }

  @Test func anIdleSessionIsClosedAtTheIdleTimeout() async throws {
    var limits = SessionLimits()
    limits.idleTimeoutBeforeLogin = .seconds(1)
    let server = try TestServer(limits: limits)
    let client = try server.connect()
    try client.writeLine("PING")
    #expect(try client.readLine() == "OK PONG")
    let start = Date()
    let line = try client.readLine()
    let elapsed = Date().timeIntervalSince(start)
    #expect(line?.hasPrefix("BYE TIMEOUT idle") == true, "\(line ?? "nil")")
    #expect(elapsed > 0.8 && elapsed < 8, "\(elapsed) s")
    await server.stop()
  }

  @Test func theConnectionPastThePerAddressCapIsRefusedWhileTheOthersWork() async throws {
    let server = try TestServer(maxSessionsPerAddress: 3)
    let first = try (0..<3).map { _ in try server.connect() }
    for client in first {
      try client.writeLine("PING")
      #expect(try client.readLine() == "OK PONG")
    }
    let fourth = try server.connect()
    let refusal = try fourth.readLine() ?? ""
    #expect(refusal.hasPrefix("BYE UNAVAILABLE too many sessions from 127.0.0.1"), "\(refusal)")
    #expect(try fourth.readLine() == nil)
    for client in first {
      try client.writeLine("PING")
      #expect(try client.readLine() == "OK PONG", "the first three still work")
    }
    first[0].close()
    #expect(await server.waitForSessionCount(2))
    let again = try server.connect()
    try again.writeLine("PING")
    #expect(try again.readLine() == "OK PONG", "a freed place can be taken")
    await server.stop()
  }

  @Test func aThousandConcurrentSessionsEachAnswerPing() async throws {
    let server = try TestServer(maxSessions: 2_000, maxSessionsPerAddress: 2_000)
    let start = ContinuousClock.now
    var clients: [TLSClient] = []
    for _ in 0..<1_000 { clients.append(try server.connect(timeoutSeconds: 30)) }
    #expect(await server.waitForSessionCount(1_000))
    let connected = ContinuousClock.now - start
    for client in clients { try client.writeLine("PING") }
    var answered = 0
    for client in clients where try client.readLine() == "OK PONG" { answered += 1 }
    #expect(answered == 1_000)
    let elapsed = ContinuousClock.now - start
    print(
      "1,000 sessions: connected in \(connected), all answered in \(elapsed)")
    #expect(elapsed < .seconds(120))
    for client in clients { client.close() }
    #expect(await server.waitForSessionCount(0, timeout: .seconds(20)))
    await server.stop()
  }

  @Test func aConnectionDroppedMidCommandLeavesTheServerHealthy() async throws {
    let started = Mutex(0)
    let finished = Mutex(0)
    var registry = AdminCommandRegistry.builtIn()
    registry.register("LOGIN") { _ in
      started.withLock { $0 += 1 }
      try? await Task.sleep(for: .milliseconds(300))
      finished.withLock { $0 += 1 }
      return CommandOutcome(reply: .error(.authenticationFailed, "no"))
    }
    let server = try TestServer(registry: registry)
    for index in 0..<5 {
      let client = try server.connect()
      try client.writeLine("LOGIN alice secret")
      // Dropped once the command is in flight (the handler has started), not before the
      // server read the line: that would test nothing.
      let deadline = ContinuousClock.now + .seconds(30)
      while started.withLock({ $0 }) <= index, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(10))
      }
      client.close()
    }
    #expect(await server.waitForSessionCount(0))
    let deadline = ContinuousClock.now + .seconds(30)
    while finished.withLock({ $0 }) < 5, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(20))
    }
    #expect(started.withLock { $0 } == 5)
    #expect(finished.withLock { $0 } == 5, "every handler ran to its end")
    let next = try server.connect()
    try next.writeLine("PING")
    #expect(try next.readLine() == "OK PONG")
    await server.stop()
  }

  @Test func shutdownSendsTheGoodbyeAfterTheCommandInFlight() async throws {
    var registry = AdminCommandRegistry.builtIn()
    registry.register("LOGIN") { _ in
      try? await Task.sleep(for: .milliseconds(300))
      return CommandOutcome(reply: .error(.authenticationFailed, "no"))
    }
    let server = try TestServer(registry: registry)
    let idle = try server.connect()
    let busy = try server.connect()
    try busy.writeLine("LOGIN alice secret")
    try await Task.sleep(for: .milliseconds(100))
    await server.server.shutdown()
    #expect(try idle.readLine() == "BYE SHUTTING_DOWN server shutting down")
    #expect(try busy.readLine() == "ERR AUTH_FAILED no", "the command in flight finishes")
    #expect(try busy.readLine() == "BYE SHUTTING_DOWN server shutting down")
    #expect(server.server.sessionCount == 0)
    #expect(throws: (any Error).self, "no longer accepting") {
      try server.connect(timeoutSeconds: 2)
    }
    await server.stop()
  }

  @Test func reloadSwapsTheCertificateForNewSessionsOnly() async throws {
    let server = try TestServer()
    let old = try server.connect()
    let otherFolder = server.folder + "-new"
    defer { try? FileManager.default.removeItem(atPath: otherFolder) }
    try FileManager.default.createDirectory(atPath: otherFolder, withIntermediateDirectories: true)
    let next = try SelfSignedServerIdentity.loadOrCreate(in: otherFolder)
    server.server.reload(context: try TLSServerContext(TLSServerConfiguration(next)))
    let fresh = try TLSClient(
      host: "127.0.0.1", port: server.port,
      configuration: TLSClientConfiguration(verification: .pinnedFingerprint(next.fingerprint)))
    try fresh.writeLine("PING")
    #expect(try fresh.readLine() == "OK PONG")
    try old.writeLine("PING")
    #expect(try old.readLine() == "OK PONG", "the session opened before keeps its context")
    await server.stop()
  }
}
