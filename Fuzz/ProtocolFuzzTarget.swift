// libFuzzer target over the admin protocol (RELIABILITY P6), built by Scripts/fuzz-protocol
// together with the sources of CharterProtocol as one module, outside SwiftPM (which has no
// fuzzer product type). The in-process property test in CharterProtocolTests runs the
// same checks on 10,000 seeded inputs in every test run; this target runs them for hours.
//
// An invariant that breaks must crash here: that is how libFuzzer reports it.

@_cdecl("LLVMFuzzerTestOneInput")
public func protocolFuzzTarget(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let input = Array(UnsafeBufferPointer(start: start, count: count))
  checkSession(input)
  checkReplyRoundTrip(input)
  return 0
}

/// Every complete line gets exactly one reply, or the session closes; replies always decode.
private func checkSession(_ input: [UInt8]) {
  guard let chunkSize = input.first.map({ Int($0 % 32) + 1 }) else { return }
  let body = Array(input.dropFirst())
  var limits = SessionLimits()
  limits.maxLineLength = 256
  limits.lineHardCap = 1_024
  limits.softErrorLimit = Int.max
  limits.hardErrorLimit = Int.max
  let now = ContinuousClock.now
  var session = AdminSession(limits: limits, now: now)
  var decoder = ReplyDecoder()
  var replies = 0
  var closed = false

  func run(_ event: SessionEvent) {
    var pending = [event]
    while !pending.isEmpty {
      let actions = session.handle(pending.removeFirst(), now: now)
      for action in actions {
        switch action {
        case .send(let bytes):
          do {
            replies += try decoder.feed(bytes).count
          } catch {
            fatalError("the session sent a malformed reply: \(error)")
          }
          pending.append(.outputWritten(bytes.count))
        case .dispatch(let invocation):
          let change: SessionChange? =
            invocation.spec.name == "LOGIN"
            ? .loggedIn(Principal(name: "fuzz", scope: .installation)) : nil
          pending.append(.commandCompleted(CommandOutcome(reply: .ok("done"), change: change)))
        case .close:
          closed = true
        case .armTimer, .cancelTimer, .pauseReading, .resumeReading, .denied:
          break
        }
      }
    }
  }

  run(.handshakeCompleted)
  run(.bytesReceived(Array("LOGIN fuzz fuzz\n".utf8)))
  let repliesBefore = replies
  var offset = 0
  while offset < body.count, !closed {
    run(.bytesReceived(Array(body[offset..<min(body.count, offset + chunkSize)])))
    offset += chunkSize
  }
  guard !closed else { return }
  var lines = LineDecoder(maxLineLength: 256, hardCap: 1_024)
  let expected = lines.feed(body).count
  precondition(
    replies - repliesBefore == expected, "\(replies - repliesBefore) replies for \(expected) lines")
}

/// Any text survives encoding and decoding as a value, in both modes.
private func checkReplyRoundTrip(_ input: [UInt8]) {
  guard let text = String(validating: input, as: UTF8.self) else { return }
  for mode in ReplyMode.allCases {
    for reply in [
      Reply.text([text, text], status: .ok(text)),
      Reply.table(columns: ["a", "b"], rows: [[text, ""]], status: .error(.notFound, text)),
    ] {
      var decoder = ReplyDecoder()
      let decoded = try? decoder.feed(ReplyEncoder.encode(reply, mode: mode))
      precondition(decoded == [reply], "round trip failed in \(mode) mode")
    }
  }
  if let words = try? RequestParser.parse(
    RequestEncoder.line(command: ["X"], arguments: [text]).dropLast()
  ).words {
    precondition(words.count == 2 && words[1].text == text, "request quoting round trip failed")
  }
}
