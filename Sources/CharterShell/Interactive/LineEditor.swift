@preconcurrency internal import CLibEdit

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// What reading a line gave.
enum EditedLine: Equatable {
  case line(String)
  /// Ctrl-C: the line was abandoned.
  case interrupted
  /// Ctrl-D on an empty line, or the end of input.
  case endOfInput
}

/// libedit through its readline-compatible API (PLATFORM.md: the native API is variadic
/// and unusable from Swift): line editing, history in a file, Tab completion.
///
/// libedit keeps its state in C globals, so there is one editor per process. Characters
/// are read by our own `rl_getc_function`, which waits on the terminal and on the
/// Ctrl-C pipe at once: Ctrl-C ends the line (as Enter would) and marks it interrupted, so
/// the shell drops it and prompts again instead of dying. It also decodes UTF-8 itself,
/// since libedit takes each value it returns as one whole character.
final class LineEditor {
  private let historyFile: String?
  private var lastRemembered: String?

  /// The completion source, read by the C callback. One editor per process.
  nonisolated(unsafe) private static var complete: ((String) -> [String])?
  nonisolated(unsafe) private static var interrupted = false

  init(historyFile: String?, complete: @escaping (String) -> [String]) {
    self.historyFile = historyFile
    Self.complete = complete
    InterruptSignal.install()
    Self.configureLocale()
    rl_readline_name = UnsafePointer(strdup("charter"))
    rl_getc_function = { _ in LineEditor.readCharacter() }
    // Our SIGINT handler stays in charge: libedit's own would re-send the signal to the
    // whole process group.
    rl_catch_signals = 0
    rl_initialize()
    rl_basic_word_break_characters = UnsafePointer(strdup(" \t"))
    rl_attempted_completion_function = { _, _, _ in LineEditor.completionMatches() }
    using_history()
    stifle_history(1_000)
    if let historyFile { _ = read_history(historyFile) }
  }

  /// Shows `prompt` and reads one line.
  func readLine(prompt: String) -> EditedLine {
    InterruptSignal.takePending()
    Self.interrupted = false
    guard let raw = readline(prompt) else { return .endOfInput }
    defer { free(raw) }
    if Self.interrupted { return .interrupted }
    return .line(String(cString: raw))
  }

  /// Adds a line to the history (not twice in a row).
  func remember(_ line: String) {
    guard line != lastRemembered else { return }
    lastRemembered = line
    add_history(line)
  }

  /// Writes the history file, owner-only.
  func saveHistory() {
    guard let historyFile else { return }
    TextFiles.createParentDirectory(of: historyFile)
    let fd = open(historyFile, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
    if fd >= 0 { close(fd) }
    _ = write_history(historyFile)
    chmod(historyFile, 0o600)
  }

  /// libedit shows and measures wide characters through the C library's locale: without a
  /// UTF-8 one, Chinese input would be garbled. Falls back to C.UTF-8 under a plain C
  /// locale (as in a bare `env -i` or a service).
  private static func configureLocale() {
    if let name = setlocale(LC_CTYPE, ""), String(cString: name).uppercased().contains("UTF") {
      return
    }
    _ = setlocale(LC_CTYPE, "C.UTF-8")
  }

  // MARK: C callbacks

  /// One character for libedit: a Unicode scalar value, or -1 at end of input. Ctrl-C
  /// yields a newline and marks the line interrupted.
  private static func readCharacter() -> Int32 {
    while true {
      var descriptors = [
        pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
        pollfd(fd: InterruptSignal.readDescriptor, events: Int16(POLLIN), revents: 0),
      ]
      if poll(&descriptors, 2, -1) < 0 {
        if errno == EINTR { continue }
        return -1
      }
      if descriptors[1].revents & Int16(POLLIN) != 0, InterruptSignal.takePending() {
        interrupted = true
        return 10
      }
      if descriptors[0].revents != 0 {
        guard let first = readByte() else { return -1 }
        return decodeUTF8(startingWith: first)
      }
    }
  }

  private static func readByte() -> UInt8? {
    while true {
      var byte: UInt8 = 0
      let count = read(0, &byte, 1)
      if count == 1 { return byte }
      if count < 0, errno == EINTR { continue }
      return nil
    }
  }

  private static func decodeUTF8(startingWith first: UInt8) -> Int32 {
    let length: Int
    var value: UInt32
    switch first {
    case 0..<0x80: return Int32(first)
    case 0xC2..<0xE0: (length, value) = (2, UInt32(first & 0x1F))
    case 0xE0..<0xF0: (length, value) = (3, UInt32(first & 0x0F))
    case 0xF0..<0xF5: (length, value) = (4, UInt32(first & 0x07))
    default: return 0xFFFD
    }
    for _ in 1..<length {
      guard let next = readByte(), next & 0xC0 == 0x80 else { return 0xFFFD }
      value = value << 6 | UInt32(next & 0x3F)
    }
    guard Unicode.Scalar(value) != nil else { return 0xFFFD }
    return Int32(value)
  }

  /// The readline completion protocol: a malloc'd, NULL-terminated array whose first entry
  /// replaces the word being completed and whose others are listed when Tab is pressed
  /// twice. Strings are strdup'd: libedit frees them.
  private static func completionMatches() -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    rl_attempted_completion_over = 1
    let candidates = complete?(lineBeforeCursor()) ?? []
    guard !candidates.isEmpty else { return nil }
    let entries =
      candidates.count == 1 ? candidates : [Completer.commonPrefix(candidates)] + candidates
    guard
      let memory = malloc((entries.count + 1) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)
    else { return nil }
    let array = memory.bindMemory(
      to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 1)
    for (index, entry) in entries.enumerated() { array[index] = strdup(entry) }
    array[entries.count] = nil
    // A space after a finished word, none after `option=` (its value comes next).
    rl_completion_append_character = candidates.count == 1 && !candidates[0].hasSuffix("=") ? 32 : 0
    return array
  }

  /// The text left of the cursor. `rl_point` is a byte offset into `rl_line_buffer`, which
  /// libedit refreshes before calling the completion function.
  private static func lineBeforeCursor() -> String {
    guard let buffer = rl_line_buffer else { return "" }
    let length = strlen(buffer)
    let point = max(0, min(Int(rl_point), length))
    return String(decoding: UnsafeRawBufferPointer(start: buffer, count: point), as: UTF8.self)
  }
}
