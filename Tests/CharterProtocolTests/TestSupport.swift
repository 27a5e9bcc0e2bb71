import CharterProtocol
import Testing

/// Bytes of a string, as the client would send them.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

let operatorAlice = Principal(name: "alice", scope: .installation)
let secretariatBob = Principal(name: "bob", scope: .tenant("aitisa", .secretariat))
let viewerCarol = Principal(name: "carol", scope: .tenant("aitisa", .viewer))

/// Drives an `AdminSession` as the network layer would, recording what it asks for. Time
/// moves only when a test advances it.
struct SessionDriver {
  var session: AdminSession
  var now: SessionInstant
  var replyDecoder = ReplyDecoder()
  var replies: [Reply] = []
  var sentBytes: [UInt8] = []
  var dispatched: [CommandInvocation] = []
  var denials: [CommandDenial] = []
  var closeReason: CloseReason?
  var timer: SessionInstant?
  var isReadingPaused = false
  /// When true, every sent octet is reported written at once (a client that reads).
  var clientReads = true
  var actionLog: [SessionAction] = []

  init(limits: SessionLimits = .default, table: CommandTable = .admin) {
    let start = ContinuousClock.now
    now = start
    session = AdminSession(table: table, limits: limits, now: start)
    apply(.connected)
    apply(.handshakeCompleted)
  }

  @discardableResult
  mutating func apply(_ event: SessionEvent) -> [SessionAction] {
    let actions = session.handle(event, now: now)
    actionLog += actions
    var written = 0
    for action in actions {
      switch action {
      case .send(let data):
        sentBytes += data
        do {
          replies += try replyDecoder.feed(data)
        } catch {
          Issue.record("the session sent a malformed reply: \(error)")
        }
        if clientReads { written += data.count }
      case .dispatch(let invocation): dispatched.append(invocation)
      case .armTimer(let deadline): timer = deadline
      case .cancelTimer: timer = nil
      case .pauseReading: isReadingPaused = true
      case .resumeReading: isReadingPaused = false
      case .close(let reason): closeReason = reason
      case .denied(let denial): denials.append(denial)
      }
    }
    // As a socket would: the write completes after the actions were carried out.
    if written > 0, closeReason == nil { apply(.outputWritten(written)) }
    return actions
  }

  @discardableResult
  mutating func send(_ text: String) -> [SessionAction] { apply(.bytesReceived(bytes(text))) }

  @discardableResult
  mutating func complete(_ reply: Reply = .ok(), change: SessionChange? = nil) -> [SessionAction] {
    apply(.commandCompleted(CommandOutcome(reply: reply, change: change)))
  }

  /// Moves the clock, firing the timer as often as it falls due on the way.
  mutating func advance(by duration: Duration) {
    let target = now + duration
    while let deadline = timer, deadline <= target, closeReason == nil {
      now = deadline
      timer = nil
      apply(.timerFired)
    }
    now = target
  }

  /// LOGIN as the handler would answer it.
  mutating func login(as principal: Principal) {
    send("LOGIN \(principal.name) secret\n")
    complete(.ok("logged in as \(principal.name)"), change: .loggedIn(principal))
  }

  var lastStatus: ReplyStatus? { replies.last?.status }
}
