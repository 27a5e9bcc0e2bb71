import CharterProtocol
import Testing

@Suite struct AdminSessionTests {
  @Test func pingHelpAndQuitAreAnsweredWithoutDispatch() {
    var driver = SessionDriver()
    driver.send("PING\r\nhelp\nQUIT\nPING\n")
    #expect(driver.dispatched.isEmpty)
    #expect(driver.replies.count == 3)
    #expect(driver.replies[0].status == .ok("PONG"))
    #expect(
      driver.replies[1].rows.map(\.[0]) == [
        "PING", "HELP [<command>]", "LOGIN <name> [<password>]", "QUIT",
      ])
    #expect(driver.replies[2].status == .ok("bye"))
    #expect(driver.closeReason == .quit)
  }

  @Test func beforeLoginOnlyPingHelpLoginAndQuit() {
    var driver = SessionDriver()
    for command in ["WHOAMI", "LOGOUT", "TENANT LIST", "ADMIN LIST", "AUDIT TAIL", "MODE JSON"] {
      driver.send(command + "\n")
      #expect(driver.lastStatus?.code == .notLoggedIn, "\(command)")
    }
    #expect(driver.dispatched.isEmpty)
    #expect(driver.denials.isEmpty)  // nobody to audit before login
    driver.send("LOGIN alice \"correct horse\"\n")
    #expect(driver.dispatched.map(\.spec.name) == ["LOGIN"])
    #expect(driver.dispatched[0].arguments.string("password") == "correct horse")
    #expect(driver.dispatched[0].principal == nil)
  }

  @Test func loginChangesPrincipalLimitsAndWhatMayRun() {
    var driver = SessionDriver()
    driver.login(as: viewerCarol)
    #expect(driver.session.principal == viewerCarol)
    #expect(driver.session.tenant == "aitisa")
    driver.send("WHOAMI\n")
    #expect(driver.dispatched.last?.spec.name == "WHOAMI")
    #expect(driver.dispatched.last?.principal == viewerCarol)
    #expect(driver.dispatched.last?.tenant == "aitisa")
    driver.complete(.text(["carol viewer aitisa"], status: .ok("")))
    // A viewer cannot run a command that changes state, nor an operator command.
    let before = driver.dispatched.count
    driver.send("ADMIN DISABLE dave\nTENANT CREATE x \"X\"\n")
    #expect(driver.replies.suffix(2).map(\.status.code) == [.forbidden, .forbidden])
    #expect(driver.dispatched.count == before)
    // RELIABILITY S6: every denial is handed over for the audit log, without arguments.
    #expect(driver.denials.map(\.spec.name) == ["ADMIN DISABLE", "TENANT CREATE"])
    #expect(driver.denials.allSatisfy { $0.principal == viewerCarol && $0.tenant == "aitisa" })
    #expect(
      driver.denials.first?.reason
        == "ADMIN DISABLE needs role secretariat or higher; you are viewer")
    // After login a line may be 64 KiB.
    driver.send(
      "ADMIN PASSWD carol \"" + String(repeating: "p", count: 900) + "\""
        + String(repeating: " ", count: 2_000) + "\n")
    #expect(driver.dispatched.last?.spec.name == "ADMIN PASSWD")
  }

  @Test func operatorChoosesATenantWithTenantUse() {
    var driver = SessionDriver()
    driver.login(as: operatorAlice)
    #expect(driver.session.tenant == nil)
    driver.send("TENANT USE aitisa\n")
    driver.complete(.ok("using aitisa"), change: .tenantSelected("aitisa"))
    driver.send("ADMIN LIST\n")
    #expect(driver.dispatched.last?.tenant == "aitisa")
    driver.complete()
    driver.send("LOGOUT\n")
    driver.complete(.ok("bye alice"), change: .loggedOut)
    #expect(driver.session.principal == nil)
    #expect(driver.session.tenant == nil)
    driver.send("WHOAMI\n")
    #expect(driver.lastStatus?.code == .notLoggedIn)
  }

  /// Pipelining: 1,000 requests in one chunk run one at a time, in order, and each reply
  /// follows its request.
  @Test func oneThousandPipelinedRequestsRunInOrderOneAtATime() {
    var driver = SessionDriver()
    driver.login(as: operatorAlice)
    let chunk = (0..<1_000).map { "TENANT SHOW t\($0)\n" }.joined()
    driver.send(chunk)
    #expect(driver.dispatched.count == 2)  // LOGIN, then the first only
    for index in 0..<1_000 {
      let invocation = driver.dispatched[index + 1]
      #expect(invocation.arguments.string("slug") == "t\(index)")
      #expect(driver.session.inFlight == invocation)
      driver.complete(.text(["tenant t\(index)"], status: .ok("shown")))
    }
    #expect(driver.dispatched.count == 1_001)
    #expect(driver.replies.count == 1_001)
    #expect(driver.replies.dropFirst().map(\.rows) == (0..<1_000).map { [["tenant t\($0)"]] })
    #expect(driver.session.inFlight == nil)
  }

  @Test func errorRepliesKeepTheirPlaceAmongPipelinedRequests() {
    var driver = SessionDriver()
    driver.login(as: operatorAlice)
    driver.send(
      "TENANT LIST\nBOGUS\nPING\n" + String(repeating: "x", count: 70_000)
        + "\nTENANT SHOW \"unterminated\n")
    #expect(driver.replies.count == 1)  // only LOGIN so far: TENANT LIST is running
    driver.complete(.ok("0 tenants"))
    #expect(
      driver.replies.dropFirst().map(\.status.code) == [
        nil, .unknownCommand, nil, .lineTooLong, .badQuoting,
      ])
    #expect(driver.replies[3].status == .ok("PONG"))
  }

  @Test func invalidBytesGetAnErrorAndTheNextLineWorks() {
    var driver = SessionDriver()
    driver.apply(.bytesReceived([0x50, 0xFF, 0x0A] + bytes("PI\u{0}NG\nPING\n")))
    #expect(
      driver.replies.map(\.status) == [
        .error(.invalidUTF8, "invalid UTF-8 at octet 2"),
        .error(.controlCharacter, "control character \\u0000 at column 3"),
        .ok("PONG"),
      ])
  }

  @Test func queuedRequestsPauseReadingAndResume() {
    var limits = SessionLimits()
    limits.maxQueuedRequests = 10
    var driver = SessionDriver(limits: limits)
    driver.login(as: operatorAlice)
    driver.send(String(repeating: "TENANT LIST\n", count: 12))
    #expect(driver.isReadingPaused)
    for _ in 0..<6 { driver.complete() }
    #expect(!driver.isReadingPaused)
  }

  @Test func modeJSONSwitchesReplies() {
    var driver = SessionDriver()
    driver.login(as: operatorAlice)
    driver.send("MODE json\nTENANT LIST\n")
    driver.complete(.table(columns: ["slug"], rows: [["aitisa"]], status: .ok("1 tenant")))
    let text = String(decoding: driver.sentBytes, as: UTF8.self)
    #expect(
      text.hasSuffix(
        "{\"status\":\"ok\",\"message\":\"mode JSON\"}\n{\"columns\":[\"slug\"]}\n{\"row\":{\"slug\":\"aitisa\"}}\n{\"status\":\"ok\",\"message\":\"1 tenant\"}\n"
      ))
    #expect(
      driver.replies.last == .table(columns: ["slug"], rows: [["aitisa"]], status: .ok("1 tenant")))
    driver.send("MODE yaml\n")
    #expect(driver.lastStatus?.code == .badArguments)
    driver.apply(.shutdownRequested)
    let wire = String(decoding: driver.sentBytes, as: UTF8.self)
    #expect(
      wire.hasSuffix(
        "{\"status\":\"bye\",\"code\":\"SHUTTING_DOWN\",\"message\":\"server shutting down\"}\n"))
  }

  // MARK: Limits

  /// P2: the pre-login byte budget.
  @Test func preLoginByteBudgetClosesTheConnection() {
    var driver = SessionDriver()
    for _ in 0..<3_276 { driver.send("PING\n") }  // 16,380 octets
    #expect(driver.closeReason == nil)
    driver.send("PING\n")
    #expect(driver.closeReason == .preLoginBudgetExceeded)
    #expect(driver.lastStatus == .bye(.budgetExceeded, "more than 16384 octets before login"))
  }

  @Test func preLoginLinesAreLimitedTo1000Octets() {
    var driver = SessionDriver()
    driver.send("PING" + String(repeating: " ", count: 996) + "\n")
    #expect(driver.lastStatus == .ok("PONG"))
    driver.send("PING" + String(repeating: " ", count: 997) + "\r\n")
    #expect(driver.lastStatus?.code == .lineTooLong)
    driver.send(String(repeating: "x", count: 8_193))
    #expect(driver.closeReason == .lineTooLong)
    #expect(driver.lastStatus?.code == .lineTooLong)
  }

  /// P1 after login: 10 MB without LF ends in a close, the session never holds it.
  @Test func tenMegabytesAfterLoginClose() {
    var driver = SessionDriver()
    driver.login(as: operatorAlice)
    let chunk = [UInt8](repeating: 0x41, count: 65_536)
    var fed = 0
    while driver.closeReason == nil, fed < 10_000_000 {
      driver.apply(.bytesReceived(chunk))
      fed += chunk.count
    }
    #expect(driver.closeReason == .lineTooLong)
    #expect(fed <= (1 << 20) + 65_536)
  }

  /// P4: a client that does not read is disconnected when its unsent output passes the
  /// limit.
  @Test func aClientThatDoesNotReadIsClosedAtTheOutputLimit() {
    var limits = SessionLimits()
    limits.maxUnsentOutput = 100_000
    var driver = SessionDriver(limits: limits)
    driver.login(as: operatorAlice)
    driver.clientReads = false
    let rows = (0..<1_000).map { ["tenant \($0)", String(repeating: "x", count: 20)] }
    var listings = 0
    while driver.closeReason == nil, listings < 100 {
      driver.send("TENANT LIST\n")
      driver.complete(.table(columns: ["slug", "name"], rows: rows, status: .ok("")))
      listings += 1
    }
    #expect(driver.closeReason == .outputOverflow)
    #expect(listings == 3)  // ~34 KB each
    #expect(CloseReason.outputOverflow.discardsUnsentOutput)
  }

  /// A batch pipelined faster than the client reads: requests wait while a megabyte of
  /// replies is unsent, and run again as the client reads.
  @Test func requestsWaitWhileOutputIsAboveTheHighWaterMark() {
    var limits = SessionLimits()
    limits.outputHighWater = 50_000
    var driver = SessionDriver(limits: limits)
    driver.login(as: operatorAlice)
    driver.clientReads = false
    let rows = (0..<1_000).map { ["tenant \($0)", String(repeating: "x", count: 20)] }
    driver.send(String(repeating: "TENANT LIST\n", count: 5))
    driver.complete(.table(columns: ["slug", "name"], rows: rows, status: .ok("")))
    driver.complete(.table(columns: ["slug", "name"], rows: rows, status: .ok("")))
    #expect(driver.session.inFlight == nil)  // ~68 KB unsent: the third waits
    #expect(driver.session.queuedRequestCount == 3)
    driver.apply(.outputWritten(driver.session.unsentByteCount))
    #expect(driver.session.inFlight != nil)
    #expect(driver.closeReason == nil)
  }

  @Test func outputThatDoesNotDrainClosesAfterTheWriteStallTimeout() {
    var driver = SessionDriver()
    driver.login(as: operatorAlice)
    driver.clientReads = false
    driver.send("WHOAMI\n")
    driver.complete(.text(["alice"], status: .ok("")))
    driver.advance(by: .seconds(30))
    driver.apply(.outputWritten(3))  // some progress
    driver.advance(by: .seconds(59))
    #expect(driver.closeReason == nil)
    driver.advance(by: .seconds(1))
    #expect(driver.closeReason == .outputStalled)
    #expect(CloseReason.outputStalled.discardsUnsentOutput)
  }

  @Test func aClientThatReadsIsNeverClosedForOutput() {
    var limits = SessionLimits()
    limits.maxUnsentOutput = 100_000
    var driver = SessionDriver(limits: limits)
    driver.login(as: operatorAlice)
    let rows = (0..<1_000).map { ["tenant \($0)", String(repeating: "x", count: 20)] }
    for _ in 0..<20 {
      driver.send("TENANT LIST\n")
      driver.complete(.table(columns: ["slug", "name"], rows: rows, status: .ok("")))
    }
    #expect(driver.closeReason == nil)
    #expect(driver.session.unsentByteCount == 0)
  }

  /// P5: replies slow down after the soft limit and the session closes at the hard limit.
  @Test func errorLimitsDelayThenDisconnect() {
    var driver = SessionDriver()
    driver.login(as: secretariatBob)
    for _ in 0..<10 { driver.send("BOGUS\n") }
    #expect(driver.replies.count == 11)
    driver.send("BOGUS\n")
    #expect(driver.replies.count == 11)  // the 11th reply waits 1 s
    driver.send("PING\n")
    driver.advance(by: .milliseconds(999))
    #expect(driver.replies.count == 11)
    driver.advance(by: .milliseconds(1))
    #expect(driver.replies.count == 13)  // the held error, then PONG
    #expect(driver.replies.last?.status == .ok("PONG"))
    driver.send("BOGUS\n")  // 12th: waits 2 s
    driver.advance(by: .seconds(2))
    #expect(driver.replies.count == 14)
    for _ in 13...20 {
      driver.send("BOGUS\n")
      driver.advance(by: .seconds(20))
    }
    #expect(driver.closeReason == .tooManyErrors)
    #expect(driver.session.errorCount == 20)
    #expect(driver.lastStatus == .bye(.tooManyErrors, "20 invalid requests"))
    #expect(driver.replies.filter { $0.status.code == .unknownCommand }.count == 20)
  }

  @Test func failedLoginsCountAsErrorsButNotFoundDoesNot() {
    var driver = SessionDriver()
    driver.login(as: operatorAlice)
    for _ in 0..<30 {
      driver.send("TENANT SHOW nope\n")
      driver.complete(.error(.notFound, "no tenant nope"))
    }
    #expect(driver.session.errorCount == 0)
    var limits = SessionLimits()
    limits.loginTimeout = .seconds(3_600)
    var attacker = SessionDriver(limits: limits)
    for attempt in 1...20 {
      attacker.send("LOGIN alice guess\n")
      attacker.complete(.error(.authenticationFailed, "wrong name or password"))
      attacker.advance(by: .seconds(max(0, attempt - 10)))
    }
    #expect(attacker.closeReason == .tooManyErrors)
    #expect(attacker.replies.filter { $0.status.code == .authenticationFailed }.count == 20)
  }

  // MARK: Timeouts

  @Test func handshakeTimeoutClosesWithoutAGoodbye() {
    let start = ContinuousClock.now
    var session = AdminSession(now: start)
    #expect(session.handle(.connected, now: start) == [.armTimer(start + .seconds(10))])
    // A timer that fires early is spent: the session arms it again for the same deadline.
    #expect(
      session.handle(.timerFired, now: start + .seconds(9)) == [.armTimer(start + .seconds(10))])
    #expect(session.handle(.timerFired, now: start + .seconds(10)) == [.close(.handshakeTimeout)])
  }

  @Test func aLaterDeadlineKeepsTheEarlierTimerUntilItFires() {
    var driver = SessionDriver()
    driver.login(as: operatorAlice)
    let armedBefore = driver.timer
    driver.advance(by: .seconds(1))
    driver.send("PING\n")
    // The idle deadline moved one second later, but no new timer is armed for it.
    #expect(driver.timer == armedBefore)
  }

  @Test func partialLineTimeout() {
    var driver = SessionDriver()
    driver.login(as: operatorAlice)
    driver.send("TENANT")
    for _ in 0..<2 {
      driver.advance(by: .seconds(10))
      driver.send("x")  // slowloris: a byte every 10 s
    }
    #expect(driver.closeReason == nil)
    driver.advance(by: .seconds(10))
    #expect(driver.closeReason == .partialLineTimeout)
    #expect(driver.lastStatus == .bye(.timeout, "line incomplete for 30 s"))
  }

  @Test func thePartialLineClockRestartsWithEachNewLine() {
    var driver = SessionDriver()
    driver.login(as: operatorAlice)
    driver.send("TENANT")
    driver.advance(by: .seconds(20))
    driver.send(" LIST\nTENANT")  // one line ends, the next begins
    driver.complete()
    driver.advance(by: .seconds(20))
    #expect(driver.closeReason == nil)
    driver.advance(by: .seconds(10))
    #expect(driver.closeReason == .partialLineTimeout)
  }

  @Test func idleTimeoutsBeforeAndAfterLogin() {
    var before = SessionDriver()
    before.send("PING\n")
    before.advance(by: .seconds(29))
    #expect(before.closeReason == nil)
    before.advance(by: .seconds(1))
    #expect(before.closeReason == .idleTimeout)

    var after = SessionDriver()
    after.login(as: operatorAlice)
    after.advance(by: .seconds(599))
    after.send("TENANT LIST\n")
    after.advance(by: .seconds(3_600))  // a long command is not idleness
    #expect(after.closeReason == nil)
    after.complete()
    after.advance(by: .seconds(600))
    #expect(after.closeReason == .idleTimeout)
    #expect(after.lastStatus == .bye(.timeout, "idle for 600 s"))
  }

  @Test func loginTimeoutEvenWhenTheClientKeepsPinging() {
    var driver = SessionDriver()
    for _ in 0..<5 {
      driver.advance(by: .seconds(15))
      driver.send("PING\n")
    }
    #expect(driver.closeReason == .loginTimeout)
    #expect(driver.lastStatus == .bye(.timeout, "no login within 60 s"))
  }

  // MARK: Drain

  @Test func shutdownFinishesTheCommandInFlightThenSaysGoodbye() {
    var driver = SessionDriver()
    driver.login(as: operatorAlice)
    driver.send("TENANT LIST\nTENANT SHOW a1\n")
    driver.apply(.shutdownRequested)
    #expect(driver.closeReason == nil)
    driver.send("PING\n")  // not run any more
    driver.complete(.ok("0 tenants"))
    #expect(
      driver.replies.suffix(2).map(\.status) == [
        .ok("0 tenants"), .bye(.shuttingDown, "server shutting down"),
      ])
    #expect(driver.closeReason == .shutdown)
    #expect(driver.dispatched.map(\.spec.name) == ["LOGIN", "TENANT LIST"])
  }

  @Test func shutdownOfAnIdleSessionSaysGoodbyeAtOnce() {
    var driver = SessionDriver()
    driver.apply(.shutdownRequested)
    #expect(driver.replies == [Reply(status: .bye(.shuttingDown, "server shutting down"))])
    #expect(driver.closeReason == .shutdown)
    #expect(driver.apply(.bytesReceived(bytes("PING\n"))) == [])
  }

  @Test func peerCloseEndsEverything() {
    var driver = SessionDriver()
    driver.send("LOGIN a b\n")
    driver.apply(.peerClosed)
    #expect(driver.closeReason == .peerClosed)
    #expect(driver.complete(.ok(), change: .loggedIn(operatorAlice)) == [])
    #expect(driver.session.principal == nil)
  }
}
