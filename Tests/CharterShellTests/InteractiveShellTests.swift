import Foundation
import Testing

/// The interactive shell through a pseudo-terminal (tmux), as issue 3 asks: "The
/// interactive shell, driven through a pseudo-terminal (tmux or expect): history and
/// completion work."
@Suite struct InteractiveShellTests {
  @Test(.timeLimit(.minutes(2)))
  func completionHistoryCtrlCAndCtrlD() async throws {
    let server = try TestAdminServer()
    defer { server.stop() }
    let home = try TemporaryHome()
    defer { home.remove() }
    let tmux = try TmuxSession(
      [
        ShellProcess.executable, "--fingerprint-file", server.identity.fingerprintFile,
        "--user", "alice", server.address,
      ],
      environment: [
        "HOME": home.path, "CHARTER_PASSWORD": TestAdminServer.password, "LANG": "C.UTF-8",
        "TERM": "screen",
      ])
    defer { tmux.kill() }

    #expect(await tmux.waitUntil { $0.currentLine == "alice>" }, "\(tmux.screen)")

    // Tab completes a command word.
    try tmux.type("PI")
    try tmux.send("Tab")
    #expect(await tmux.waitUntil { $0.currentLine == "alice> PING" }, "\(tmux.screen)")
    try tmux.send("Enter")
    #expect(await tmux.waitUntil { $0.screen.contains("PONG") }, "\(tmux.screen)")

    // A tenant name, fetched from the server with TENANT LIST.
    try tmux.type("TENANT USE ai")
    try tmux.send("Tab")
    #expect(await tmux.waitUntil { $0.currentLine == "alice> TENANT USE aitisa" }, "\(tmux.screen)")
    try tmux.send("Enter")
    // The prompt follows WHOAMI: user@tenant.
    #expect(await tmux.waitUntil { $0.currentLine == "alice@aitisa>" }, "\(tmux.screen)")

    // A line with a password is run but never kept in history.
    try tmux.type("LOGIN alice \"\(TestAdminServer.password)\"")
    try tmux.send("Enter")
    #expect(await tmux.waitUntil { $0.screen.contains("logged in as alice") }, "\(tmux.screen)")
    try tmux.type("WHOAMI")
    try tmux.send("Enter")
    #expect(await tmux.waitUntil { $0.screen.contains("installation") }, "\(tmux.screen)")

    // Up recalls WHOAMI, then (skipping the LOGIN line) TENANT USE.
    try tmux.send("Up")
    #expect(await tmux.waitUntil { $0.currentLine == "alice> WHOAMI" }, "\(tmux.screen)")
    try tmux.send("Up")
    #expect(await tmux.waitUntil { $0.currentLine == "alice> TENANT USE aitisa" }, "\(tmux.screen)")

    // Ctrl-C drops the line and the shell goes on.
    try tmux.send("C-c")
    #expect(await tmux.waitUntil { $0.currentLine == "alice>" }, "\(tmux.screen)")
    #expect(tmux.isRunning)
    try tmux.type("PING")
    try tmux.send("Enter")
    #expect(
      await tmux.waitUntil { $0.screen.components(separatedBy: "PONG").count == 3 },
      "\(tmux.screen)")

    // Ctrl-C while a slow command runs neither ends the shell nor breaks the session.
    try tmux.type("AUDIT TAIL")
    try tmux.send("Enter")
    try await Task.sleep(for: .milliseconds(300))
    try tmux.send("C-c")
    #expect(await tmux.waitUntil { $0.screen.contains("1 record") }, "\(tmux.screen)")
    #expect(await tmux.waitUntil { $0.currentLine == "alice>" }, "\(tmux.screen)")
    try tmux.type("PING")
    try tmux.send("Enter")
    #expect(
      await tmux.waitUntil { $0.screen.components(separatedBy: "PONG").count == 4 },
      "\(tmux.screen)")

    // Ctrl-D leaves, and history is saved without the password.
    try tmux.send("C-d")
    #expect(await tmux.waitUntil { !$0.isRunning }, "\(tmux.screen)")
    let history = try String(contentsOfFile: home.historyFile, encoding: .utf8)
    #expect(history.contains("WHOAMI"))
    #expect(!history.contains("horse"))
    let attributes = try FileManager.default.attributesOfItem(atPath: home.historyFile)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
  }

  @Test(.timeLimit(.minutes(1)))
  func aNewServerIsTrustedOnlyAfterThePersonSaysYes() async throws {
    let server = try TestAdminServer()
    defer { server.stop() }
    let home = try TemporaryHome()
    defer { home.remove() }
    let environment = ["HOME": home.path, "LANG": "C.UTF-8", "TERM": "screen"]

    let declined = try TmuxSession(
      [ShellProcess.executable, server.address], environment: environment)
    defer { declined.kill() }
    #expect(await declined.waitUntil { $0.screen.contains("(yes/no)?") }, "\(declined.screen)")
    #expect(declined.screen.contains(server.identity.fingerprint.uppercaseWithColons))
    try declined.type("no")
    try declined.send("Enter")
    #expect(await declined.waitUntil { !$0.isRunning })
    #expect(!FileManager.default.fileExists(atPath: home.knownHostsFile))

    let accepted = try TmuxSession(
      [ShellProcess.executable, server.address], environment: environment)
    defer { accepted.kill() }
    #expect(await accepted.waitUntil { $0.screen.contains("(yes/no)?") }, "\(accepted.screen)")
    try accepted.type("yes")
    try accepted.send("Enter")
    #expect(await accepted.waitUntil { $0.currentLine == "charter>" }, "\(accepted.screen)")
    try accepted.send("C-d")
    #expect(await accepted.waitUntil { !$0.isRunning })
    let recorded = try String(contentsOfFile: home.knownHostsFile, encoding: .utf8)
    #expect(recorded.contains(server.identity.fingerprint.uppercaseWithColons))
  }
}
